"""PDFs keep their Thai searchable: the text a reader copies or searches is the text
printed, SARA AM (ำ) included (see ``core/font_patch.py``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from chumchon.core import font_patch
from chumchon.core.pdf import FONT_DIR, FONT_FACES, render_html_document

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

# Words with SARA AM, bare and under each tone mark, mixed with plain SARA AA (า) in both
# orders, since the text map is first come first served.
WORDS = ["อำนาจเจริญ", "นา", "น้ำ", "ทำนา", "กำไร", "ค่ำ", "ค่า", "ม้า", "ก๊ำ", "ต๋ำ", "ข้าว", "จำนวน", "อำเภอ"]


def _text(tmp_path: Path, body: str, options: tuple[str, ...] = ("-raw",)) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(render_html_document(f"<html><body>{body}</body></html>").write_pdf())
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_pdftotext
@pytest.mark.parametrize("order", [WORDS, WORDS[::-1]])
@pytest.mark.parametrize("style", ["", "font-weight: 700", "font-weight: 600", "font-style: italic"])
def test_sara_am_survives_in_the_text_layer(tmp_path, order, style):
    text = _text(tmp_path, f'<p style="{style}">{" ".join(order)}</p>')
    assert text.split() == order


@needs_pdftotext
def test_the_province_name_is_extracted_as_written(tmp_path):
    text = _text(tmp_path, "<h1>จังหวัดอำนาจเจริญ</h1><p>อำเภอเมืองอำนาจเจริญ ตำบลบุ่ง</p>")
    assert "อำนาจเจริญ" in text
    assert "อานาจ" not in text and "อำนำจ" not in text
    assert text.split() == ["จังหวัดอำนาจเจริญ", "อำเภอเมืองอำนาจเจริญ", "ตำบลบุ่ง"]


@pytest.mark.parametrize("name", [name for name, _weight, _style in FONT_FACES])
def test_every_shipped_face_is_patched_and_draws_the_same(name):
    font = TTFont(FONT_DIR / name)
    assert font_patch.is_patched(font)
    assert font_patch.patch(font) is False  # once only
    glyf, hmtx = font["glyf"], font["hmtx"]
    for copy in font_patch.COPIES:
        component = glyf[copy].components
        assert [(c.glyphName, c.x, c.y) for c in component] == [(font_patch.SARA_AA, 0, 0)]
        assert hmtx[copy] == hmtx[font_patch.SARA_AA]
    assert font_patch.MARKER in font["name"].getDebugName(5)


def test_the_substitution_takes_each_copy_after_its_nikhahit_forms_only():
    font = TTFont(FONT_DIR / FONT_FACES[0][0])
    lookups = font["GSUB"].table.LookupList.Lookup
    chain = lookups[-1]
    assert chain.LookupType == 6 and len(chain.SubTable) == len(font_patch.COPIES)
    for rule, (copy, before) in zip(chain.SubTable, font_patch.COPIES.items(), strict=True):
        assert rule.BacktrackCoverage[0].glyphs == sorted(before, key=font.getGlyphID)
        assert rule.InputCoverage[0].glyphs == [font_patch.SARA_AA]
        assert lookups[rule.SubstLookupRecord[0].LookupListIndex].SubTable[0].mapping == {font_patch.SARA_AA: copy}
