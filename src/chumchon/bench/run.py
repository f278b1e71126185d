# ruff: noqa: S608 - the SQL here names only this module's own tables
"""Running the benchmark. See the package docstring for what is measured."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chumchon.access.models import Assignment, Role, User
from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.core.statistics import tables_analyse_after_write
from chumchon.core.thai import Month, fiscal_year, months_between
from chumchon.insights import cache as results
from chumchon.insights.selectors import area_figures
from chumchon.insights.warm import dashboards_warm
from chumchon.ledgers.imports import ledger_import_file
from chumchon.ledgers.models import AreaMonthCategory, Category, HouseholdMonth, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.rollups import rollups_verify
from chumchon.registry.models import Household
from chumchon.registry.versions import registry_touch

ENTRIES_PER_WEEK = 5
VILLAGES_PER_TAMBON = 10
SCRATCH = "bench_copy_scratch"


class BenchError(Exception):
    """The benchmark cannot run here (the message says why)."""


@dataclass
class BenchResult:
    database: str
    province: str
    households: int
    months: int
    rows: int = 0
    import_seconds: float = 0.0
    import_rows_per_s: float = 0.0
    copy_seconds: float = 0.0
    copy_rows_per_s: float = 0.0
    import_vs_copy: float = 0.0  # against the ledger table's twin (the target: at least 0.5)
    copy_bare_seconds: float = 0.0
    copy_bare_rows_per_s: float = 0.0
    import_vs_bare_copy: float = 0.0  # against a bare heap: what indexes and keys cost as well
    verify_s: float = 0.0
    verify_ok: bool = False
    figures_samples: int = 0
    figures_p50_ms: float = 0.0
    figures_p95_ms: float = 0.0
    dashboard_samples: int = 0
    dashboard_tambon_p50_ms: float = 0.0  # the tambon dashboard page, 12 months, as the province coordinator
    dashboard_tambon_p95_ms: float = 0.0
    dashboards_warm_s: float = 0.0  # the task after a write: every district's and the province's default dashboards
    dashboard_district_p50_ms: float = 0.0  # a district's dashboard page (its default span), first and second request
    dashboard_district_p95_ms: float = 0.0
    dashboard_province_p50_ms: float = 0.0  # the province's, likewise
    dashboard_province_p95_ms: float = 0.0
    dashboard_district_cold_max_ms: float = 0.0  # the same pages with nothing computed ahead (no warm task yet)
    dashboard_province_cold_ms: float = 0.0
    forum_pack_samples: int = 0
    forum_pack_village_p50_s: float = 0.0  # a village's forum pack PDF, built and written
    forum_pack_village_max_s: float = 0.0
    plan_samples: int = 0
    plan_tambon_page_p50_ms: float = 0.0  # a tambon's community plan page (its villages' items with evidence)
    plan_tambon_page_p95_ms: float = 0.0
    plan_pdf_p50_s: float = 0.0  # the tambon's plan as a PDF, built and written
    plan_pdf_max_s: float = 0.0
    peak_rss_mb: float = 0.0
    machine: dict[str, object] = field(default_factory=dict)
    date: str = ""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def machine() -> dict[str, object]:
    with open("/proc/meminfo") as fh:
        mem_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "database": connection.vendor,
        "database_version": _database_version(),
    }


def _database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return str(cursor.fetchone()[0]).split(" on ")[0]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- setting up ------------------------------------------------------------------------------


def _villages(province: Area) -> list[Area]:
    """The province's villages, creating ten per tambon where a tambon has none."""
    tambons = list(Area.objects.filter(province_code=province.code, level=Level.TAMBON).order_by("code"))
    have = set(
        Area.objects.filter(province_code=province.code, level=Level.VILLAGE).values_list("tambon_code", flat=True)
    )
    new = [
        Area(
            code=f"{t.code}{n:02d}",
            level=Level.VILLAGE,
            name_th=f"บ้านทดสอบ {n}",
            parent=t,
            province_code=t.province_code,
            district_code=t.district_code,
            tambon_code=t.code,
            village_code=f"{t.code}{n:02d}",
            village_no=n,
        )
        for t in tambons
        if t.code not in have
        for n in range(1, VILLAGES_PER_TAMBON + 1)
    ]
    Area.objects.bulk_create(new, batch_size=2000)
    return list(Area.objects.filter(province_code=province.code, level=Level.VILLAGE).order_by("code"))


