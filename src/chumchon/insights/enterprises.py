"""Household enterprises of a tambon and its villages: the cost per rai of rice and
the profit of each kind of enterprise, beside the tambon's median.

Figures are medians over the enterprises (``ledgers.Enterprise``) of the area's
households that have tagged lines in the 12 months to the month asked for, counted
from those lines as each enterprise's own profit and loss counts them (revenue less
production and other costs; borrowing, principal and savings are not costs):

- **profit** per enterprise over the 12 months, by kind (rice, field crop,
  livestock, village shop, food stall …);
- **cost per rai** and **profit per rai** for the kinds kept on land (rice, field
  crops), each enterprise's costs divided by its own rai.

A crop season that ends after the months shown (the rice sown in May and sold from
November to February) has its costs in but only part of its sales: its profit is
marked as "so far" (``in_progress``), not hidden — a forum in the middle of the season
reads its costs per rai, and its profit once the crop is sold.

**The small-cell rule.** A reader without person-level access to an area (an agency
officer; anyone who reads a forum pack) sees none of its values that fewer than 5
enterprises stand behind: the median is hidden, and so is the count. Only medians are
shown — never a sum — and medians are not additive: no equation between areas or
kinds gives a hidden median back. Counts are additive (a tambon's rice farms are its
villages' rice farms), so such a reader gets the count of the tambon as a whole only
(when 5 or more), never a village's: no village's count can be had by subtraction.
A reader with person-level access to an area sees its figures whatever their size.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_children, areas_qs
from chumchon.core.thai import Month
from chumchon.ledgers.models import EnterpriseKind
from chumchon.ledgers.statements import EnterpriseResult, enterprise_results

SMALL_CELL = 5
CENT = Decimal("0.01")
WINDOW_MONTHS = 12
LAND_KINDS = frozenset({EnterpriseKind.RICE, EnterpriseKind.FIELD_CROP, EnterpriseKind.VEGETABLES})


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return Decimal(statistics.median(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class KindFigures:
    """One kind of enterprise in one area, as the reader may see it."""

    kind: str
    label: str
    enterprises: int | None  # None: not shown to this reader (see the module doc)
    profit: Decimal | None  # median profit per enterprise over the 12 months
    cost_per_rai: Decimal | None  # median, kinds kept on land only
    profit_per_rai: Decimal | None
    hidden: bool = False  # fewer than 5 enterprises behind, for this reader
    in_progress: bool = False  # a season of this kind ends after the months shown: profit so far

    @property
    def on_land(self) -> bool:
        return self.kind in LAND_KINDS


@dataclass(frozen=True)
class AreaEnterprises:
    area: Area
    kinds: dict[str, KindFigures]  # by kind, only kinds the area has (or hides)

    def get(self, kind: str) -> KindFigures | None:
        return self.kinds.get(kind)


@dataclass(frozen=True)
class EnterpriseFigures:
    """What the tambon page, a village page and the forum pack show."""

    area: Area  # the area asked for: a tambon or one of its villages
    tambon: AreaEnterprises
    villages: tuple[AreaEnterprises, ...]  # the tambon's villages with enterprises (in scope)
    here: AreaEnterprises | None  # the village asked for
    kinds: tuple[str, ...]  # the kinds the tambon has, in the standard order
    start: Month
    end: Month
    protected: bool  # some figure here is under the small-cell rule for this reader

    @property
    def is_empty(self) -> bool:
        return not self.kinds

    @property
    def tambon_kinds(self) -> list[KindFigures]:
        """The tambon's figures of each kind, in the standard order."""
        return [self.tambon.kinds[k] for k in self.kinds]

    @property
    def in_progress(self) -> bool:
        return any(k.in_progress and not k.hidden for k in self.tambon.kinds.values())

    @property
    def tambon_rice(self) -> KindFigures | None:
        return self.tambon.get(EnterpriseKind.RICE)


def relative_diff(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    """(value − base) / |base|, for "+12% against the tambon"; None without both."""
    if value is None or base is None or base == 0:
        return None
    return ((value - base) / abs(base)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _figures(
    area: Area, results: Sequence[EnterpriseResult], *, protect: bool, show_count: bool, end: Month
) -> AreaEnterprises:
    by_kind: dict[str, list[EnterpriseResult]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    labels = dict(EnterpriseKind.choices)
    kinds: dict[str, KindFigures] = {}
    for kind, items in by_kind.items():
        hidden = protect and len(items) < SMALL_CELL
        land = kind in LAND_KINDS
        kinds[kind] = KindFigures(
            kind=kind,
            label=str(labels.get(kind, kind)),
            enterprises=None if hidden or (protect and not show_count) else len(items),
            profit=None if hidden else median([r.profit for r in items]),
            cost_per_rai=None
            if hidden or not land
            else median([v for r in items if (v := r.cost_per_rai) is not None]),
            profit_per_rai=None
            if hidden or not land
            else median([v for r in items if (v := r.profit_per_rai) is not None]),
            hidden=hidden,
            in_progress=any(r.ends_on is not None and r.ends_on > end.last_day for r in items),
        )
    return AreaEnterprises(area=area, kinds=kinds)


def _protects(user: object | None, code: str, *, internal: bool) -> bool:
    if internal:
        return False
    return user is None or not scope_of(user).can_read_persons_in(code)


def enterprise_figures(
    area: Area, end: Month, *, user: object | None, internal: bool = False, villages: Sequence[Area] | None = None
) -> EnterpriseFigures | None:
    """The enterprise figures of a tambon (with its villages) or of a village (beside
    its tambon), for the 12 months to ``end``, as ``user`` may see them (``None``: the
    public, as a forum pack; ``internal``: every figure). ``villages``: the tambon's
    villages the reader may see (default: all). None for other levels."""
    if area.level == Level.TAMBON:
        tambon = area
    elif area.level == Level.VILLAGE and area.tambon_code:
        tambon = areas_qs().get(code=area.tambon_code)
    else:
        return None
    start = end.add(1 - WINDOW_MONTHS)
    results = enterprise_results(tambon.code, start.first_day, end.last_day)
    by_village: dict[str, list[EnterpriseResult]] = defaultdict(list)
    for r in results:
        by_village[r.village_code].append(r)
    tambon_protected = _protects(user, tambon.code, internal=internal)
    tambon_figures = _figures(tambon, results, protect=tambon_protected, show_count=True, end=end)
    shown = list(villages) if villages is not None else list(area_children(tambon))
    rows = []
    protected = tambon_protected
    for village in shown:
        items = by_village.get(village.code)
        if not items:
            continue
        protect = _protects(user, village.code, internal=internal)
        protected |= protect
        rows.append(_figures(village, items, protect=protect, show_count=False, end=end))
    here = next((v for v in rows if v.area.code == area.code), None) if area.level == Level.VILLAGE else None
    if area.level == Level.VILLAGE and here is None and by_village.get(area.code):
        protect = _protects(user, area.code, internal=internal)
        here = _figures(area, by_village[area.code], protect=protect, show_count=False, end=end)
    order = [k for k, _label in EnterpriseKind.choices]
    kinds = tuple(k for k in order if k in tambon_figures.kinds)
    return EnterpriseFigures(
        area=area, tambon=tambon_figures, villages=tuple(rows), here=here, kinds=kinds,
        start=start, end=end, protected=protected,
    )  # fmt: skip
