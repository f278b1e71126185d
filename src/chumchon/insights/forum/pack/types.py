"""The pack as data: its sections of blocks (tables, the trend chart, sentences, the
map), the headlines of its cover and the discussion questions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chumchon.areas.models import Level
from chumchon.core.thai import Month
from chumchon.insights.coverage import CoverageWarning
from chumchon.insights.dashboard import Dashboard
from chumchon.insights.forum.questions import Question
from chumchon.insights.forum.tables import PackTable, TrendChart

PACK_LEVELS = (Level.VILLAGE, Level.TAMBON)
YEAR = 12


class PackNotAvailable(ValueError):
    """Packs are made for villages and tambons only."""


class InternalNotAllowed(PermissionError):
    """The internal (unsuppressed) copy is for readers with person-level access only."""


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Block:
    """One thing on a page: a table (with bars), the trend chart, sentences or the map."""

    kind: str  # table, trend, sentences, map
    table: PackTable | None = None
    trend: TrendChart | None = None
    sentences: tuple[str, ...] = ()
    title: str = ""
    map: PackMap | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: str = ""
    blocks: tuple[Block, ...] = ()
    new_page: bool = False


@dataclass(frozen=True)
class ForumPack:
    area_code: str
    area_name: str
    level: str
    level_label: str
    place: str  # the areas above: "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ"
    month: Month
    month_label: str  # "ตุลาคม 2569"
    lang: str
    dashboard: Dashboard  # the month
    year: Dashboard  # the fiscal year of the month
    headlines: tuple[Headline, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    generated_at: dt.datetime
    generated_label: str
    suppressed: bool = False
    aggregate_only: bool = False  # public: the small-cell rule applies (cells hidden: –)
    internal: bool = False  # every cell: for the office only, marked on every page
    tables_extra: tuple[PackTable, ...] = field(default_factory=tuple)
    coverage_warning: CoverageWarning | None = None  # under half of the households reported

    @property
    def has_data(self) -> bool:
        return self.dashboard.has_data

    @property
    def tables(self) -> list[PackTable]:
        """Every table of the pack, in printed order (the spreadsheet's sheets)."""
        out = [b.table for s in self.sections for b in s.blocks if b.kind == "table" and b.table is not None]
        return out + list(self.tables_extra)

    @property
    def filename_stem(self) -> str:
        return f"forum-{self.area_code}-{self.month.iso()}"


@dataclass(frozen=True)
class PackMap:
    data_uri: str  # the SVG (shapes only) as a data: URL for an <img>
    legend: tuple[tuple[str, str], ...]  # (colour, label)
    entries: tuple[tuple[str, str, str, bool], ...]  # (colour, area name, value, highlighted)
    unit: str = ""  # what the legend's numbers count
