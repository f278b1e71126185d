"""The national roll-up, simulated: 77 province instances send aggregates only; a
national node loads them and answers national figures (docs/SCALE.md).

**The design it times.** Each province runs its own Chumchon (provinces manage
themselves) and exports, once its month is closed, only what the rollups keep and an
aggregate-only reader may see: area × month × category totals (whole satang) with the
households behind each, and the households reporting each area and month
(``AreaMonthCategory`` and ``HouseholdMonth``'s counts), for the province, its districts
and its tambons — never a village, a household or a line. The cells fewer than five
households stand behind are hidden before the file is written, with enough
complementary cells (``chumchon.core.disclosure.protect``, the method of the
province's own pages) that none can be found by subtraction: parent area = sum of
its children, per month and cell. A hidden cell is simply absent from the file.

**The file** (:data:`FORMAT` version :data:`FORMAT_VERSION`): ``<province>.csv`` with
the columns of :data:`COLUMNS` (``cell`` is a category code or
``households_reporting``) and ``<province>.manifest.json``: the format and its
version, the province, the months, the province's rollups version, the rows, the
threshold and the file's SHA-256. The national node refuses a file whose checksum,
format, columns, areas or months do not match, or with a row fewer than five households
stand behind; a re-send with the same rollups version and checksum changes nothing, a
higher version replaces the province's rows whole, a lower one is refused as stale.

**Synthetic provinces.** The real tree of ``chumchon init`` gives the provinces,
districts and tambons; each tambon gets households (about 22 million over the
country's 7,436 tambons, log-normally spread), and each category a share of them
reporting it each month and an amount a household. Nothing is written to the
project's tables: the exports are files in a scratch directory, the national node
holds them in memory in polars (a few million rows; see docs/SCALE.md for why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
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
from chumchon.bench.run import machine, peak_rss_mb
from chumchon.core.disclosure import THRESHOLD, Cell, Relation, protect
from chumchon.core.thai import Month
from chumchon.ledgers.selectors import category_kinds

FORMAT = "chumchon.national-aggregates"
FORMAT_VERSION = 1
REPORTING = "households_reporting"
NATION = "TH"
COLUMNS: dict[str, type[pl.DataType]] = {
    "level": pl.String,  # province, district, tambon
    "area_code": pl.String,
    "month": pl.Date,  # the first day
    "cell": pl.String,  # a category code or households_reporting
    "amount_satang": pl.Int64,  # 0 for households_reporting
    "households": pl.Int64,  # behind the cell (households reporting it that month)
}
EXPORTED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.TAMBON)
FIRST_MONTH = Month(2025, 10)  # fiscal year 2569 BE
HOUSEHOLDS_REPORTING = 0.93  # of a tambon's households, each month


class ExportRejected(ValueError):
    """The national node refuses a province's file (the message says why)."""


def region_of(province_code: str) -> str:
    """The region of a province: the first digit of its code (the Interior Ministry's
    zones: 1 central, 2 east, 3–4 northeast, 5–6 north, 7 west, 8–9 south)."""
    return f"R{province_code[0]}"


# --- a province's export --------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    province: str
    months: list[str]
    rollups_version: int
    rows: int
    sha256: str
    threshold: int = THRESHOLD
    levels: list[str] = field(default_factory=lambda: [str(level) for level in EXPORTED_LEVELS])
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    created_at: str = ""


def export_write(directory: Path, province: str, frame: pl.DataFrame, *, rollups_version: int) -> Path:
    """Write a province's shown cells (columns of :data:`COLUMNS`) and their manifest;
    returns the manifest's path."""
    frame = frame.select(list(COLUMNS)).sort("level", "area_code", "month", "cell")
    data = directory / f"{province}.csv"
    frame.write_csv(data)
    manifest = Manifest(
        province=province,
        months=sorted({m.isoformat() for m in frame["month"].unique().to_list()}),
        rollups_version=rollups_version,
        rows=frame.height,
        sha256=hashlib.sha256(data.read_bytes()).hexdigest(),
        created_at=timezone.now().isoformat(timespec="seconds"),
    )
    path = directory / f"{province}.manifest.json"
    path.write_text(json.dumps(asdict(manifest), indent=1))
    return path


@dataclass
class SyntheticProvince:
    shown: pl.DataFrame  # what the export carries
    truth: dict[tuple[str, str], tuple[int, int]]  # (month, cell) → (satang, households) of the province
    households: int
    suppressed: int  # cells hidden at the source


