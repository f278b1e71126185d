"""Any dashboard figure as a map by child area: villages of a tambon, tambons of a district.

Boundaries are drawn when they have been uploaded (``registry:boundaries``); an area
without one is a bubble at its centroid (its own point, else the mean of its villages'
points), the bubble's area proportional to the value. Fill colours are classes of the
value (quantiles, up to five, plus a red class below zero for surpluses), with a grey
"no data" class for areas where nothing was reported and a hatched "hidden" one for
values the small-cell rule hides from the reader — a hidden value is neither zero nor
missing, so it is never drawn as either.

Each area's name is written on the map (as glyph outlines in a PDF: ``core.maps``),
bubbles come with their scale, and the legend (with the figure's unit) and the list
of areas with their values come back beside the SVG for the page (and the forum
pack) to set as HTML.

- ``figure_map_svg(area, values, figure=…)`` draws values already computed (the forum
  pack passes what it computed with ``figure_by_child_area``);
- ``figure_map_for_user(user, area, start, end, figure, category)`` computes and draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg
from django.utils.translation import gettext as _

from chumchon.areas.models import LEVEL_FIELD, Area, Level
from chumchon.areas.selectors import areas_qs
from chumchon.core import maps
from chumchon.core.thai import Month, format_amount, format_count
from chumchon.insights.dashboard import ChildValue, figure_by_child_area, figure_spec

# Sequential, colour-blind safe (ColorBrewer YlGnBu without its palest step, which
# vanishes on the map's background); red for values below zero; grey for no data.
CLASS_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NEGATIVE_COLOUR = "#d9480f"
NO_DATA_COLOUR = "#c9d1d6"
HIDDEN_FILL = maps.HIDDEN_FILL
HIDDEN_SWATCH = maps.HIDDEN_SWATCH
MAX_CLASSES = len(CLASS_COLOURS)


def format_value(value: Decimal | int | None, unit: str) -> str:
    """A figure's value as the dashboard prints it: ``฿1,234``, ``1,234``, ``12.5%``."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{format_amount((Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP), places=1)}%"
    if unit == "count":
        return format_count(int(value))
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}฿{format_amount(abs(amount), places=0)}"


def unit_label(unit: str) -> str:
    """What a figure's numbers are counted in, for the legend."""
    return {
        "money_phm": _("baht per household per month"),
        "money": _("baht"),
        "count": _("households"),
        "share": _("percent of households"),
    }.get(unit, "")


@dataclass(frozen=True)
class MapEntry:
    """One child area on the map, for the list printed beside it."""

    area: Area
    value: Decimal | None
    text: str  # the value formatted for its unit ("—" when none, "hidden" when suppressed)
    colour: str  # a CSS background: a colour, or the hatch of a hidden value
    href: str = ""
    hidden: bool = False


@dataclass(frozen=True)
class FigureMap:
    svg: str  # shapes and circles only, no <text>; empty when nothing has a place
    legend: list[maps.LegendItem] = field(default_factory=list)
    entries: list[MapEntry] = field(default_factory=list)  # largest value first, no data last
    mode: str = "bubbles"  # "boundaries", "bubbles" or "mixed"
    empty: bool = False  # no child area has a boundary or a point
    unplaced: int = 0  # child areas with a value but neither a boundary nor a point
    unit: str = ""  # what the legend's numbers count, e.g. "baht per household per month"


