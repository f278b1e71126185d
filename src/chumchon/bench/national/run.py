"""The simulation's run and its result (``chumchon bench --national``)."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.utils import timezone

from chumchon.areas.models import Area, Level
from chumchon.bench.national.exports import (
    FIRST_MONTH,
    NATION,
    export_write,
    province_synthetic,
    region_of,
    satang_of,
    share,
)
from chumchon.bench.national.node import NationalNode, area_provinces
from chumchon.bench.run import machine, peak_rss_mb
from chumchon.core.disclosure import THRESHOLD
from chumchon.ledgers.selectors import category_kinds


@dataclass
class NationalResult:
    provinces: int
    months: int
    districts: int = 0
    tambons: int = 0
    households: int = 0
    categories: int = 0
    rows_exported: int = 0
    bytes_exported: int = 0
    cells_suppressed_at_source: int = 0
    export_s: float = 0.0  # generating the provinces' aggregates, hiding small cells, writing
    load_s: float = 0.0  # the national node reading and checking every file
    resend_unchanged: bool = False  # every file sent again: nothing changed
    rollup_s: float = 0.0
    rows_national: int = 0
    node_mb: float = 0.0  # the node's frames in memory (polars' estimate)
    query_samples: int = 0
    query_p50_ms: float = 0.0
    query_p95_ms: float = 0.0
    totals_exact: bool = False  # nation = Σ provinces' true totals, every month and cell (Decimal)
    regions_exact: bool = False  # each region = Σ its provinces
    national_income_baht: str = ""
    national_expense_baht: str = ""
    small_cells_received: int = 0
    person_level_rows_received: int = 0
    export_peak_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    machine: dict[str, object] = field(default_factory=dict)
    date: str = ""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def national_run(
    *,
    provinces: int = 77,
    months: int = 12,
    households: int = 22_000_000,
    samples: int = 300,
    seed: int = 1,
    keep: Path | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> NationalResult:
    """The simulation; the files go to ``keep`` (kept) or a scratch directory (removed)."""
    rng = random.Random(seed)
    tree = _tree()
    chosen = sorted(tree)
    chosen = [chosen[i * len(chosen) // provinces] for i in range(min(provinces, len(chosen)))]
    per_tambon = households / sum(len(t) for d in tree.values() for t in d.values())
    kinds = category_kinds()
    categories = {code: (share(code, rng), satang_of(code, kinds.income, rng)) for code in kinds.by_code}
    month_list = [FIRST_MONTH.add(i) for i in range(months)]
    result = NationalResult(provinces=len(chosen), months=months, categories=len(categories))
    directory = keep or Path(tempfile.mkdtemp(prefix="chumchon-national-"))
    directory.mkdir(parents=True, exist_ok=True)
    truth: dict[tuple[str, str], tuple[int, int]] = {}
    try:
        say(f"exporting {len(chosen)} provinces × {months} months")
        started = time.perf_counter()
        manifests: list[Path] = []
        for code in chosen:
            p = province_synthetic(
                code, tree[code], months=month_list, categories=categories, households_per_tambon=per_tambon, rng=rng
            )
            manifests.append(export_write(directory, code, p.shown, rollups_version=1))
            for key, (a, n) in p.truth.items():
                t = truth.get(key, (0, 0))
                truth[key] = (t[0] + a, t[1] + n)
            result.households += p.households
            result.cells_suppressed_at_source += p.suppressed
            result.rows_exported += p.shown.height
            result.districts += len(tree[code])
            result.tambons += sum(len(t) for t in tree[code].values())
        result.export_s = round(time.perf_counter() - started, 2)
        result.export_peak_rss_mb = peak_rss_mb()  # the high-water mark so far: the exports' own
        result.bytes_exported = sum(path.stat().st_size for path in directory.glob("*.csv"))

        say("loading them into the national node")
        node = NationalNode(area_provinces(), income=kinds.income, expense=kinds.expense)
        started = time.perf_counter()
        for path in manifests:
            node.receive(path)
        result.load_s = round(time.perf_counter() - started, 2)
        result.resend_unchanged = all(node.receive(path) == "unchanged" for path in manifests)
        for frame in node.frames.values():
            result.small_cells_received += frame.filter(pl.col("households") < THRESHOLD).height
            result.person_level_rows_received += frame.filter(pl.col("level") == Level.VILLAGE.value).height

        started = time.perf_counter()
        rolled = node.roll_up()
        result.rollup_s = round(time.perf_counter() - started, 3)
        result.rows_national = node.rows
        result.node_mb = node.size_mb
        result.totals_exact, result.regions_exact = _verify(rolled, truth, chosen)
        year = node.figures(NATION, month_list[0], month_list[-1])
        result.national_income_baht, result.national_expense_baht = str(year.income), str(year.expense)

        say(f"timing {samples} national figure queries")
        targets = [NATION, *sorted({region_of(c) for c in chosen}), *chosen]
        targets += sorted(rng.sample(sorted(node.by_area), min(200, len(node.by_area))))
        timings = []
        for _ in range(samples):
            first = rng.randrange(months)
            last = rng.randrange(first, months)
            started = time.perf_counter()
            node.figures(rng.choice(targets), month_list[first], month_list[last])
            timings.append((time.perf_counter() - started) * 1000)
        if timings:
            result.query_samples = len(timings)
            result.query_p50_ms = round(statistics.median(timings), 2)
            result.query_p95_ms = round(statistics.quantiles(timings, n=20)[18] if len(timings) > 1 else timings[0], 2)
    finally:
        if keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    result.peak_rss_mb = peak_rss_mb()
    result.machine = machine()
    result.date = timezone.now().isoformat(timespec="seconds")
    return result


def _verify(
    rolled: pl.DataFrame, truth: dict[tuple[str, str], tuple[int, int]], chosen: list[str]
) -> tuple[bool, bool]:
    """The nation against the provinces' true totals (Decimal baht, every month and
    cell), and each region against the sum of its provinces' rows as received."""
    nation = {
        (m.isoformat(), c): (Decimal(a) / 100, n)
        for m, c, a, n in rolled.filter(pl.col("level") == "nation")
        .select("month", "cell", "amount_satang", "households")
        .iter_rows()
    }
    expected = {k: (Decimal(a) / 100, n) for k, (a, n) in truth.items()}
    provinces = rolled.filter(pl.col("level") == Level.PROVINCE.value)
    regions_ok = True
    for region in sorted({region_of(c) for c in chosen}):
        mine = provinces.filter(pl.col("area_code").str.starts_with(region[1]))
        want = {(m.isoformat(), c): Decimal(0) for m, c in mine.select("month", "cell").unique().iter_rows()}
        for m, c, a in mine.select("month", "cell", "amount_satang").iter_rows():
            want[m.isoformat(), c] += Decimal(a) / 100
        got = {
            (m.isoformat(), c): Decimal(a) / 100
            for m, c, a in rolled.filter((pl.col("level") == "region") & (pl.col("area_code") == region))
            .select("month", "cell", "amount_satang")
            .iter_rows()
        }
        regions_ok = regions_ok and got == want
    return nation == expected, regions_ok


def _tree() -> dict[str, dict[str, list[str]]]:
    """province → district → tambons, from the areas table."""
    tree: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, province, district in (
        Area.objects.filter(level=Level.TAMBON).order_by("code").values_list("code", "province_code", "district_code")
    ):
        tree[province][str(district)].append(code)
    return {p: dict(d) for p, d in tree.items()}