def province_synthetic(
    province: str,
    tambons: dict[str, list[str]],  # district → its tambons
    *,
    months: list[Month],
    categories: dict[str, tuple[float, int]],  # code → (share of households a month, satang a household)
    households_per_tambon: float,
    rng: random.Random,
) -> SyntheticProvince:
    """One province's aggregates, its true totals, and the cells it may send."""
    cells: dict[tuple[str, dt.date, str], Cell] = {}
    total: dict[tuple[str, dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    households = 0
    for district, codes in tambons.items():
        for tambon in codes:
            size = max(1, round(households_per_tambon * rng.lognormvariate(-0.18, 0.6)))
            households += size
            for m in months:
                reporting = _draw(size, HOUSEHOLDS_REPORTING, rng)
                month = m.first_day
                rows = [(REPORTING, 0, reporting)]
                for code, (share, satang) in categories.items():
                    n = _draw(reporting, share, rng)
                    amount = round(n * satang * rng.uniform(0.7, 1.3)) if n else 0
                    rows.append((code, amount, n))
                for cell, amount, n in rows:
                    if not n:
                        continue
                    cells[tambon, month, cell] = Cell(amount, n, n)
                    for area in (district, province):
                        t = total[area, month, cell]
                        t[0] += amount
                        t[1] += n
    cells.update({k: Cell(a, n, n) for k, (a, n) in total.items()})
    relations = [
        Relation((parent, m.first_day, cell), tuple((child, m.first_day, cell) for child in children))
        for parent, children in [(province, list(tambons)), *tambons.items()]
        for m in months
        for cell in [REPORTING, *categories]
    ]
    hidden = protect(cells, relations)
    level = {province: Level.PROVINCE.value, **{d: Level.DISTRICT.value for d in tambons}}
    shown = pl.DataFrame(
        [
            (level.get(area, Level.TAMBON.value), area, month, cell, c.value, c.low)
            for (area, month, cell), c in cells.items()
            if (area, month, cell) not in hidden
        ],
        schema=COLUMNS,
        orient="row",
    )
    truth = {(month.isoformat(), cell): (a, n) for (area, month, cell), (a, n) in total.items() if area == province}
    return SyntheticProvince(shown=shown, truth=truth, households=households, suppressed=len(hidden))


def _draw(n: int, p: float, rng: random.Random) -> int:
    """About Binomial(n, p): the normal approximation, or n draws when n·p is small."""
    if n * p < 12:
        return sum(rng.random() < p for _ in range(n)) if n < 400 else min(n, _poisson(n * p, rng))
    return min(n, max(0, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def _poisson(mean: float, rng: random.Random) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


# --- the national node ----------------------------------------------------------------------


@dataclass(frozen=True)
class NationalFigures:
    area: str
    first: str
    last: str
    income: Decimal  # baht
    expense: Decimal
    by_category: dict[str, Decimal]
    households_reporting_max: int  # the most in one month of the span
    provinces: int  # that sent this span


class NationalNode:
    """Receives the provinces' files and answers figures of the nation, its regions, and
    the provinces, districts and tambons they sent (in memory, polars)."""

    def __init__(self, areas: dict[str, str], *, income: tuple[str, ...], expense: tuple[str, ...]) -> None:
        self.areas = areas  # code → province code (provinces, districts and tambons of the tree)
        self.income, self.expense = set(income), set(expense)
        self.manifests: dict[str, Manifest] = {}
        self.frames: dict[str, pl.DataFrame] = {}
        self.by_area: dict[str, pl.DataFrame] = {}
        self.rows_received = 0

    def receive(self, manifest_path: Path) -> str:
        """Load one province's file: ``loaded``, ``replaced`` or ``unchanged``."""
        raw = json.loads(manifest_path.read_text())
        if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
            raise ExportRejected(f"{manifest_path.name}: not {FORMAT} version {FORMAT_VERSION}")
        manifest = Manifest(**raw)
        before = self.manifests.get(manifest.province)
        if before is not None:
            if manifest.rollups_version < before.rollups_version:
                raise ExportRejected(f"{manifest.province}: stale (rollups version {manifest.rollups_version})")
            if manifest.rollups_version == before.rollups_version:
                if manifest.sha256 != before.sha256:
                    raise ExportRejected(f"{manifest.province}: same rollups version, other content")
                return "unchanged"
        data = manifest_path.with_name(f"{manifest.province}.csv")
        if hashlib.sha256(data.read_bytes()).hexdigest() != manifest.sha256:
            raise ExportRejected(f"{manifest.province}: checksum does not match")
        header = data.open(encoding="utf-8").readline().strip().split(",")
        if header != list(COLUMNS):  # nothing but the format's columns: no person-level field
            raise ExportRejected(f"{manifest.province}: columns {header}")
        frame = pl.read_csv(data, schema=COLUMNS)
        self._check(manifest, frame)
        self.manifests[manifest.province] = manifest
        self.frames[manifest.province] = frame
        self.rows_received += frame.height
        return "loaded" if before is None else "replaced"

    def _check(self, manifest: Manifest, frame: pl.DataFrame) -> None:
        province = manifest.province
        if frame.height != manifest.rows:
            raise ExportRejected(f"{province}: {frame.height} rows, the manifest says {manifest.rows}")
        if not frame.filter(pl.col("households") < THRESHOLD).is_empty():
            raise ExportRejected(f"{province}: a cell fewer than {THRESHOLD} households stand behind")
        levels = set(frame["level"].unique().to_list())
        if not levels <= set(manifest.levels) or not levels <= {str(level) for level in EXPORTED_LEVELS}:
            raise ExportRejected(f"{province}: levels {sorted(levels)}")
        months = {m.isoformat() for m in frame["month"].unique().to_list()}
        if not months <= set(manifest.months):
            raise ExportRejected(f"{province}: months outside the manifest")
        strangers = [a for a in frame["area_code"].unique().to_list() if self.areas.get(a) != province]
        if strangers:
            raise ExportRejected(f"{province}: areas not in it: {strangers[:3]}")

    def roll_up(self) -> pl.DataFrame:
        """Regions and the nation from the provinces' own rows; every area queryable."""
        everything = pl.concat(list(self.frames.values()))
        provinces = everything.filter(pl.col("level") == Level.PROVINCE.value)
        sums = [pl.col("amount_satang").sum(), pl.col("households").sum()]
        regions = (
            provinces.with_columns(pl.col("area_code").map_elements(region_of, return_dtype=pl.String))
            .group_by("area_code", "month", "cell")
            .agg(*sums)
            .with_columns(pl.lit("region").alias("level"))
        )
        nation = (
            provinces.group_by("month", "cell")
            .agg(*sums)
            .with_columns(pl.lit(NATION).alias("area_code"), pl.lit("nation").alias("level"))
        )
        rolled = pl.concat([everything, regions.select(list(COLUMNS)), nation.select(list(COLUMNS))])
        self.by_area = {key[0]: part for key, part in rolled.partition_by("area_code", as_dict=True).items()}
        return rolled

    def figures(self, area: str, first: Month, last: Month) -> NationalFigures:
        part = self.by_area.get(area)
        if part is None:
            raise KeyError(area)
        span = part.filter(pl.col("month").is_between(first.first_day, last.first_day))
        by_cell = span.group_by("cell").agg(pl.col("amount_satang").sum(), pl.col("households").max())
        cents = dict(zip(by_cell["cell"].to_list(), by_cell["amount_satang"].to_list(), strict=True))
        reporting = span.filter(pl.col("cell") == REPORTING)["households"]
        by_category = {c: Decimal(v) / 100 for c, v in cents.items() if c != REPORTING}
        sent = [m for m in self.manifests.values() if {first.iso(), last.iso()} <= set(m.months)]
        return NationalFigures(
            area=area,
            first=first.iso(),
            last=last.iso(),
            income=sum((v for c, v in by_category.items() if c in self.income), Decimal(0)),
            expense=sum((v for c, v in by_category.items() if c in self.expense), Decimal(0)),
            by_category=by_category,
            households_reporting_max=int(reporting.max() or 0),  # type: ignore[arg-type]
            provinces=len(sent),
        )


# --- the run --------------------------------------------------------------------------------


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
    query_samples: int = 0
    query_p50_ms: float = 0.0
    query_p95_ms: float = 0.0
    totals_exact: bool = False  # nation = Σ provinces' true totals, every month and cell (Decimal)
    regions_exact: bool = False  # each region = Σ its provinces
    national_income_baht: str = ""
    national_expense_baht: str = ""
    small_cells_received: int = 0
    person_level_rows_received: int = 0
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
    categories = {code: (_share(code, rng), _satang(code, kinds.income, rng)) for code in kinds.by_code}
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
        result.bytes_exported = sum(path.stat().st_size for path in directory.glob("*.csv"))

        say("loading them into the national node")
        node = NationalNode(_area_provinces(), income=kinds.income, expense=kinds.expense)
        started = time.perf_counter()
        for path in manifests:
            node.receive(path)
        result.load_s = round(time.perf_counter() - started, 2)
        result.resend_unchanged = all(node.receive(path) == "unchanged" for path in manifests)
        received = pl.concat(list(node.frames.values()))
        result.small_cells_received = received.filter(pl.col("households") < THRESHOLD).height
        result.person_level_rows_received = received.filter(pl.col("level") == Level.VILLAGE.value).height

        started = time.perf_counter()
        rolled = node.roll_up()
        result.rollup_s = round(time.perf_counter() - started, 3)
        result.rows_national = rolled.height
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


def _verify(rolled: pl.DataFrame, truth: dict[tuple[str, str], tuple[int, int]], chosen: list[str]) -> tuple[bool, bool]:
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
        want = {
            (m.isoformat(), c): Decimal(0) for m, c in mine.select("month", "cell").unique().iter_rows()
        }
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
        tree[province][district].append(code)
    return {p: dict(d) for p, d in tree.items()}


def _area_provinces() -> dict[str, str]:
    return dict(
        Area.objects.filter(level__in=[str(level) for level in EXPORTED_LEVELS]).values_list("code", "province_code")
    )


def _share(code: str, rng: random.Random) -> float:
    """The share of reporting households with a line in the category in a month: most
    spend on food and utilities, few sell livestock or repay a bank loan."""
    if code[0] == "C" and code[1:] < "10":
        return rng.uniform(0.6, 0.98)
    return math.exp(rng.uniform(math.log(0.004), math.log(0.6)))


def _satang(code: str, income: tuple[str, ...], rng: random.Random) -> int:
    """A household's monthly amount in the category (whole baht, in satang)."""
    return rng.randint(2_000, 12_000) * 100 if code in income else rng.randint(50, 2_500) * 100
