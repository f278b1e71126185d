"""Text as SVG outlines, for maps printed by WeasyPrint.

WeasyPrint drops Thai tone marks and upper vowels inside SVG ``<text>``; the HTML
around a drawing renders them right, but names *on* a map must be in the SVG. So a
printed map draws its words as paths: the string is shaped by HarfBuzz (the library
Pango and WeasyPrint already load — ``libharfbuzz.so.0``, called through cffi, which
WeasyPrint depends on too), so Thai marks stack and sit where the font's anchors put
them, and each glyph's outline is read from the shipped Sarabun with fontTools.

Without HarfBuzz (it ships with every WeasyPrint install, so only in odd setups) the
glyphs are laid one after another by their advances, with sara am decomposed as
HarfBuzz's Thai shaper does; Sarabun's marks have zero advance and sit over the
consonant before them, which is right for the common cases.

``measure(text, size)`` gives a string's width in the same units, so the page's own
``<text>`` labels (browsers render Thai in SVG) are placed with the same geometry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

import chumchon

logger = logging.getLogger(__name__)

FONT_DIR = Path(chumchon.__file__).resolve().parent / "core" / "static" / "chumchon" / "fonts"
REGULAR = FONT_DIR / "Sarabun_400Regular.ttf"
SEMIBOLD = FONT_DIR / "Sarabun_600SemiBold.ttf"

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_font_t hb_font_t;
typedef struct hb_buffer_t hb_buffer_t;
typedef union { uint32_t u32; int32_t i32; uint16_t u16[2]; int16_t i16[2]; uint8_t u8[4]; int8_t i8[4]; } hb_var_int_t;
typedef struct { uint32_t codepoint; uint32_t mask; uint32_t cluster; hb_var_int_t var1; hb_var_int_t var2; } hb_glyph_info_t;
typedef struct { int32_t x_advance; int32_t y_advance; int32_t x_offset; int32_t y_offset; hb_var_int_t var; } hb_glyph_position_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_font_t *hb_font_create(hb_face_t *face);
hb_buffer_t *hb_buffer_create(void);
void hb_buffer_destroy(hb_buffer_t *buffer);
void hb_buffer_add_utf8(hb_buffer_t *buffer, const char *text, int text_length, unsigned int item_offset, int item_length);
void hb_buffer_guess_segment_properties(hb_buffer_t *buffer);
void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const void *features, unsigned int num_features);
hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length);
hb_glyph_position_t *hb_buffer_get_glyph_positions(hb_buffer_t *buffer, unsigned int *length);
"""

SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


@dataclass(frozen=True)
class Glyph:
    gid: int
    x: float  # pen position plus offset, font units
    y: float


@lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any] | None:
    try:
        from cffi import FFI

        ffi = FFI()
        ffi.cdef(_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0")
    except (ImportError, OSError) as exc:  # pragma: no cover - harfbuzz ships with WeasyPrint's Pango
        logger.warning("HarfBuzz not available, map labels are laid out without shaping: %s", exc)
        return None


@lru_cache(maxsize=4)
def _hb_font(path: Path) -> Any:
    hb = _harfbuzz()
    if hb is None:  # pragma: no cover
        return None
    lib = hb[1]
    face = lib.hb_face_create(lib.hb_blob_create_from_file(str(path).encode()), 0)
    return lib.hb_font_create(face)  # scale defaults to units per em: positions in font units


@lru_cache(maxsize=4)
def _font(path: Path) -> TTFont:
    return TTFont(str(path), lazy=True)


def _shape_plain(text: str, font: TTFont) -> tuple[list[Glyph], float]:
    """Advances only; sara am split as the Thai shaper does (nikhahit before a tone mark)."""
    chars: list[str] = []
    for ch in text:
        if ch == SARA_AM:
            at = len(chars)
            while at > 0 and chars[at - 1] in TONE_MARKS:
                at -= 1
            chars.insert(at, NIKHAHIT)
            chars.append(SARA_AA)
        else:
            chars.append(ch)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    x = 0.0
    glyphs = []
    for ch in chars:
        name = cmap.get(ord(ch), ".notdef")
        glyphs.append(Glyph(gid=font.getGlyphID(name), x=x, y=0.0))
        x += hmtx[name][0]
    return glyphs, x


@lru_cache(maxsize=2048)
def shape(text: str, path: Path = REGULAR) -> tuple[tuple[Glyph, ...], float]:
    """The glyphs of ``text`` with their positions, and its advance (font units)."""
    font = _font(path)
    hb = _harfbuzz()
    hb_font = _hb_font(path) if hb is not None else None
    if hb is None or hb_font is None:  # pragma: no cover - see the module doc
        glyphs, advance = _shape_plain(text, font)
        return tuple(glyphs), advance
    ffi, lib = hb
    buffer = lib.hb_buffer_create()
    try:
        data = text.encode("utf-8")
        lib.hb_buffer_add_utf8(buffer, data, len(data), 0, len(data))
        lib.hb_buffer_guess_segment_properties(buffer)
        lib.hb_shape(hb_font, buffer, ffi.NULL, 0)
        length = ffi.new("unsigned int *")
        infos = lib.hb_buffer_get_glyph_infos(buffer, length)
        positions = lib.hb_buffer_get_glyph_positions(buffer, length)
        x = 0.0
        out = []
        for i in range(length[0]):
            pos = positions[i]
            out.append(Glyph(gid=infos[i].codepoint, x=x + pos.x_offset, y=float(pos.y_offset)))
            x += pos.x_advance
        return tuple(out), x
    finally:
        lib.hb_buffer_destroy(buffer)


def _units_per_em(path: Path) -> int:
    return int(_font(path)["head"].unitsPerEm)


def measure(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` set at ``size`` (user units of the drawing)."""
    path = SEMIBOLD if bold else REGULAR
    _glyphs, advance = shape(text, path)
    return advance * size / _units_per_em(path)


@lru_cache(maxsize=4096)
def _glyph_d(path: Path, gid: int) -> str:
    """One glyph's outline in font units (y up), as SVG path data."""
    font = _font(path)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    pen = SVGPathPen(glyph_set, ntos=lambda v: str(round(v)))
    glyph_set[order[gid] if 0 <= gid < len(order) else ".notdef"].draw(pen)
    return str(pen.getCommands())


class TextLayer:
    """The labels of one drawing: ``<text>`` for a browser (``as_paths=False``), or
    outlines for a PDF — each glyph used once in ``<defs>``, placed with ``<use>``.
    A white halo under each label keeps a name readable over a coloured area."""

    def __init__(self, *, as_paths: bool) -> None:
        self.as_paths = as_paths
        self._defs: dict[str, str] = {}

    def text(
        self,
        text: str,
        x: float,
        y: float,
        size: float,
        *,
        bold: bool = False,
        anchor: str = "start",
        fill: str = "#1f2a30",
        halo: str = "#ffffff",
    ) -> str:
        """``text`` with its baseline starting at (x, y) (``anchor="middle"``: centred
        on x; ``"end"``: ending at x)."""
        if not text:
            return ""
        if not self.as_paths:
            weight = ' font-weight="600"' if bold else ""
            halo_attrs = (
                f' stroke="{halo}" stroke-width="{size / 5:.1f}" stroke-linejoin="round" paint-order="stroke"'
                if halo
                else ""
            )
            return (
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" font-family="Sarabun, sans-serif"{weight} '
                f'text-anchor="{anchor}" fill="{fill}"{halo_attrs}>{escape(text)}</text>'
            )
        path = SEMIBOLD if bold else REGULAR
        glyphs, advance = shape(text, path)
        scale = size / _units_per_em(path)
        if anchor == "middle":
            x -= advance * scale / 2
        elif anchor == "end":
            x -= advance * scale
        uses = []
        for g in glyphs:
            key = f"{'b' if bold else 'r'}{g.gid}"
            if key not in self._defs:
                self._defs[key] = _glyph_d(path, g.gid)
            if self._defs[key]:
                uses.append(f'<use href="#{key}" x="{round(g.x)}" y="{round(g.y)}"/>')
        if not uses:
            return ""
        placed = "".join(uses)
        under = (
            f'<g fill="{halo}" stroke="{halo}" stroke-width="{round(size / 5 / scale)}" stroke-linejoin="round">'
            f"{placed}</g>"
            if halo
            else ""
        )
        return (
            f'<g class="label" aria-label="{escape(text)}" transform="translate({x:.1f} {y:.1f}) '
            f'scale({scale:.5f} {-scale:.5f})">{under}<g fill="{fill}">{placed}</g></g>'
        )

    def defs(self) -> str:
        """The glyphs the labels use, for the drawing's ``<defs>`` (empty for ``<text>``)."""
        return "".join(f'<path id="{key}" d="{d}"/>' for key, d in self._defs.items() if d)
