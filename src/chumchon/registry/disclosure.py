"""What an aggregate-only reader may see of the household counts of areas: the counts
of ``registry.selectors.households_in_period`` with the small cells hidden so that none
of 1–4 can be read or got back by subtraction — between siblings and their parent, or
between periods (the method is ``chumchon.core.disclosure``'s, as for the money figures
in ``chumchon.insights.disclosure``).

**The cells.** For every area and published period (month, fiscal quarter, fiscal
year): the households it has (``registered``) and the target households among them
(``target``). Each is a count of households, so the households behind a cell are the
cell itself. How many of them left during the period is not published to these
readers at all (it is the registered count less the households still here, which
would give the flows below away).

**Relations** a reader knows:

- a parent area's count is the sum of its children's (per period and count);
- the rest are inequalities that become equations where nothing changed. A month's
  count is at least the next month's (households leave; none is dropped from a month
  by being registered later), a quarter's or a year's at least its first month's,
  and ``target`` at most ``registered``. Where two such counts are equal (nobody
  left that month; the target households are all of them), a reader who sees one
  and two bounding counts equal to it learns a hidden one exactly ("it was 7 before
  and 7 after"), so equal counts are **tied**: both shown or both hidden
  (``Relation(a, (b,))``). Where they differ, a hidden count lies strictly between
  what the reader sees and is not determined by them. How many households left
  (a flow) is not published and is no cell of the table.

**The months.** The table covers the fiscal years from the one before any household
under the province left or wrote accounts to the one after the last such event and
today; every period before has the first month's counts, every period after the
last's, so each takes that month's state.

**Top down.** The province's table (the province and its districts) is protected
first; then each district with its tambons, the district's cells frozen as decided;
then each tambon with its villages. A page computes the pattern of the areas it shows
from their ancestors' tables only, so the home page, an area's page, its children's
rows, the API, the village map, the figures, the dashboard and the forum packs hide
the same cells. Tables are kept in the cache while the registry under the province and
the rollups are unchanged.

**Readers who know some counts.** A volunteer reads the persons of their village and
sees its count whole; were it the one hidden beside a small neighbour, the tambon's
count less the shown villages and their own would give the neighbour away. So a
reader's tables take the areas where they read persons as shown (``known``), and
the cells hidden beside a small one are among the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Max, Min

from chumchon.areas.models import CHILD_LEVEL, Level, level_of
from chumchon.areas.selectors import child_codes
from chumchon.core.disclosure import Cell, Relation, kept, protect_below
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months
from chumchon.registry.reports import reports
from chumchon.registry.versions import registry_version

PUBLISHED = ("registered", "target")  # counts an aggregate-only reader may get
NAMES = ("registered", "left_during", "target")  # counts of HouseholdCount

Period = tuple[Month, Month]
Key = tuple[str, ...]
Pattern = dict[tuple[str, str, str], frozenset[str]]  # (area, first, last month) → hidden names
Memo = dict[str, "Table"]


@dataclass(frozen=True)
class Table:
    first: Month  # the first month of the table's range (the first of a fiscal year)
    last: Month  # the last (the end of a fiscal year)
    pattern: Pattern


def published_periods(fy_be: int) -> list[Period]:
    months = fiscal_year_months(fy_be)
    quarters = [(months[i], months[i + 2]) for i in range(0, 12, 3)]
    return [*((m, m) for m in months), *quarters, (months[0], months[-1])]


def is_published(start: Month, end: Month) -> bool:
    return (start, end) in published_periods(fiscal_year(end.first_day))


def hidden_counts(
    area_code: str, start: Month, end: Month, *, memo: Memo | None = None, known: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The counts of ``area_code`` over the period hidden from an aggregate-only
    reader (names of ``NAMES``; ``left_during`` always). A span that is not a published
    period hides every count. ``memo`` keeps the tables of one piece of work.

    ``known``: the areas where this reader reads persons (a volunteer's village, a
    tambon officer's tambon), whose counts they see whole: those cells are taken as
    shown, so that the cells hidden beside them are others, and what the reader knows
    gives nothing away."""
    if not area_code or not is_published(start, end):
        return frozenset(NAMES)
    top = area_code if level_of(area_code) == Level.PROVINCE else area_code[:-2]
    mine = frozenset(c for c in known if c.startswith(top[:2]))
    found = _table(top, {} if memo is None else memo, mine)
    if end < found.first:
        start = end = found.first
    elif start > found.last:
        start = end = found.last
    return frozenset({"left_during"}) | found.pattern.get((area_code, start.iso(), end.iso()), frozenset())


