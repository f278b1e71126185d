"""The national node: receives the provinces' files, checks them, rolls them up to the
regions and the nation, and answers figures (in memory, polars)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from chumchon.areas.models import Area, Level
from chumchon.bench.national.exports import (
    COLUMNS,
    EXPORTED_LEVELS,
    FORMAT,
    FORMAT_VERSION,
    NATION,
    REPORTING,
    ExportRejected,
    Manifest,
)
from chumchon.core.disclosure import THRESHOLD
from chumchon.core.thai import Month, months_between


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
        """Regions and the nation from the provinces' own rows, and every area received
        made queryable (one small frame an area: the node's index). Returns the national
        table: the provinces', regions' and nation's rows."""
        provinces = pl.concat([f.filter(pl.col("level") == Level.PROVINCE.value) for f in self.frames.values()])
        sums = [pl.col("amount_satang").sum(), pl.col("households").sum()]
        regions = (
            provinces.with_columns(pl.concat_str(pl.lit("R"), pl.col("area_code").str.slice(0, 1)).alias("area_code"))
            .group_by("area_code", "month", "cell")
            .agg(*sums)
            .with_columns(pl.lit("region").alias("level"))
            .select(list(COLUMNS))
        )
        nation = (
            provinces.group_by("month", "cell")
            .agg(*sums)
            .with_columns(pl.lit(NATION).alias("area_code"), pl.lit("nation").alias("level"))
            .select(list(COLUMNS))
        )
        self.by_area = {}
        for frame in [*self.frames.values(), regions, nation]:
            for key, part in frame.partition_by("area_code", as_dict=True).items():
                self.by_area[str(key[0])] = part
        return pl.concat([provinces, regions, nation])

    @property
    def size_mb(self) -> float:
        """What the node holds in memory: the provinces' frames and the per-area index."""
        held = [*self.frames.values(), *self.by_area.values()]
        return round(sum(f.estimated_size() for f in held) / 2**20, 1)

    @property
    def rows(self) -> int:
        """The rows the node answers from (every area received, the regions and the nation)."""
        return sum(part.height for part in self.by_area.values())

    def figures(self, area: str, first: Month, last: Month) -> NationalFigures:
        part = self.by_area.get(area)
        if part is None:
            raise KeyError(area)
        span = part.filter(pl.col("month").is_between(first.first_day, last.first_day))
        by_cell = span.group_by("cell").agg(pl.col("amount_satang").sum(), pl.col("households").max())
        cents = dict(zip(by_cell["cell"].to_list(), by_cell["amount_satang"].to_list(), strict=True))
        reporting = span.filter(pl.col("cell") == REPORTING)["households"]
        by_category = {c: Decimal(v) / 100 for c, v in cents.items() if c != REPORTING}
        wanted = {m.first_day.isoformat() for m in months_between(first, last)}
        sent = [m for m in self.manifests.values() if wanted <= set(m.months)]
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


def area_provinces() -> dict[str, str]:
    return dict(
        Area.objects.filter(level__in=[str(level) for level in EXPORTED_LEVELS]).values_list("code", "province_code")
    )
