"""Small offline maps drawn as SVG: boundaries, points and bubbles, no tiles.

Tambon offices often have no reliable internet and print everything, so maps are
drawn on the server from coordinates we hold: uploaded GeoJSON boundaries when there
are any, village centroids and household points otherwise.

Area names are on the map: as ``<text>`` for a browser, and as glyph outlines for a
PDF (``text_as_paths=True``), because WeasyPrint drops Thai tone marks inside SVG
text (``core.textpaths``). A name is placed at its shape's centre or beside its
bubble, and left out where it would overlap one already placed (the list printed
beside the map has every area). Bubbles come with their scale — reference circles
with their values in a strip under the map. The colour legend stays HTML beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from chumchon.core.textpaths import TextLayer, measure

Coordinate = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class Point:
    lon: float
    lat: float
    colour: str
    radius: float = 4.0
    title: str = ""
    href: str = ""
    label: str = ""  # the name written beside the bubble
    stroke: str = "#ffffff"


@dataclass(frozen=True)
class Shape:
    """A polygon or multipolygon (GeoJSON geometry) with its fill."""

    geometry: dict[str, Any]
    fill: str = "#eef3f1"
    stroke: str = "#7a8c94"
    title: str = ""
    href: str = ""
    label: str = ""  # the name written at the shape's centre


# A hidden value (fewer than 5 households behind it, for a reader of aggregates) is
# hatched, never a colour of the scale: it is not zero and not "nothing reported".
HIDDEN_FILL = "url(#chumchon-hidden)"
HIDDEN_RADIUS = 7.0  # a hidden value's bubble: one size, so its size says nothing
HIDDEN_STROKE = "#6f7c83"
HIDDEN_SWATCH = "repeating-linear-gradient(45deg, #6f7c83, #6f7c83 2px, #eef1f3 2px, #eef1f3 5px)"
_HIDDEN_PATTERN = (
    '<pattern id="chumchon-hidden" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef1f3"/>'
    '<rect width="2.4" height="6" fill="#6f7c83"/></pattern>'
)


@dataclass(frozen=True)
class ScaleCircle:
    radius: float
    text: str  # the value the circle stands for, formatted with its unit


@dataclass(frozen=True)
class BubbleScale:
    """Reference circles drawn under the map, largest first."""

    title: str
    circles: tuple[ScaleCircle, ...]


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: object  # text or a lazy translation, rendered by the template
    size: float = 10.0


@dataclass
class MapPicture:
    svg: str
    legend: list[LegendItem] = field(default_factory=list)
    empty: bool = False


def _rings(geometry: dict[str, Any]) -> list[list[Coordinate]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return [[(float(x), float(y)) for x, y, *_ in ring] for ring in coords]
    if kind == "MultiPolygon":
        return [[(float(x), float(y)) for x, y, *_ in ring] for poly in coords for ring in poly]
    return []


def geometry_is_valid(geometry: object) -> bool:
    """A Polygon or MultiPolygon with at least one ring of three or more positions in range."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    try:
        rings = _rings(geometry)
    except (TypeError, ValueError):
        return False
    return bool(rings) and all(len(r) >= 3 and all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in r) for r in rings)


def centroid(geometry: dict[str, Any]) -> Coordinate | None:
    """The mean of the outer ring's vertices: good enough to place a bubble."""
    rings = _rings(geometry)
    if not rings:
        return None
    ring = max(rings, key=len)
    return (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))