def hidden_counts_for_reader(
    area_code: str, start: Month, end: Month, *, known: frozenset[str] = frozenset(), memo: Memo | None = None
) -> frozenset[str]:
    """The counts of ``area_code`` hidden from a reader without person-level access to
    it who reads persons in ``known``: what every aggregate-only reader is denied, and
    what is hidden beside the counts this reader knows (shown to them only where both
    patterns show it, which is safe since each is)."""
    hidden = hidden_counts(area_code, start, end, memo=memo)
    if known:
        hidden |= hidden_counts(area_code, start, end, memo=memo, known=known)
    return hidden


def tables_version(province: str) -> str:
    """The version the province's tables are kept under: the registry's under it, the
    rollups' (who reported) and this month (the tables reach to it)."""
    return f"{registry_version(province)}.{reports().version()}.{_today().iso()}"


def _today() -> Month:
    from chumchon.registry.selectors import current_month

    return current_month()


def _table(parent: str, memo: Memo, known: frozenset[str]) -> Table:
    """The hidden counts of ``parent`` and its children, top down (see the docstring)."""
    name = f"{parent}|{','.join(sorted(known))}"

    def compute() -> Table:
        above = None if level_of(parent) == Level.PROVINCE else _table(parent[:-2], memo, known)
        first, last = (above.first, above.last) if above else months_range(parent[:2])
        cells, relations = table(parent, first, last, with_own=above is None)
        frozen = {k: False for k in cells if any(k[0].startswith(c) for c in known)}
        pattern = protect_below(
            parent, cells, relations, above=above.pattern if above else None, split=_split, frozen=frozen
        )
        return Table(first, last, pattern)

    return kept(memo, name, lambda: f"household-counts:{name}:{tables_version(parent[:2])}", compute)


def _split(key: Key) -> tuple[tuple[str, str, str], str]:
    return (key[0], key[1], key[2]), key[3]


def months_range(province: str) -> tuple[Month, Month]:
    """The months of the province's tables: whole fiscal years from the one holding the
    month before the first event (a household leaving, or writing accounts) to the one
    holding the month after the last event, or this month if later."""
    from chumchon.registry.models import Household

    left = Household.objects.filter(province_code=province).aggregate(lo=Min("left_on"), hi=Max("left_on"))
    reported = (
        reports()
        .household_months(province, Month(1900, 1), Month(2200, 12))
        .aggregate(lo=Min("month"), hi=Max("month"))
    )
    today = _today()
    los = [Month.of(d) for d in (left["lo"], reported["lo"]) if d is not None]
    his = [Month.of(d) for d in (left["hi"], reported["hi"]) if d is not None]
    lo = min(los, default=today).previous()
    hi = max([*(m.next() for m in his), today])
    return fiscal_year_months(fiscal_year(lo.first_day))[0], fiscal_year_months(fiscal_year(hi.first_day))[-1]


def table(parent: str, first: Month, last: Month, *, with_own: bool = True) -> tuple[dict[Key, Cell], list[Relation]]:
    """The cells of ``parent`` and its children over the fiscal years ``first``..``last``
    and their relations. ``with_own``: also the
    parent's own relations between periods (for a province, which no table above has)."""
    from chumchon.registry.selectors import households_in_periods_by_child

    child_level = CHILD_LEVEL.get(level_of(parent))
    children = child_codes(parent)
    areas = [parent, *children]
    years = range(fiscal_year(first.first_day), fiscal_year(last.first_day) + 1)
    periods = [p for fy in years for p in published_periods(fy)]
    months = [a for a, b in periods if a == b]
    count: dict[tuple[str, Period, str], int] = {}
    own = households_in_periods_by_child(parent, str(level_of(parent)), periods, reporting=False)
    below = households_in_periods_by_child(parent, str(child_level), periods, reporting=False) if child_level else {}
    for period in periods:
        rows = {**own[period], **below.get(period, {})}
        for code, row in rows.items():
            count[code, period, "registered"] = row.registered
            count[code, period, "target"] = row.target

    def key(area: str, period: Period, name: str) -> Key:
        return (area, period[0].iso(), period[1].iso(), name)

    cells: dict[Key, Cell] = {}
    for area in areas:
        for period in periods:
            for name in PUBLISHED:
                n = count.get((area, period, name), 0)
                cells[key(area, period, name)] = Cell(n, n, n)
    relations: list[Relation] = []

    def tie(a: Key, b: Key) -> None:
        """Counts bound by an inequality that are equal: one state (see the docstring)."""
        if cells[a].value == cells[b].value:
            relations.append(Relation(a, (b,)))

    if children:
        for period in periods:
            for name in PUBLISHED:
                relations.append(Relation(key(parent, period, name), tuple(key(c, period, name) for c in children)))
    for area in areas if with_own else children:
        for period in periods:
            tie(key(area, period, "registered"), key(area, period, "target"))
        for name in PUBLISHED:
            for m, following in pairwise(months):
                tie(key(area, (m, m), name), key(area, (following, following), name))
            for a, b in periods:
                if a != b:
                    tie(key(area, (a, b), name), key(area, (a, a), name))
    return cells, relations
