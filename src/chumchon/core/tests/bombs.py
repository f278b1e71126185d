"""Hostile spreadsheets for tests: .xlsx files that unpack to far more than they hold,
written member by member with :mod:`zipfile` so that building one never needs its
unpacked size in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="ครัวเรือน" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def sheet_row(width: int) -> str:
    """One ``<row>`` of ``width`` number cells, without ``r`` attributes (the format allows it)."""
    return "<row>" + "<c><v>1</v></c>" * width + "</row>"


def xlsx_with_sheet(path: Path, pieces: Iterable[bytes]) -> Path:
    """A real .xlsx — calamine opens it — of one sheet whose ``<sheetData>`` is ``pieces``,
    written as they come; its ``<dimension>`` says ``A1`` whatever they hold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            for piece in pieces:
                sheet.write(piece)
            sheet.write(_SHEET_TAIL.encode())
    return path


def xlsx_bomb(path: Path, *, rows: int, width: int = 10, block: int = 1000) -> Path:
    """``rows`` × ``width`` number cells in one sheet, written ``block`` rows at a time."""

    def pieces() -> Iterator[bytes]:
        same = "".join(sheet_row(width) for _ in range(block)).encode()
        for start in range(0, rows, block):
            count = min(block, rows - start)
            yield same if count == block else "".join(sheet_row(width) for _ in range(count)).encode()

    return xlsx_with_sheet(path, pieces())
