"""A province's export: the file format, writing it, and synthetic provinces to fill it
(see the package docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
from django.utils import timezone

from chumchon.areas.models import Level
from chumchon.core.disclosure import THRESHOLD, Cell, Relation, protect
from chumchon.core.thai import Month

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
    level = {province: Level.PROVINCE.value, **dict.fromkeys(tambons, Level.DISTRICT.value)}
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


def share(code: str, rng: random.Random) -> float:
    """The share of reporting households with a line in the category in a month: most
    spend on food and utilities, few sell livestock or repay a bank loan."""
    if code[0] == "C" and code[1:] < "10":
        return rng.uniform(0.6, 0.98)
    return math.exp(rng.uniform(math.log(0.004), math.log(0.6)))


def satang_of(code: str, income: tuple[str, ...], rng: random.Random) -> int:
    """A household's monthly amount in the category (whole baht, in satang)."""
    return rng.randint(2_000, 12_000) * 100 if code in income else rng.randint(50, 2_500) * 100
