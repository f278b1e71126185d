"""The household businesses section: the cost per rai of rice and the profit of each
kind of enterprise, beside the tambon's median (``insights.enterprises``).

A pack is public: its figures follow the small-cell rule unless it is the internal
copy — a median that fewer than 5 enterprises stand behind prints as a dash, and a
village's count of enterprises is never printed (only the tambon's, when 5 or more).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.areas.models import Area, Level
from chumchon.core.thai import Month
from chumchon.insights.enterprises import AreaEnterprises, EnterpriseFigures, enterprise_figures, relative_diff
from chumchon.insights.forum.pack.types import Block, Section
from chumchon.insights.forum.tables import Cell, Column, PackTable, Typed
from chumchon.ledgers.models import EnterpriseKind


def _kinds_table(f: EnterpriseFigures) -> PackTable:
    rows: list[tuple[Cell, ...]] = []
    for k in f.tambon_kinds:
        label = k.label + (" †" if k.in_progress and not k.hidden else "")
        rows.append(
            (
                label,
                Typed(k.enterprises, "count"),
                Typed(k.profit, "money"),
                Typed(k.cost_per_rai if k.on_land else None, "money"),
                Typed(k.profit_per_rai if k.on_land else None, "money"),
            )
        )
    return PackTable(
        key="enterprises",
        title=_("Household businesses of %(tambon)s") % {"tambon": f.tambon.area.display_name},
        sheet=_("Businesses"),
        columns=(
            Column(_("Kind")),
            Column(_("Enterprises"), "count"),
            Column(_("Profit per enterprise (median)"), "money"),
            Column(_("Cost per rai (median)"), "money"),
            Column(_("Profit per rai (median)"), "money"),
        ),
        rows=tuple(rows),
        note=_note(f),
    )


def _village_cells(row: AreaEnterprises, f: EnterpriseFigures) -> tuple[Cell, ...]:
    rice, whole = row.get(EnterpriseKind.RICE), f.tambon_rice
    cost = rice.cost_per_rai if rice else None
    profit = rice.profit if rice else None
    return (
        Typed(cost, "money"),
        relative_diff(cost, whole.cost_per_rai if whole else None),
        Typed(profit, "money"),
        relative_diff(profit, whole.profit if whole else None),
    )


def _villages_table(f: EnterpriseFigures) -> PackTable | None:
    rows = [(v.area.display_name, *_village_cells(v, f)) for v in f.villages if v.get(EnterpriseKind.RICE)]
    if not rows:
        return None
    whole = f.tambon_rice
    return PackTable(
        key="enterprises_villages",
        title=_("Rice in each village beside the tambon median"),
        sheet=_("Rice by village"),
        columns=(
            Column(_("Village")),
            Column(_("Cost per rai of rice"), "money"),
            Column(_("Against the tambon"), "diff"),
            Column(_("Profit per rice crop"), "money"),
            Column(_("Against the tambon"), "diff"),
        ),
        rows=tuple(rows),
        total=(
            _("%(tambon)s median") % {"tambon": f.tambon.area.display_name},
            Typed(whole.cost_per_rai if whole else None, "money"),
            None,
            Typed(whole.profit if whole else None, "money"),
            None,
        ),
        note=_note(f),
    )


def _here_table(f: EnterpriseFigures) -> PackTable | None:
    """A village's pack: each figure of the village beside the tambon's median."""
    if f.here is None:
        return None
    rows: list[tuple[Cell, ...]] = []
    rice, whole = f.here.get(EnterpriseKind.RICE), f.tambon_rice
    if rice is not None or whole is not None:
        mine = rice.cost_per_rai if rice else None
        base = whole.cost_per_rai if whole else None
        rows.append((_("Cost per rai of rice"), Typed(mine, "money"), Typed(base, "money"), relative_diff(mine, base)))
    for k in f.tambon_kinds:
        own = f.here.get(k.kind)
        mine = own.profit if own else None
        rows.append(
            (
                _("Profit: %(kind)s") % {"kind": k.label},
                Typed(mine, "money"),
                Typed(k.profit, "money"),
                relative_diff(mine, k.profit),
            )
        )
    return PackTable(
        key="enterprises_here",
        title=_("This village's businesses beside the tambon median"),
        sheet=_("Businesses here"),
        columns=(
            Column(_("Figure")),
            Column(_("This village"), "money"),
            Column(_("Tambon median"), "money"),
            Column(_("Difference from the tambon"), "diff"),
        ),
        rows=tuple(rows),
        note=_note(f),
    )


def _note(f: EnterpriseFigures) -> str:
    text = _(
        "The median enterprise of each kind, from its own profit and loss, over the lines of %(start)s – %(end)s."
    ) % {
        "start": f.start.label(lang=translation.get_language() or "th"),
        "end": f.end.label(lang=translation.get_language() or "th"),
    }
    if f.protected:
        text += " " + _("– : hidden, fewer than 5 enterprises behind it, or none.")
    if f.in_progress:
        text += " " + _("† A season still under way: its costs are in, its crop not all sold — the profit so far.")
    return text


def enterprise_section(area: Area, month: Month, *, internal: bool) -> Section:
    """The section of a village's or a tambon's pack (empty when nobody keeps one)."""
    f = enterprise_figures(area, month, user=None, internal=internal)
    blocks: list[Block] = []
    if f is not None and not f.is_empty:
        tables = [_here_table(f)] if area.level == Level.VILLAGE else []
        tables += [_kinds_table(f)]
        if area.level == Level.TAMBON:
            tables.append(_villages_table(f))
        blocks = [Block("table", table=t) for t in tables if t is not None]
    return Section(key="enterprises", title=_("Household businesses"), blocks=tuple(blocks))