def _breaks(values: Sequence[Decimal]) -> tuple[list[Decimal], bool]:
    """Upper bounds of up to five quantile classes of the non-negative values, and
    whether each class is exactly one value (five distinct values or fewer)."""
    ordered = sorted(values)
    distinct = sorted(set(ordered))
    if len(distinct) <= MAX_CLASSES:
        return distinct, True
    bounds: list[Decimal] = []
    for i in range(1, MAX_CLASSES + 1):
        bound = ordered[min(len(ordered) - 1, round(i * len(ordered) / MAX_CLASSES) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    bounds[-1] = ordered[-1]
    return bounds, False


def _class_colour(index: int, classes: int) -> str:
    """Fewer classes are spread over the whole ramp so two classes stay far apart."""
    step = (len(CLASS_COLOURS) - 1) / max(classes - 1, 1)
    return CLASS_COLOURS[round(index * step)] if classes > 1 else CLASS_COLOURS[2]


def _colour(value: Decimal | None, bounds: Sequence[Decimal]) -> str:
    if value is None:
        return NO_DATA_COLOUR
    if value < 0:
        return NEGATIVE_COLOUR
    for i, bound in enumerate(bounds):
        if value <= bound:
            return _class_colour(i, len(bounds))
    return _class_colour(len(bounds) - 1, len(bounds))


def _legend(
    bounds: Sequence[Decimal], unit: str, *, exact: bool, negative: bool, no_data: bool, hidden: bool
) -> list[maps.LegendItem]:
    items = []
    if negative:
        items.append(maps.LegendItem(colour=NEGATIVE_COLOUR, label=_("below zero")))
    for i, bound in enumerate(bounds):
        if exact:
            label = format_value(bound, unit)
        elif i == 0:
            label = _("up to %(value)s") % {"value": format_value(bound, unit)}
        else:
            label = f"{format_value(bounds[i - 1], unit)} – {format_value(bound, unit)}"
        items.append(maps.LegendItem(colour=_class_colour(i, len(bounds)), label=label))
    if no_data:
        items.append(maps.LegendItem(colour=NO_DATA_COLOUR, label=_("no data")))
    if hidden:
        items.append(
            maps.LegendItem(
                colour=HIDDEN_SWATCH,
                label=_(
                    "hidden by the small-cell rule (fewer than 5 households, or one that would give such a value back)"
                ),
            )
        )
    return items


def _centroids(children: Sequence[Area]) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each child: its own point, its boundary's centre, else the mean of its villages."""
    out: dict[str, tuple[float, float]] = {}
    missing: list[Area] = []
    for a in children:
        if a.lat is not None and a.lon is not None:
            out[a.code] = (float(a.lon), float(a.lat))
        elif a.boundary and (c := maps.centroid(a.boundary)) is not None:
            out[a.code] = c
        elif a.level != Level.VILLAGE:
            missing.append(a)
    if missing:
        level = Level(missing[0].level)
        column = LEVEL_FIELD[level]
        rows = (
            areas_qs()
            .filter(
                level=Level.VILLAGE,
                lat__isnull=False,
                lon__isnull=False,
                **{f"{column}__in": [a.code for a in missing]},
            )
            .values(column)
            .annotate(lat=Avg("lat"), lon=Avg("lon"))
        )
        for row in rows:
            out[row[column]] = (float(row["lon"]), float(row["lat"]))
    return out


def figure_map_svg(
    area: Area,
    values: Sequence[ChildValue],
    *,
    figure: str,
    category: str | None = None,
    link: Callable[[Area], str] | None = None,
    width: int = 640,
    height: int = 440,
    for_pdf: bool = False,
) -> FigureMap:
    """Draw ``values`` (one per child area of ``area``) as a map: see the module doc.

    ``link`` gives each child's shape or bubble a link (the page links to the child's
    dashboard; the PDF passes none). ``for_pdf`` writes the names as outlines. Put
    ``legend`` and ``entries`` beside the SVG as HTML.
    """
    spec = figure_spec(figure, category)
    present = [v.value for v in values if v.value is not None]
    bounds, exact = _breaks([v for v in present if v >= 0])
    negative = any(v < 0 for v in present)
    no_data = any(v.value is None and not v.hidden for v in values)
    hidden_any = any(v.hidden for v in values)
    centres = _centroids([v.area for v in values])
    largest = max((abs(float(v)) for v in present), default=0.0)
    # Many areas: smaller bubbles, so neighbours overlap less.
    max_radius = 26.0 if len(values) <= 12 else 20.0 if len(values) <= 30 else 14.0

    shapes: list[maps.Shape] = []
    points: list[maps.Point] = []
    entries: list[MapEntry] = []
    unplaced = 0
    for child in values:
        colour = _colour(child.value, bounds)
        fill = HIDDEN_FILL if child.hidden else colour
        text = _("hidden") if child.hidden else format_value(child.value, spec.unit)
        title = f"{child.area.display_name}: {text}"
        href = link(child.area) if link else ""
        entries.append(
            MapEntry(
                area=child.area, value=child.value, text=text, colour=HIDDEN_SWATCH if child.hidden else colour,
                href=href, hidden=child.hidden,
            )
        )  # fmt: skip
        name = child.area.map_name
        if child.area.boundary and maps.geometry_is_valid(child.area.boundary):
            shapes.append(maps.Shape(geometry=child.area.boundary, fill=fill, title=title, href=href, label=name))
        elif child.area.code in centres:
            lon, lat = centres[child.area.code]
            size = abs(float(child.value)) if child.value is not None else 0.0
            radius = maps.bubble_radius(size, largest, max_radius=max_radius, min_radius=4.0)
            if child.hidden:
                radius = maps.HIDDEN_RADIUS
            points.append(
                maps.Point(
                    lon=lon, lat=lat, colour=fill, radius=radius, title=title, href=href, label=name,
                    stroke=maps.HIDDEN_STROKE if child.hidden else "#ffffff",
                )
            )  # fmt: skip
        elif child.value is not None:
            unplaced += 1
    # The parent's own outline under the bubbles, when it has one and the children do not.
    if not shapes and area.boundary and maps.geometry_is_valid(area.boundary) and points:
        shapes = [maps.Shape(geometry=area.boundary, title=area.display_name)]
        mode = "bubbles"
    elif shapes and points:
        mode = "mixed"
    elif shapes:
        mode = "boundaries"
    else:
        mode = "bubbles"
    scale = None
    if points and largest > 0:
        scale = maps.BubbleScale(
            title=_("Circle size"),
            circles=tuple(
                maps.ScaleCircle(
                    radius=maps.bubble_radius(v, largest, max_radius=max_radius, min_radius=4.0),
                    text=format_value(Decimal(str(v)), spec.unit),
                )
                for v in maps.scale_values(largest, smallest=1 if spec.unit == "count" else 0)
            ),
        )
    picture = maps.draw(
        shapes=shapes, points=points, width=width, height=height, label=str(spec.label),
        scale=scale, text_as_paths=for_pdf,
    )  # fmt: skip
    entries.sort(key=lambda e: (e.value is None, e.hidden, -(e.value or 0), e.area.code))
    return FigureMap(
        svg=picture.svg,
        legend=_legend(bounds, spec.unit, exact=exact, negative=negative, no_data=no_data, hidden=hidden_any),
        entries=entries,
        mode=mode,
        empty=picture.empty,
        unplaced=unplaced,
        unit=unit_label(spec.unit),
    )


def figure_map_for_user(
    user: object,
    area: Area,
    start: Month,
    end: Month,
    figure: str,
    category: str | None = None,
    *,
    link: Callable[[Area], str] | None = None,
) -> FigureMap:
    """The map of a figure over ``area``'s child areas as ``user`` may see them."""
    values = figure_by_child_area(user, area, start, end, figure, category)
    return figure_map_svg(area, values, figure=figure, category=category, link=link)
