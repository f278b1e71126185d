"""The household-level cells of the dashboard and the maps an aggregate-only reader
gets, protected against subtraction like the money cells (``insights.disclosure``).

**The cells.** Per area and published period: the households in deficit, the
households whose debt fell and whose debt was cleared, and one cell per occupation
group of the repayment table (its households, their yearly surplus and their debt
are hidden together, so the cell is the row) and for all households together
(``occ:*``); per area, whatever the period (the registry's latest records): one cell
per source of debt (its households, principal and payment) and the households that
owe (``owing``, shown with the total debt). A cell's households are counted exactly.

**Relations.** Parent area = sum of its children (every cell); all households = sum
of the occupation groups; the households that owe and the total debt = the sources
(the total debt is their sum; a household owing to two sources is behind both, so
the count of those that owe lies between the largest source and their sum — the
bounds ``core.disclosure`` derives from a relation hold for it). Counts over
different periods are not sums of each other (a household in deficit over a quarter
need not be in deficit in any one month), so periods are protected one by one.

**Linked to the money table.** All households of the repayment table are the
households reporting: ``occ:*`` is hidden exactly where ``insights.disclosure``
hides ``households_reporting`` (frozen from it).

**Top down**, like the money table: the province and its districts first, then each
district with its tambons (its own cells frozen as decided above), then each tambon
with its villages. Every reader of an area computes its pattern from its ancestors'
tables, kept in the cache by the rollups' version.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from chumchon.areas.models import LEVEL_FIELD, Level, level_of
from chumchon.areas.selectors import child_codes
from chumchon.core.disclosure import Cell, Relation, kept, protect_below
from chumchon.core.thai import Month
from chumchon.insights import disclosure
from chumchon.insights.dashboard.common import debt_change
from chumchon.ledgers.selectors import category_kinds, household_months_reported, rollups_version
from chumchon.registry.models import DebtSource
from chumchon.registry.selectors import debts_latest, households_under, occupation_groups

DEFICIT = "deficit"
FELL = "fell"
CLEARED = "cleared"
OWING = "owing"
ALL_GROUPS = "occ:*"


def occupation_key(group: str) -> str:
    """The cell of an occupation group (``""``: households without one)."""
    return f"occ:{group}"


def source_key(source: str) -> str:
    return f"debt:{source}"


Key = tuple[str, str]  # area, cell
Pattern = dict[str, frozenset[str]]  # area → hidden cells


def household_hidden(area_code: str, start: Month, end: Month, *, memo: dict | None = None) -> frozenset[str]:
    """The household-level cells of ``area_code`` over a published period hidden from an
    aggregate-only reader (the names above). ``memo`` keeps the tables of one page."""
    disclosure.check_published(start, end)
    top = area_code if level_of(area_code) == Level.PROVINCE else area_code[:-2]
    pattern = _table(top, start, end, {} if memo is None else memo)
    return pattern.get(area_code, frozenset())


def _table(parent: str, start: Month, end: Month, memo: dict) -> Pattern:
    def compute() -> Pattern:
        above = None if level_of(parent) == Level.PROVINCE else _table(parent[:-2], start, end, memo)
        cells, relations = table(parent, start, end)
        # An area's count of reporting households is the rollups' table's cell, as decided there.
        frozen = {
            key: disclosure.REPORTING in disclosure.hidden_cells(key[0], start, end, memo=memo)
            for key in cells
            if key[1] == ALL_GROUPS and (above is None or key[0] != parent)
        }
        return protect_below(parent, cells, relations, above=above, split=_split, frozen=frozen)

    def shared() -> str:
        return f"disclosure-households:{parent}:{start.iso()}:{end.iso()}:{rollups_version()}"

    return kept(memo, ("households", parent, start, end), shared, compute)


def _split(key: Key) -> tuple[str, str]:
    return key


def table(parent: str, start: Month, end: Month) -> tuple[dict[Key, Cell], list[Relation]]:
    """The cells and relations of ``parent`` and its children over a span, counted as
    the dashboard of each area counts them (``insights.dashboard.compute``)."""
    children = child_codes(parent)
    areas = [parent, *children]
    width = len(children[0]) if children else len(parent)
    column = LEVEL_FIELD[level_of(children[0])] if children else LEVEL_FIELD[level_of(parent)]

    # Each reporting household's income, expense and months per child area (a household
    # whose lines were written in two areas is in each with its lines there, as each
    # area's dashboard has it) and over the parent.
    per_area: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for household_id, child, months, income, expense in (
        household_months_reported(parent, start, end)
        .values("household_id", column)
        .annotate(months=Count("id"), income=Sum("income"), expense=Sum("expense"))
        .values_list("household_id", column, "months", "income", "expense")
        .order_by()
    ):
        row = [months, income or 0, expense or 0]
        per_area[child][household_id] = row
        whole = per_area[parent].setdefault(household_id, [0, 0, 0])
        for i in range(3):
            whole[i] += row[i]
    occupation = occupation_groups(per_area[parent])
    village_of = dict(households_under(parent).values_list("pk", "village_id").order_by())

    counts: dict[Key, int] = defaultdict(int)
    for area in areas:
        for household_id, (_months, income, expense) in per_area.get(area, {}).items():
            if income - expense < 0:
                counts[area, DEFICIT] += 1
            counts[area, occupation_key(occupation.get(household_id) or "")] += 1
            counts[area, ALL_GROUPS] += 1

    # Debts: the registry's latest records of the active households, by current village.
    debts = debts_latest(parent)
    for records in debts.values():
        village = records[0].village
        for area in {parent, village[:width]}:
            owes = False
            for r in records:
                if r.principal > 0:
                    counts[area, source_key(r.source)] += 1
                    owes = True
            if owes:
                counts[area, OWING] += 1
    change = debt_change(parent, start, end, debts, category_kinds())
    for name, households in ((FELL, change.fell), (CLEARED, change.cleared)):
        for household_id in households:
            home = village_of.get(household_id)
            if home is None:
                continue
            for area in {parent, home[:width]}:
                counts[area, name] += 1

    groups = sorted({name for (_a, name) in counts if name.startswith("occ:") and name != ALL_GROUPS})
    sources = [source_key(s.value) for s in DebtSource]
    names = [DEFICIT, FELL, CLEARED, ALL_GROUPS, OWING, *groups, *sources]
    cells = {(a, n): Cell(counts[a, n], counts[a, n], counts[a, n]) for a in areas for n in names}
    relations: list[Relation] = []
    if children:
        for n in names:
            relations.append(Relation((parent, n), tuple((c, n) for c in children)))
    for a in areas:
        relations.append(Relation((a, ALL_GROUPS), tuple((a, g) for g in groups)))
        relations.append(Relation((a, OWING), tuple((a, s) for s in sources)))
    return cells, relations
