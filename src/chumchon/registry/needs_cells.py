"""The counts of the needs page an aggregate-only reader gets — households surveyed,
holding a welfare card, failing each TPMAP dimension, any dimension, each indicator —
protected against subtraction like the household counts (``registry.disclosure``)
and the money figures (``insights.disclosure``), by ``core.disclosure.protect``.

**The cells.** Per area, today (the needs page has no period): each count above, of
the area's active households. Each is a count of households, so the households
behind a cell are the cell itself.

**Relations.** A parent area's count is the sum of its children's. A household fails
any dimension when it fails one of them, and a dimension when it fails one of its
indicators, so ``any`` lies between the largest dimension and their sum, and each
dimension between its largest indicator and their sum. These are not sums, and a
reader learns a hidden part from them only where it is the one part with households
(then it equals the whole): there the two are tied, shown or hidden together.

**Top down**, as everywhere: the province with its districts, then each district with
its tambons (its own cells frozen), then each tambon with its villages; cached while
the registry under the province is unchanged.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from chumchon.areas.models import Level, level_of, under_q
from chumchon.areas.selectors import child_codes
from chumchon.core.disclosure import Cell, Relation, kept, protect_below
from chumchon.registry.disclosure import tables_version
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    HOUSEHOLD_AREA_FIELD,
    Dimension,
    Household,
    HouseholdIndicator,
    Indicator,
    IndicatorEdition,
)

SURVEYED = "surveyed"
WELFARE_CARD = "welfare_card"
ANY = "any_dimension"

Key = tuple[str, str]  # area, cell
Pattern = dict[str, frozenset[str]]


def indicator_key(pk: int) -> str:
    return f"indicator:{pk}"


def needs_hidden(area_code: str, *, memo: dict | None = None) -> frozenset[str]:
    """The needs counts of ``area_code`` hidden from an aggregate-only reader: the names
    above, dimension values (``Dimension``) and ``indicator_key(pk)``."""
    top = area_code if level_of(area_code) == Level.PROVINCE else area_code[:-2]
    return _table(top, {} if memo is None else memo).get(area_code, frozenset())


def _table(parent: str, memo: dict) -> Pattern:
    def compute() -> Pattern:
        above = None if level_of(parent) == Level.PROVINCE else _table(parent[:-2], memo)
        cells, relations = table(parent)
        return protect_below(parent, cells, relations, above=above, split=_split)

    return kept(memo, parent, lambda: f"needs-counts:{parent}:{tables_version(parent[:2])}", compute)


def _split(key: Key) -> tuple[str, str]:
    return key


def table(parent: str) -> tuple[dict[Key, Cell], list[Relation]]:
    """The cells and relations of ``parent`` and its children (as ``needs_summary_for_user``
    counts them: the active households)."""
    children = child_codes(parent)
    column = HOUSEHOLD_AREA_FIELD[level_of(children[0])] if children else None
    base = Household.objects.active().filter(under_q(parent, village_field="village_id"))
    counts: dict[Key, int] = defaultdict(int)
    group = [column] if column else []
    answered = HouseholdIndicator.objects.filter(household=OuterRef("pk"))
    for row in (
        base.values(*group)
        .annotate(
            welfare=Count("id", filter=Q(welfare_card=True)),
            any=Count("id", filter=Q(dimensions_failed__gt=0)),
            surveyed=Count("id", filter=Exists(answered)),
            **{d.value: Count("id", filter=Q(**{field: True})) for d, field in DIMENSION_FIELDS.items()},
        )
        .order_by()
    ):
        for area in {parent, row[column]} if column else {parent}:
            counts[area, WELFARE_CARD] += row["welfare"]
            counts[area, ANY] += row["any"]
            counts[area, SURVEYED] += row["surveyed"]
            for d in Dimension:
                counts[area, d.value] += row[d.value]
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    indicators = list(Indicator.objects.filter(edition=edition)) if edition else []
    field = f"household__{column}" if column else None
    for row in (
        HouseholdIndicator.objects.filter(household__in=base, failed=True, indicator__edition=edition)
        .values("indicator_id", *([field] if field else []))
        .annotate(n=Count("id"))
        .order_by()
    ):
        for area in {parent, row[field]} if field else {parent}:
            counts[area, indicator_key(row["indicator_id"])] += row["n"]

    areas = [parent, *children]
    names = [SURVEYED, WELFARE_CARD, ANY, *(d.value for d in Dimension), *(indicator_key(i.pk) for i in indicators)]
    cells = {(a, n): Cell(counts[a, n], counts[a, n], counts[a, n]) for a in areas for n in names}
    relations: list[Relation] = []
    if children:
        relations += [Relation((parent, n), tuple((c, n) for c in children)) for n in names]
    for a in areas:
        # "Any dimension" is not the sum of the five (a household fails several), nor a
        # dimension of its indicators: only where a single part has households does the
        # part equal the whole, and then the two share one state.
        _tie_if_one(relations, counts, (a, ANY), [(a, d.value) for d in Dimension])
        for d in Dimension:
            own = [(a, indicator_key(i.pk)) for i in indicators if i.dimension == d.value]
            _tie_if_one(relations, counts, (a, d.value), own)
    return cells, relations


def _tie_if_one(relations: list[Relation], counts: dict[Key, int], whole: Key, parts: list[Key]) -> None:
    live = [p for p in parts if counts[p]]
    if len(live) == 1:
        relations.append(Relation(whole, (live[0],)))