def _households(villages: list[Area], n: int) -> dict[str, list[str]]:
    """``n`` households spread over the villages; returns household codes by tambon."""
    rows = []
    by_tambon: dict[str, list[str]] = {}
    for i in range(n):
        v = villages[i % len(villages)]
        code = f"B-{i:07d}"
        by_tambon.setdefault(v.tambon_code or "", []).append(code)
        rows.append(
            Household(
                code=code,
                village=v,
                province_code=v.province_code,
                district_code=v.district_code or "",
                tambon_code=v.tambon_code or "",
                occupation_group="O01",
            )
        )
    with transaction.atomic():
        Household.objects.bulk_create(rows, batch_size=5000)
        registry_touch([villages[0].province_code])
    # As a registry import leaves it: the planner knows the table's new size.
    tables_analyse_after_write([Household._meta.db_table], len(rows))
    return by_tambon


def _write_files(by_tambon: dict[str, list[str]], months: list[Month], folder: Path, seed: int) -> dict[str, Path]:
    """One CSV per tambon in the template's English headers; about five lines a household a week."""
    categories = list(Category.objects.filter(is_standard=True).values_list("code", "kind"))
    expense = [c for c, k in categories if k == "expense"]
    income = [c for c, k in categories if k == "income"]
    files = {}
    for t, (tambon, codes) in enumerate(sorted(by_tambon.items())):
        parts = []
        for m, month in enumerate(months):
            days = (month.last_day - month.first_day).days + 1
            per = round(ENTRIES_PER_WEEK * days / 7)
            n = len(codes) * per
            rng_seed = seed * 1_000_003 + t * 1009 + m
            frame = pl.DataFrame({"household": pl.Series(codes).repeat_by(per).explode()})
            day = pl.Series(random.Random(rng_seed).choices(range(1, days + 1), k=n))
            is_income = pl.Series(random.Random(rng_seed + 1).choices([True, False], weights=[1, 6], k=n))
            cat_in = pl.Series(random.Random(rng_seed + 2).choices(income, k=n))
            cat_out = pl.Series(random.Random(rng_seed + 3).choices(expense, k=n))
            satang = pl.Series(random.Random(rng_seed + 4).choices(range(500, 300_000), k=n))
            parts.append(
                frame.with_columns(
                    date=pl.lit(month.first_day) + pl.duration(days=pl.lit(day - 1)),
                    category=pl.when(pl.lit(is_income)).then(pl.lit(cat_in)).otherwise(pl.lit(cat_out)),
                    item=pl.lit(""),
                    amount=pl.lit(satang / 100).round(2),
                )
            )
        path = folder / f"{tambon}.csv"
        pl.concat(parts).write_csv(path, date_format="%Y-%m-%d", float_precision=2)
        files[tambon] = path
    return files


# --- measuring ----------------------------------------------------------------------------------