class _Projection:
    """Equirectangular, scaled by cos(latitude), fitted into the view box."""

    def __init__(self, coords: Iterable[Coordinate], width: float, height: float, pad: float) -> None:
        points = list(coords)
        lons = [x for x, _ in points]
        lats = [y for _, y in points]
        self.min_lon, self.max_lon = min(lons), max(lons)
        self.min_lat, self.max_lat = min(lats), max(lats)
        mid = math.radians((self.min_lat + self.max_lat) / 2)
        self.kx = math.cos(mid)
        span_x = max((self.max_lon - self.min_lon) * self.kx, 1e-6)
        span_y = max(self.max_lat - self.min_lat, 1e-6)
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        # Centre the drawing.
        self.off_x = pad + ((width - 2 * pad) - span_x * self.scale) / 2
        self.off_y = pad + ((height - 2 * pad) - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.off_x + (lon - self.min_lon) * self.kx * self.scale
        y = self.off_y + (self.max_lat - lat) * self.scale
        return round(x, 1), round(y, 1)


LABEL_SIZE = 13.0
_Box = tuple[float, float, float, float]


def _label_box(x: float, y: float, width: float, size: float) -> _Box:
    """The box a label takes, its baseline at y and its left at x (Thai marks above and below)."""
    return (x, y - 1.0 * size, x + width, y + 0.35 * size)


def _overlaps(box: _Box, placed: Sequence[_Box]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)


def _place(
    candidates: Sequence[tuple[float, float]], width: float, size: float, placed: list[_Box], view: tuple[float, float]
) -> tuple[float, float] | None:
    """The first candidate (left, baseline) whose box fits the view and meets nothing placed."""
    for x, y in candidates:
        box = _label_box(x, y, width, size)
        if box[0] < 1 or box[1] < 1 or box[2] > view[0] - 1 or box[3] > view[1] - 1:
            continue
        if not _overlaps(box, placed):
            return x, y
    return None


def _circle_box(p: Point, project: _Projection) -> _Box:
    x, y = project(p.lon, p.lat)
    return (x - p.radius, y - p.radius, x + p.radius, y + p.radius)


def _scale_svg(scale: BubbleScale, text: TextLayer, top: float, size: float) -> str:
    """The reference circles side by side on one baseline, each value under its circle."""
    circles = sorted((c for c in scale.circles if c.radius > 0), key=lambda c: -c.radius)
    if not circles:
        return ""
    largest = circles[0].radius
    baseline = top + size + 8 + 2 * largest
    parts = [text.text(scale.title, 12, top + size + 2, size, bold=True, halo="")]
    x = 16.0
    for c in circles:
        width = max(2 * c.radius, measure(c.text, size)) + 14
        cx = x + width / 2
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{baseline - c.radius:.1f}" r="{c.radius:.1f}" fill="none" '
            'stroke="#5b6a72" stroke-width="1"/>'
        )
        parts.append(text.text(c.text, cx, baseline + size + 3, size, anchor="middle", halo=""))
        x += width
    return "".join(parts)


def scale_height(scale: BubbleScale | None, size: float = LABEL_SIZE) -> float:
    circles = [c.radius for c in scale.circles if c.radius > 0] if scale else []
    return 2 * max(circles) + 2 * size + 20 if circles else 0.0


