# ruff: noqa: S608 - the SQL here names only this module's own tables
"""Running the benchmark. See the package docstring for what is measured."""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.core.thai import Month, months_between
from chumchon.insights.selectors import area_figures
from chumchon.ledgers.imports import ledger_import_file
from chumchon.ledgers.models import AreaMonthCategory, Category, HouseholdMonth, HouseholdMonthCategory, LedgerEntry
from chumchon.ledgers.rollups import rollups_verify
from chumchon.registry.models import Household

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
    import_vs_copy: float = 0.0
    verify_s: float = 0.0
    verify_ok: bool = False
    figures_samples: int = 0
    figures_p50_ms: float = 0.0
    figures_p95_ms: float = 0.0
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


def _copy_baseline(files: dict[str, Path], households: dict[str, int], village: dict[str, str]) -> tuple[int, float]:
    """Write the same rows raw into a scratch table shaped like the ledger table."""
    table = LedgerEntry._meta.db_table
    cols = ["household_id", "date", "category_id", "item", "amount", "province_code", "district_code",
            "tambon_code", "village_id", "source", "created_at"]  # fmt: skip
    now = timezone.now()
    total, seconds = 0, 0.0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
            cursor.execute(f"CREATE UNLOGGED TABLE {SCRATCH} (LIKE {table} INCLUDING DEFAULTS)")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
            cursor.execute(f"CREATE TABLE {SCRATCH} AS SELECT * FROM {table} WHERE 0")
        for path in files.values():
            frame = pl.read_csv(path, try_parse_dates=True)
            rows = [
                (households[h], d, c, i or "", a, v[:2], v[:4], v[:6], v, "import", now)
                for h, d, c, i, a in frame.iter_rows()
                for v in (village[h],)
            ]
            started = time.perf_counter()
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


def _cleanup(province: Area) -> None:
    ids = Household.objects.filter(province_code=province.code, code__startswith="B-").values_list("pk", flat=True)
    with transaction.atomic():
        LedgerEntry.objects.filter(household_id__in=ids).delete()
        HouseholdMonth.objects.filter(household_id__in=ids).delete()
        HouseholdMonthCategory.objects.filter(household_id__in=ids).delete()
        AreaMonthCategory.objects.filter(area_code__startswith=province.code).delete()
        Household.objects.filter(pk__in=ids).delete()


def bench_run(
    *,
    households: int,
    months: int,
    province_code: str = "37",
    seed: int = 1,
    samples: int = 300,
    keep: bool = False,
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
            say("raw COPY baseline" if connection.vendor == "postgresql" else "raw executemany baseline")
            result.rows, result.copy_seconds = _copy_baseline(files, pk_of, village_of)
            result.copy_seconds = round(result.copy_seconds, 2)
            result.copy_rows_per_s = round(result.rows / result.copy_seconds) if result.copy_seconds else 0
            say(f"importing {result.rows:,} rows through chumchon import ledgers")
            actor = Actor.system("cli:bench")
            started = time.perf_counter()
            for tambon_code, path in sorted(files.items()):
                tambon = Area.objects.get(code=tambon_code)
                outcome = ledger_import_file(path, tambon=tambon, actor=actor)
                if not outcome.completed:
                    raise BenchError(f"import of {tambon_code} was refused: {outcome.to_json()['errors'][:3]}")
            result.import_seconds = round(time.perf_counter() - started, 2)
            result.import_rows_per_s = round(result.rows / result.import_seconds) if result.import_seconds else 0
        result.import_vs_copy = (
            round(result.import_rows_per_s / result.copy_rows_per_s, 3) if result.copy_rows_per_s else 0
        )
        say("verifying the rollups")
        started = time.perf_counter()
        result.verify_ok = rollups_verify() == []
        result.verify_s = round(time.perf_counter() - started, 2)
        say("timing figures")
        timings = _figures_timings(province, span, samples, seed)
        result.figures_samples = len(timings)
        result.figures_p50_ms = round(statistics.median(timings), 2)
        result.figures_p95_ms = round(statistics.quantiles(timings, n=20)[18], 2)
        result.peak_rss_mb = peak_rss_mb()
    finally:
        if not keep:
            say("cleaning up")
            _cleanup(province)
    return result