def _copy_baseline(
    files: dict[str, Path], households: dict[str, int], village: dict[str, str], *, shaped: bool
) -> tuple[int, float]:
    """Write the same rows raw into a scratch table; (rows, seconds).

    ``shaped``: the scratch table is the ledger table's twin — its columns, identity,
    defaults, checks and indexes (``LIKE … INCLUDING ALL``), and each row carries an
    import key of the same length as the import's — so the comparison with the import
    measures what the import adds (reading, checking, keys, rollups). Otherwise it is a
    bare heap of the written columns: no id, no index, no constraint.
    """
    table = LedgerEntry._meta.db_table
    cols = ["household_id", "date", "category_id", "item", "amount", "province_code", "district_code",
            "tambon_code", "village_id", "reason", "source", "created_at"]  # fmt: skip
    if shaped:
        cols.append("import_key")
    now = timezone.now()
    total, seconds = 0, 0.0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        if shaped and connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE {table} INCLUDING ALL)")
        elif shaped:  # SQLite: the ledger's own definition and indexes, renamed
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
            for (ddl,) in cursor.fetchall():
                ddl = ddl.replace(f'"{table}"', SCRATCH).replace('INDEX "', f'INDEX "{SCRATCH}_')
                cursor.execute(ddl)
        else:
            cursor.execute(f"CREATE TABLE {SCRATCH} AS SELECT {', '.join(cols)} FROM {table} WHERE 1 = 0")
        serial = 0
        for path in files.values():
            frame = pl.read_csv(path, try_parse_dates=True)
            rows = []
            for h, d, c, i, a in frame.iter_rows():
                v = village[h]
                row: tuple[Any, ...] = (households[h], d, c, i or "", a, v[:2], v[:4], v[:6], v, "", "import", now)
                if shaped:
                    serial += 1
                    row = (*row, hashlib.sha256(str(serial).encode()).hexdigest())
                rows.append(row)
            started = time.perf_counter()
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {SCRATCH} ({', '.join(cols)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(
                        f"INSERT INTO {SCRATCH} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})", rows
                    )
            seconds += time.perf_counter() - started
            total += len(rows)
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return total, seconds


def _lines_in(path: Path) -> int:
    """The account lines of one written file (its header row not counted)."""
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def _figures_timings(province: Area, months: list[Month], samples: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    areas = list(Area.objects.filter(province_code=province.code).values_list("code", flat=True))
    timings = []
    for _ in range(samples):
        code = rng.choice(areas)
        a, b = sorted(rng.sample(range(len(months)), 2)) if len(months) > 1 else (0, 0)
        started = time.perf_counter()
        area_figures(code, months[a], months[b])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _coordinator(province: Area) -> User:
    """The province coordinator the pages are timed as (kept between runs, like a real one)."""
    user, _ = User.objects.get_or_create(username=f"bench-coordinator-{province.code}")
    if not user.assignments.filter(role=Role.PROVINCE_COORDINATOR, area=province).exists():
        Assignment.objects.create(user=user, role=Role.PROVINCE_COORDINATOR, area=province)
    return user


def _dashboard_timings(province: Area, span: list[Month], samples: int, seed: int) -> list[float]:
    """The tambon dashboard page over the whole span, rendered through the full request path."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(_coordinator(province))
    tambons = list(Area.objects.filter(province_code=province.code, level=Level.TAMBON).values_list("code", flat=True))
    rng = random.Random(seed)
    query = f"?from={span[0].iso()}&to={span[-1].iso()}"
    timings = []
    for _ in range(samples):
        url = reverse("insights:dashboard", args=[rng.choice(tambons)]) + query
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}")
    return timings


def _page_ms(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise BenchError(f"{url} answered {response.status_code}")
    return elapsed


def _upper_dashboard_timings(province: Area, result: BenchResult, samples: int) -> None:
    """The province's and its districts' dashboards as the province coordinator opens
    them (no span asked: the default one). Cold first, nothing kept; then the warm task
    a write schedules (``insights.warm``), timed; then each page's first request — from
    a fresh process's point of view: this process's memory tier emptied, so the result
    comes from the shared table the task filled — and its second."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(_coordinator(province))
    districts = list(
        Area.objects.filter(province_code=province.code, level=Level.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)
    )
    url = {code: reverse("insights:dashboard", args=[code]) for code in [province.code, *districts]}
    results.clear()
    result.dashboard_province_cold_ms = round(_page_ms(client, url[province.code]), 1)
    result.dashboard_district_cold_max_ms = round(max(_page_ms(client, url[code]) for code in districts), 1)
    results.clear()
    result.dashboards_warm_s = round(dashboards_warm().seconds, 2)
    for level, codes in (("district", districts), ("province", [province.code])):
        timings = []
        for i in range(max(samples, len(codes))):
            code = codes[i % len(codes)]
            cache.clear()  # this process's tier only: a first request of another process
            timings.append(_page_ms(client, url[code]))
            timings.append(_page_ms(client, url[code]))
        setattr(result, f"dashboard_{level}_p50_ms", round(statistics.median(timings), 1))
        setattr(result, f"dashboard_{level}_p95_ms", round(_p95(timings), 1))


def _pack_timings(province: Area, month: Month, samples: int, seed: int) -> list[float]:
    """A village's forum pack, from the figures to the PDF bytes."""
    from chumchon.insights.forum.pack import forum_pack_build
    from chumchon.insights.forum.pdf import forum_pack_pdf

    villages = list(Area.objects.filter(province_code=province.code, level=Level.VILLAGE).order_by("code"))
    rng = random.Random(seed)
    forum_pack_pdf(forum_pack_build(villages[0], month))  # WeasyPrint's first use loads its fonts
    timings = []
    for village in rng.sample(villages, min(samples, len(villages))):
        started = time.perf_counter()
        forum_pack_pdf(forum_pack_build(village, month))
        timings.append(time.perf_counter() - started)
    return timings


PLAN_ITEMS = (  # a village's plan: (title, actor, cost) — each item cites two figures
    ("ลดรายจ่ายเหล้าบุหรี่", "household", 0),
    ("กลุ่มเลี้ยงไก่ไข่", "group", 0),
    ("ระบบประปาหมู่บ้าน", "local_government", 350_000),
    ("อบรมอาชีพ", "agency", 60_000),
)


def _plans_made(province: Area, span: list[Month], tambons: int, seed: int) -> list[Area]:
    """Community plans for ``tambons`` tambons of the province: every village's plan of the
    span's last fiscal year, four items citing two figures each, through the services."""
    from chumchon.plans import services as plans

    rng = random.Random(seed)
    actor = Actor.system("cli:bench")
    year = fiscal_year(span[-1].first_day)
    chosen = rng.sample(list(Area.objects.filter(province_code=province.code, level=Level.TAMBON)), tambons)
    for tambon in chosen:
        for village in Area.objects.filter(parent=tambon).order_by("code"):
            plan = plans.plan_get_or_create(actor=actor, area=village, fiscal_year=year)
            for title, who, cost in PLAN_ITEMS:
                item = plans.item_create(
                    actor=actor, plan=plan,
                    data=plans.ItemInput(title=title, actor=who, cost=Decimal(cost), households=rng.randint(5, 60)),
                )  # fmt: skip
                for figure, category in (("local_food", None), ("by_category", "C08")):
                    plans.evidence_cite(
                        actor=actor,
                        item=item,
                        figure=figure,
                        category=category,
                        area=village,
                        start=span[0],
                        end=span[-1],
                    )
    return chosen


def _plan_timings(province: Area, span: list[Month], samples: int, seed: int) -> tuple[list[float], list[float]]:
    """The tambon plan page as the province coordinator opens it, and the plan PDF."""
    from chumchon.plans.report import plan_pdf_bytes

    tambons = _plans_made(province, span, min(samples, 5), seed)
    year = fiscal_year(span[-1].first_day)
    client = Client(HTTP_HOST="localhost")
    user = _coordinator(province)
    client.force_login(user)
    pages, pdfs = [], []
    plan_pdf_bytes(tambons[0], year, user=None)  # WeasyPrint's first use loads its fonts
    for i in range(samples):
        tambon = tambons[i % len(tambons)]
        pages.append(_page_ms(client, reverse("plans:area", args=[tambon.code]) + f"?year={year}"))
    for tambon in tambons:
        started = time.perf_counter()
        plan_pdf_bytes(tambon, year, user=None)
        pdfs.append(time.perf_counter() - started)
    return pages, pdfs


def _cleanup(province: Area) -> None:
    """Remove what the run made. The derived and ledger rows go by plain SQL: Django's
    ``delete()`` would first load every one of millions of lines to look for reversals."""
    households = Household.objects.filter(province_code=province.code, code__startswith="B-")
    ids_sql, ids_params = households.values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (LedgerEntry, HouseholdMonth, HouseholdMonthCategory):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE household_id IN ({ids_sql})", ids_params)
        cursor.execute(f"DELETE FROM {AreaMonthCategory._meta.db_table} WHERE area_code LIKE %s", [f"{province.code}%"])
        _plans_cleanup(province)
        households.delete()


def _plans_cleanup(province: Area) -> None:
    from chumchon.plans.models import Evidence, Forum, ItemChange, ItemPerson, Plan, PlanItem

    Evidence.objects.filter(item__province_code=province.code).delete()
    ItemChange.objects.filter(item__province_code=province.code).delete()
    ItemPerson.objects.filter(item__province_code=province.code).delete()
    PlanItem.objects.filter(province_code=province.code).update(merged_into=None)
    PlanItem.objects.filter(province_code=province.code).delete()
    Plan.objects.filter(province_code=province.code).delete()
    Forum.objects.filter(province_code=province.code).delete()


def _timed(rows: int, seconds: float) -> tuple[float, float]:
    """Seconds as reported (to 1/100 s) and the rate from the measured time, so a run that
    takes less than 5 ms does not read as 0 rows a second."""
    return round(seconds, 2), round(rows / seconds) if seconds > 0 else 0


def bench_run(
    *,
    households: int,
    months: int,
    province_code: str = "37",
    seed: int = 1,
    samples: int = 300,
    dashboards: int = 30,
    packs: int = 5,
    keep: bool = False,
    copy: bool = True,
    say: Callable[[str], None] = lambda _: None,
) -> BenchResult:
    province = Area.objects.filter(code=province_code, level=Level.PROVINCE).first()
    if province is None:
        raise BenchError(f"ไม่พบจังหวัดรหัส {province_code} (รัน chumchon init ก่อน)")
    if Household.objects.filter(province_code=province.code).exists():
        raise BenchError(f"จังหวัด {province.name_th} มีครัวเรือนอยู่แล้ว: ใช้ฐานข้อมูลว่าง หรือเลือกจังหวัดอื่นด้วย --province")
    end = Month.of(timezone.localdate()).previous()
    span = months_between(end.add(-(months - 1)), end)
    result = BenchResult(database=connection.vendor, province=province.code, households=households, months=months)
    result.machine, result.date = machine(), dt.date.today().isoformat()  # noqa: DTZ011 - the machine's date
    try:
        say("setting up households")
        villages = _villages(province)
        by_tambon = _households(villages, households)
        pk_of = dict(Household.objects.filter(province_code=province.code).values_list("code", "pk"))
        village_of = dict(Household.objects.filter(province_code=province.code).values_list("code", "village_id"))
        with tempfile.TemporaryDirectory(prefix="chumchon-bench-") as folder:
            say("writing the account files")
            files = _write_files(by_tambon, span, Path(folder), seed)
            if copy:
                raw = "COPY" if connection.vendor == "postgresql" else "executemany"
                say(f"raw {raw} baseline into a twin of the ledger table")
                result.rows, seconds = _copy_baseline(files, pk_of, village_of, shaped=True)
                result.copy_seconds, result.copy_rows_per_s = _timed(result.rows, seconds)
                say(f"raw {raw} baseline into a bare table")
                _, seconds = _copy_baseline(files, pk_of, village_of, shaped=False)
                result.copy_bare_seconds, result.copy_bare_rows_per_s = _timed(result.rows, seconds)
            else:
                result.rows = sum(_lines_in(path) for path in files.values())
            say(f"importing {result.rows:,} rows through chumchon import ledgers")
            actor = Actor.system("cli:bench")
            started = time.perf_counter()
            for tambon_code, path in sorted(files.items()):
                tambon = Area.objects.get(code=tambon_code)
                outcome = ledger_import_file(path, tambon=tambon, actor=actor)
                if not outcome.completed:
                    raise BenchError(f"import of {tambon_code} was refused: {outcome.to_json()['errors'][:3]}")
            result.import_seconds, result.import_rows_per_s = _timed(result.rows, time.perf_counter() - started)
        result.import_vs_copy = (
            round(result.import_rows_per_s / result.copy_rows_per_s, 3) if result.copy_rows_per_s else 0
        )
        result.import_vs_bare_copy = (
            round(result.import_rows_per_s / result.copy_bare_rows_per_s, 3) if result.copy_bare_rows_per_s else 0
        )
        say("verifying the rollups")
        started = time.perf_counter()
        result.verify_ok = rollups_verify() == []
        result.verify_s = round(time.perf_counter() - started, 2)
        say("timing figures")
        timings = _figures_timings(province, span, samples, seed)
        result.figures_samples = len(timings)
        result.figures_p50_ms = round(statistics.median(timings), 2)
        result.figures_p95_ms = round(_p95(timings), 2)
        if dashboards:
            say("timing tambon dashboards")
            timings = _dashboard_timings(province, span, dashboards, seed)
            result.dashboard_samples = len(timings)
            result.dashboard_tambon_p50_ms = round(statistics.median(timings), 1)
            result.dashboard_tambon_p95_ms = round(_p95(timings), 1)
            say("timing the districts' and the province's dashboards")
            _upper_dashboard_timings(province, result, dashboards)
        if packs:
            say("timing village forum packs")
            pack_seconds = _pack_timings(province, span[-1], packs, seed)
            result.forum_pack_samples = len(pack_seconds)
            result.forum_pack_village_p50_s = round(statistics.median(pack_seconds), 2)
            result.forum_pack_village_max_s = round(max(pack_seconds), 2)
        if dashboards:
            say("timing the tambon plan page and the plan PDF")
            pages, pdfs = _plan_timings(province, span, dashboards, seed)
            result.plan_samples = len(pages)
            result.plan_tambon_page_p50_ms = round(statistics.median(pages), 1)
            result.plan_tambon_page_p95_ms = round(_p95(pages), 1)
            result.plan_pdf_p50_s = round(statistics.median(pdfs), 2)
            result.plan_pdf_max_s = round(max(pdfs), 2)
        result.peak_rss_mb = peak_rss_mb()
    finally:
        if not keep:
            say("cleaning up")
            _cleanup(province)
    return result
