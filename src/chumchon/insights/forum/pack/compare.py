"""The comparison section: the village beside the medians of its tambon's and
district's villages, the tambon's villages side by side, and their map."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_children
from chumchon.core.thai import Month
from chumchon.insights import dashboard as dash
from chumchon.insights.dashboard import ChildValue, Dashboard
from chumchon.insights.forum.pack.reads import child_values, dashboard_of, visible_parent
from chumchon.insights.forum.pack.types import Block, PackMap, Section
from chumchon.insights.forum.tables import Column, PackTable, Typed
from chumchon.insights.maps import figure_map_svg

COMPARED_FIGURES = (
    (dash.REPORTING, "count"),
    (dash.INCOME, "money"),
    (dash.EXPENSE, "money"),
    (dash.AVOIDABLE, "money"),
    (dash.LOCAL_FOOD, "money"),
)
MAP_FIGURE = dash.AVOIDABLE
CATEGORY_KEY = "category:"


def _comparison_table(d: Dashboard, *, full: bool) -> PackTable:
    """The village beside the medians of its tambon's and district's villages. The
    printed table has the headline figures and the flagged categories; the spreadsheet
    has every category too."""
    shown = [c for c in d.comparisons if full or not c.key.startswith(CATEGORY_KEY) or c.flagged]
    return PackTable(
        key="comparison_all" if full else "comparison",
        title=_("This village beside its tambon and district") if not full else _("Every comparison"),
        sheet=_("Comparison") if not full else _("Every comparison"),
        columns=(
            Column(_("Figure")),
            Column(_("This village"), "money"),
            Column(_("Tambon median"), "money"),
            Column(_("District median"), "money"),
            Column(_("Difference from the tambon"), "diff"),
        ),
        rows=tuple(
            (
                c.label,
                _typed_figure(c.key, c.value),
                _typed_figure(c.key, c.tambon_median),
                _typed_figure(c.key, c.district_median),
                c.diff_vs_tambon,
            )
            for c in shown
        ),
        note=_("Per household per month. A median is the middle village of the tambon or district."),
    )


def compare_section(
    d: Dashboard, area: Area, month: Month, user: object | None, *, internal: bool
) -> tuple[Section, list[PackTable]]:
    blocks: list[Block] = []
    extra: list[PackTable] = []
    if d.comparisons:
        blocks.append(Block("table", table=_comparison_table(d, full=False)))
        extra.append(_comparison_table(d, full=True))
        flagged = tuple(c.sentence for c in d.comparisons if c.flagged and c.sentence)
        if flagged:
            blocks.append(Block("sentences", sentences=flagged, title=_("Where this village differs most")))
    tambon = area if area.level == Level.TAMBON else visible_parent(area, user)
    if tambon is not None:
        values = {figure: child_values(tambon, month, figure, internal=internal) for figure, _kind in COMPARED_FIGURES}
        whole = d if tambon.code == area.code else dashboard_of(tambon, month, month, internal=internal)
        villages = _villages_table(
            tambon, month, values, whole=whole, highlight=area.code if area.level == Level.VILLAGE else ""
        )
        if villages is not None:
            blocks.append(Block("table", table=villages))
            picture = _map(tambon, values[MAP_FIGURE], highlight=area.code if area.level == Level.VILLAGE else "")
            if picture is not None:
                blocks.append(Block("map", map=picture, title=str(dash.FIGURES[MAP_FIGURE].label)))
    title = _("Comparison with the tambon") if area.level == Level.VILLAGE else _("The villages of the tambon")
    return Section(key="compare", title=title, blocks=tuple(blocks)), extra


def _typed_figure(key: str, value: Decimal | None) -> Typed:
    """Comparison values are per household per month, or a share for "deficit"."""
    return Typed(value, "share" if key == dash.DEFICIT else "money")


def _villages_table(
    tambon: Area, month: Month, values: dict[str, list[ChildValue]], *, whole: Dashboard, highlight: str
) -> PackTable | None:
    """The tambon's villages side by side, the tambon as a whole in the last row."""
    columns = {figure: {v.area.code: v for v in found} for figure, found in values.items()}
    rows = []
    for village in area_children(tambon):
        if all(village.code not in found for found in columns.values()):
            continue  # not in the reader's scope
        reporting = columns[dash.REPORTING].get(village.code)
        if reporting is not None and reporting.reporting == 0:
            continue  # no household there kept accounts this month
        name = village.display_name + (" ◀" if village.code == highlight else "")
        row: list[Any] = [name]
        for figure, kind in COMPARED_FIGURES:
            value = columns[figure].get(village.code)
            row.append(Typed(value.value if value is not None else None, kind))  # type: ignore[arg-type]
        rows.append(tuple(row))
    if len(rows) < 2:
        return None
    return PackTable(
        key="villages",
        title=_("Villages of %(tambon)s") % {"tambon": tambon.display_name},
        sheet=_("Villages"),
        columns=(
            Column(_("Village")),
            Column(_("Households keeping accounts"), "count"),
            Column(_("Income per household"), "money"),
            Column(_("Expense per household"), "money"),
            Column(_("Avoidable per household"), "money"),
            Column(_("Local food per household"), "money"),
        ),
        rows=tuple(rows),
        total=(
            _("%(tambon)s as a whole") % {"tambon": tambon.display_name},
            Typed(whole.reporting, "count"),
            Typed(whole.income_mean, "money"),
            Typed(whole.expense_mean, "money"),
            Typed(whole.avoidable_per_household_month, "money"),
            Typed(whole.local_food_per_household_month, "money"),
        ),
        note=_("Per household per month, %(month)s; villages where somebody kept accounts.")
        % {"month": month.label(lang=translation.get_language() or "th")},
    )


def _map(tambon: Area, values: list[ChildValue], *, highlight: str) -> PackMap | None:
    """The villages as a map of the figure (``insights.maps``): names on the map as
    glyph outlines (WeasyPrint loses Thai marks in SVG text), legend and list in HTML."""
    if not values:
        return None
    picture = figure_map_svg(tambon, values, figure=MAP_FIGURE, width=560, height=420, for_pdf=True)
    if picture.empty or not picture.svg:
        return None
    encoded = base64.b64encode(picture.svg.encode("utf-8")).decode("ascii")
    return PackMap(
        data_uri=f"data:image/svg+xml;base64,{encoded}",
        legend=tuple((item.colour, str(item.label)) for item in picture.legend),
        entries=tuple((e.colour, e.area.display_name, e.text, e.area.code == highlight) for e in picture.entries),
        unit=picture.unit,
    )
