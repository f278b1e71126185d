"""Small offline maps drawn as SVG: boundaries, points and bubbles, no tiles.

Tambon offices often have no reliable internet and print everything, so maps are
drawn on the server from coordinates we hold: uploaded GeoJSON boundaries when there
are any, village centroids and household points otherwise. The SVG holds shapes only —
no ``<text>`` — because WeasyPrint drops Thai tone marks inside SVG text; labels and
legends are HTML around the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

Coordinate = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class Point:
    lon: float
    lat: float
    colour: str
    radius: float = 4.0
    title: str = ""
    href: str = ""


@dataclass(frozen=True)
class Shape:
    """A polygon or multipolygon (GeoJSON geometry) with its fill."""

    geometry: dict[str, Any]
    fill: str = "#eef3f1"
    stroke: str = "#7a8c94"
    title: str = ""
    href: str = ""


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


def draw(
    *,
    shapes: Sequence[Shape] = (),
    points: Sequence[Point] = (),
    legend: Sequence[LegendItem] = (),
    width: int = 640,
    height: int = 480,
    label: str = "",
) -> MapPicture:
    """An SVG map of the shapes and points, fitted to the view box."""
    coords: list[Coordinate] = [c for s in shapes for r in _rings(s.geometry) for c in r]
    coords += [(p.lon, p.lat) for p in points]
    if not coords:
        return MapPicture(svg="", legend=list(legend), empty=True)
    pad = 12 + max((p.radius for p in points), default=0)
    project = _Projection(coords, width, height, pad)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" class="map">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f8fbfa"/>',
    ]
    for s in shapes:
        d = " ".join(
            "M" + " L".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in ring)) + " Z"
            for ring in _rings(s.geometry)
        )
        path = (
            f'<path d="{d}" fill="{escape(s.fill)}" stroke="{escape(s.stroke)}" stroke-width="1" fill-rule="evenodd">'
            f"<title>{escape(s.title)}</title></path>"
        )
        parts.append(f'<a href="{escape(s.href)}">{path}</a>' if s.href else path)
    # Larger circles first so small ones stay clickable on top.
    for p in sorted(points, key=lambda p: -p.radius):
        x, y = project(p.lon, p.lat)
        circle = (
            f'<circle cx="{x}" cy="{y}" r="{p.radius:.1f}" fill="{escape(p.colour)}" fill-opacity="0.85" '
            f'stroke="#ffffff" stroke-width="1"><title>{escape(p.title)}</title></circle>'
        )
        parts.append(f'<a href="{escape(p.href)}">{circle}</a>' if p.href else circle)
    parts.append("</svg>")
    return MapPicture(svg="".join(parts), legend=list(legend))


def bubble_radius(value: float, largest: float, *, max_radius: float = 28.0, min_radius: float = 3.0) -> float:
    """Bubble radius with area proportional to the value."""
    if largest <= 0 or value <= 0:
        return min_radius
    return max(min_radius, max_radius * math.sqrt(value / largest))


# Colours by the number of dimensions a household fails (0 to 5), colour-blind safe.
DIMENSION_COLOURS = ("#2b8a3e", "#f2c94c", "#f2994a", "#d9480f", "#a61e4d", "#5c0f2e")
