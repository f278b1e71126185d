"""Sarabun as we ship it: SARA AM (ำ) keeps its place in a PDF's text layer.

HarfBuzz draws ำ as two glyphs, NIKHAHIT (ํ, moved before any tone mark, often joined
with it into one ligature glyph) and SARA AA (า), in one cluster. WeasyPrint writes a
PDF's ToUnicode map glyph by glyph, first come first served: the last glyph of a cluster
carries the cluster's text, the others none (WeasyPrint issue #2841, pull request
#2869). Sarabun's SARA AA is the same glyph for า and for the second half of ำ, so a PDF
kept whichever it met first: "อำนาจเจริญ" came out as "อานาจเจริญ", or every า as ำ
("อำนำจ"), and น้ำ lost its tone mark.

The fix is in the font, so it holds whatever version of WeasyPrint renders it: five
copies of SARA AA (composite glyphs drawing the very same outline), and a contextual
substitution, last in the Thai ``ccmp`` feature, that takes the copy after a bare
NIKHAHIT (ำ) or after each NIKHAHIT-and-tone ligature (่ำ ้ำ ๊ำ ๋ำ). Each copy then
ends only clusters of its own text, and every PDF maps it right. The page looks exactly
as before. A plain า never follows a NIKHAHIT in Thai writing, so it is never touched.

``python -m chumchon.core.font_patch`` patches the shipped fonts in place (once: a
patched font is left as it is); ``core/tests/test_pdf.py`` checks the shipped files and
the text ``pdftotext`` extracts. The fonts are under the SIL Open Font License, which
allows modified versions (Sarabun declares no reserved font name); the version string
says the font was changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.otlLib.builder import buildCoverage
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

SARA_AA = "uni0E32"
MARKER = "chumchon: SARA AM text"
# The glyph drawn before SARA AA in a decomposed ำ -> the copy of SARA AA that follows it.
# (Sarabun's NIKHAHIT, its narrow form, and its ligatures with the four tone marks.)
COPIES: dict[str, tuple[str, ...]] = {
    "uni0E32.am": ("uni0E4D", "uni0E4D.narrow"),
    "uni0E32.am48": ("uni0E4D0E48", "uni0E4D0E48.narrow"),
    "uni0E32.am49": ("uni0E4D0E49", "uni0E4D0E49.narrow"),
    "uni0E32.am4A": ("uni0E4D0E4A", "uni0E4D0E4A.narrow"),
    "uni0E32.am4B": ("uni0E4D0E4B", "uni0E4D0E4B.narrow"),
}


def is_patched(font: TTFont) -> bool:
    return all(name in font["glyf"] for name in COPIES)


def _add_copy(font: TTFont, name: str) -> None:
    glyf, hmtx = font["glyf"], font["hmtx"]
    component = GlyphComponent()
    component.glyphName, component.x, component.y, component.flags = SARA_AA, 0, 0, 0x4  # ROUND_XY_TO_GRID
    glyph = Glyph()
    glyph.numberOfContours, glyph.components = -1, [component]
    order = [*font.getGlyphOrder(), name]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf[name] = glyph
    glyph.recalcBounds(glyf)
    hmtx[name] = hmtx[SARA_AA]
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        classes = font["GDEF"].table.GlyphClassDef.classDefs
        if SARA_AA in classes:
            classes[name] = classes[SARA_AA]


def _single(mapping: dict[str, str]) -> ot.SingleSubst:
    sub = ot.SingleSubst()
    sub.mapping = mapping
    return sub


def _chain_rule(before: tuple[str, ...], lookup_index: int, glyphs: dict[str, int]) -> ot.ChainContextSubst:
    """Format 3: SARA AA, preceded by one of ``before``, goes through ``lookup_index``."""
    rule = ot.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackGlyphCount, rule.BacktrackCoverage = 1, [buildCoverage(before, glyphs)]
    rule.InputGlyphCount, rule.InputCoverage = 1, [buildCoverage([SARA_AA], glyphs)]
    rule.LookAheadGlyphCount, rule.LookAheadCoverage = 0, []
    record = ot.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, lookup_index
    rule.SubstCount, rule.SubstLookupRecord = 1, [record]
    return rule


def _lookup(kind: int, subtables: list[object]) -> ot.Lookup:
    lookup = ot.Lookup()
    lookup.LookupType, lookup.LookupFlag = kind, 0
    lookup.SubTable, lookup.SubTableCount = subtables, len(subtables)
    return lookup


def patch(font: TTFont) -> bool:
    """Add the SARA AA copies and the substitution; False when the font already has them."""
    if is_patched(font):
        return False
    glyphs = font.getGlyphOrder()
    missing = [g for g in (SARA_AA, *(g for before in COPIES.values() for g in before)) if g not in glyphs]
    if missing:
        raise ValueError(f"not the Sarabun this patch is for: no {', '.join(missing)}")
    for name in COPIES:
        _add_copy(font, name)
    glyphs = font.getReverseGlyphMap()
    lookups = font["GSUB"].table.LookupList
    singles: list[int] = []
    for name in COPIES:  # one single substitution per copy, reached only from the chain
        lookups.Lookup.append(_lookup(1, [_single({SARA_AA: name})]))
        singles.append(len(lookups.Lookup) - 1)
    chain = [_chain_rule(before, index, glyphs) for before, index in zip(COPIES.values(), singles, strict=True)]
    lookups.Lookup.append(_lookup(6, chain))
    lookups.LookupCount = len(lookups.Lookup)
    chain_index = len(lookups.Lookup) - 1
    gsub = font["GSUB"].table
    thai = [record for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai"]
    if not thai:
        raise ValueError("the font has no Thai script in GSUB")
    langsys = [thai[0].Script.DefaultLangSys, *(r.LangSys for r in thai[0].Script.LangSysRecord)]
    patched_features: set[int] = set()
    for system in langsys:
        for index in system.FeatureIndex:
            record = gsub.FeatureList.FeatureRecord[index]
            if record.FeatureTag == "ccmp" and index not in patched_features:
                # The highest lookup index runs last: after the NIKHAHIT-and-tone ligatures.
                record.Feature.LookupListIndex.append(chain_index)
                record.Feature.LookupCount = len(record.Feature.LookupListIndex)
                patched_features.add(index)
    if not patched_features:
        raise ValueError("the font's Thai script has no ccmp feature")
    names = font["name"]
    for record in names.names:
        if record.nameID == 5 and MARKER not in record.toUnicode():
            names.setName(f"{record.toUnicode()}; {MARKER}", 5, record.platformID, record.platEncID, record.langID)
    return True


def patch_file(path: Path) -> bool:
    font = TTFont(path)
    changed = patch(font)
    if changed:
        font.save(path)
    return changed


def main(argv: list[str]) -> int:
    from chumchon.core.pdf import FONT_DIR, FONT_FACES

    paths = [Path(arg) for arg in argv] or [FONT_DIR / name for name, _weight, _style in FONT_FACES]
    for path in paths:
        print(f"{path.name}: {'patched' if patch_file(path) else 'already patched'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