def draw(
    *,
    shapes: Sequence[Shape] = (),
    points: Sequence[Point] = (),
    legend: Sequence[LegendItem] = (),
    width: int = 640,
    height: int = 480,
    label: str = "",
    scale: BubbleScale | None = None,
    text_as_paths: bool = False,
    label_size: float = LABEL_SIZE,
) -> MapPicture:
    """An SVG map of the shapes and points, fitted to the view box, with their names
    and (``scale``) a strip of reference circles under it."""
    coords: list[Coordinate] = [c for s in shapes for r in _rings(s.geometry) for c in r]
    coords += [(p.lon, p.lat) for p in points]
    if not coords:
        return MapPicture(svg="", legend=list(legend), empty=True)
    pad = 12 + max((p.radius for p in points), default=0)
    project = _Projection(coords, width, height, pad)
    strip = scale_height(scale, label_size) if points else 0.0
    total = height + strip
    text = TextLayer(as_paths=text_as_paths)
    body = [f'<rect x="0" y="0" width="{width}" height="{total:.0f}" fill="#f8fbfa"/>']
    for s in shapes:
        d = " ".join(
            "M" + " L".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in ring)) + " Z"
            for ring in _rings(s.geometry)
        )
        path = (
            f'<path d="{d}" fill="{escape(s.fill)}" stroke="{escape(s.stroke)}" stroke-width="1" fill-rule="evenodd">'
            f"<title>{escape(s.title)}</title></path>"
        )
        body.append(f'<a href="{escape(s.href)}">{path}</a>' if s.href else path)
    # Larger circles first so small ones stay clickable on top.
    for p in sorted(points, key=lambda p: -p.radius):
        x, y = project(p.lon, p.lat)
        circle = (
            f'<circle cx="{x}" cy="{y}" r="{p.radius:.1f}" fill="{escape(p.colour)}" fill-opacity="0.85" '
            f'stroke="{escape(p.stroke)}" stroke-width="1"><title>{escape(p.title)}</title></circle>'
        )
        body.append(f'<a href="{escape(p.href)}">{circle}</a>' if p.href else circle)
    # Names: shapes' first (at their centre), then bubbles' (right, left, below, above,
    # then the corners), never over another name or another bubble.
    view = (float(width), float(height))
    circles = {id(p): _circle_box(p, project) for p in points}
    labels: list[_Box] = []
    for s in shapes:
        if not s.label or (c := centroid(s.geometry)) is None:
            continue
        x, y = project(*c)
        w = measure(s.label, label_size)
        spot = _place([(x - w / 2, y + label_size * 0.35)], w, label_size, [*labels, *circles.values()], view)
        if spot:
            labels.append(_label_box(spot[0], spot[1], w, label_size))
            body.append(text.text(s.label, spot[0], spot[1], label_size))
    for p in sorted(points, key=lambda p: -p.radius):
        if not p.label:
            continue
        x, y = project(p.lon, p.lat)
        w = measure(p.label, label_size)
        r, k, mid = p.radius + 2, (p.radius + 2) * 0.7, y + label_size * 0.35
        candidates = [
            (x + r, mid), (x - r - w, mid), (x - w / 2, y + r + label_size), (x - w / 2, y - r - 0.4 * label_size),
            (x + k, y - k), (x + k, y + k + label_size), (x - k - w, y - k), (x - k - w, y + k + label_size),
        ]  # fmt: skip
        obstacles = [*labels, *(box for key, box in circles.items() if key != id(p))]
        spot = _place(candidates, w, label_size, obstacles, view)
        if spot:
            labels.append(_label_box(spot[0], spot[1], w, label_size))
            body.append(text.text(p.label, spot[0], spot[1], label_size))
    if strip and scale is not None:
        body.append(f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#d5dde0" stroke-width="1"/>')
        body.append(_scale_svg(scale, text, float(height), label_size))
    uses_hidden = any(s.fill == HIDDEN_FILL for s in shapes) or any(p.colour == HIDDEN_FILL for p in points)
    defs = (_HIDDEN_PATTERN if uses_hidden else "") + text.defs()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total:.0f}" role="img" '
        f'aria-label="{escape(label)}" class="map">',
        f"<defs>{defs}</defs>" if defs else "",
        *body,
        "</svg>",
    ]
    return MapPicture(svg="".join(parts), legend=list(legend))


def bubble_radius(value: float, largest: float, *, max_radius: float = 28.0, min_radius: float = 3.0) -> float:
    """Bubble radius with area proportional to the value."""
    if largest <= 0 or value <= 0:
        return min_radius
    return max(min_radius, max_radius * math.sqrt(value / largest))


def nice_floor(value: float) -> float:
    """The largest 1, 2, 3, 4, 5, 6 or 8 times a power of ten not above ``value`` (0 for none)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for step in (8, 6, 5, 4, 3, 2, 1):
        if step * power <= value:
            return float(step * power)
    return float(power)  # pragma: no cover - value >= power always


def scale_values(largest: float, *, smallest: float = 0.0) -> list[float]:
    """Round values for a bubble scale: the roundest not above the largest bubble, a
    quarter of it and a sixteenth (half and a quarter of its radius), none below
    ``smallest`` (1 for counts)."""
    top = nice_floor(largest)
    out = [top] if top > 0 and top >= smallest else []
    for part in (4, 16):
        v = nice_floor(top / part)
        if v > 0 and v >= smallest and v not in out:
            out.append(v)
    return out


# Colours by the number of dimensions a household fails (0 to 5), colour-blind safe.
DIMENSION_COLOURS = ("#2b8a3e", "#f2c94c", "#f2994a", "#d9480f", "#a61e4d", "#5c0f2e")
