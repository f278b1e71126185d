"""Bombs and floods: how big a spreadsheet may be, refused before calamine reads it,
and control characters refused in the cell that holds them.

Limits are lowered through ``settings.CHUMCHON_IMPORT_LIMITS`` so each file stays small;
one test builds a real bomb (hundreds of MB unpacked from well under 1 MB).
"""

from __future__ import annotations

import resource
import time
import zipfile
import zlib
from pathlib import Path
from unittest import mock

import pytest

from chumchon.core import spreadsheet as ss
from chumchon.core.spreadsheet import files
from chumchon.core.spreadsheet.limits import MB, TooLarge, limits
from chumchon.core.tests.bombs import xlsx_bomb
from chumchon.core.tests.test_spreadsheet import _xls_bytes
from chumchon.imports.tests.sheets import write_csv, write_xlsx

SPEC = ss.SheetSpec([ss.Column("code", "รหัส", "code", required=True), ss.Column("name", "ชื่อ", "name")])


def refusal(path: Path) -> ss.SpreadsheetError:
    with pytest.raises(ss.SpreadsheetError) as caught, ss.open_workbook(path) as book:
        list(book.sheet().read(SPEC))
    return caught.value


def test_defaults_and_the_settings_override(settings):
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 7}
    assert limits().cells == 7
    assert limits().unpacked_bytes == 200 * MB
    del settings.CHUMCHON_IMPORT_LIMITS
    assert limits().cells == 2_000_000


def test_a_real_bomb_is_refused_before_calamine_without_growing_memory(tmp_path):
    # 15 million cells, about 260 MB unpacked, from a file of well under 1 MB.
    path = xlsx_bomb(tmp_path / "bomb.xlsx", rows=1_500_000, width=10, block=4000)
    assert path.stat().st_size < 1 * MB
    assert sum(info.file_size for info in zipfile.ZipFile(path).infolist()) > 100 * MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    with mock.patch.object(files, "CalamineWorkbook") as calamine:
        error = refusal(path)
    assert calamine.mock_calls == []
    assert isinstance(error, TooLarge)
    assert error.errors[0].row == 0
    assert "เมื่อคลายออกมีขนาดเกิน 200 MB" in error.message()  # from the directory alone
    assert time.monotonic() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024


def test_too_much_unpacked_is_refused(tmp_path, settings):
    path = xlsx_bomb(tmp_path / "big.xlsx", rows=2000, width=10)  # about 320 KB unpacked
    settings.CHUMCHON_IMPORT_LIMITS = {"unpacked_bytes": 100_000, "ratio_min_bytes": 10 * MB}
    error = refusal(path)
    assert error.message() == (
        "ไฟล์ 'big.xlsx' เมื่อคลายออกมีขนาดเกิน 0.1 MB — ไม่อ่านไฟล์นี้ (อาจเป็นไฟล์อันตราย หรือมีข้อมูลมากเกินไป) แบ่งเป็นหลายไฟล์"
    )
    assert error.message("en").startswith("'big.xlsx' unpacks to more than 0.1 MB")


def test_an_absurd_compression_ratio_is_refused(tmp_path, settings):
    path = xlsx_bomb(tmp_path / "ratio.xlsx", rows=60_000, width=10)  # about 10 MB from some 10 KB
    settings.CHUMCHON_IMPORT_LIMITS = {"ratio_min_bytes": 1 * MB}
    error = refusal(path)
    assert error.message().startswith("ไฟล์ 'ratio.xlsx' ถูกบีบอัดผิดปกติ (")
    assert error.message().endswith(" เท่า) — ไม่อ่านไฟล์นี้ เพราะอาจเป็นไฟล์อันตราย (zip bomb)")
    settings.CHUMCHON_IMPORT_LIMITS = {"ratio_min_bytes": 1 * MB, "ratio": 10_000}
    with ss.open_workbook(path) as book:
        assert book.sheet_names == ["ครัวเรือน"]


def test_sizes_that_lie_are_caught_while_unpacking(tmp_path):
    """The directory says a 1,000-byte sheet; its bytes unpack to more: counted, not trusted."""
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + "<c><v>1</v></c>" * 10_000 + "</row>")
    data = bytearray(path.read_bytes())
    name_at = data.rindex(b"xl/worksheets/sheet1.xml")  # in the central directory
    header = name_at - 46
    assert data[header : header + 4] == b"PK\x01\x02"
    data[header + 24 : header + 28] = (1000).to_bytes(4, "little")  # the uncompressed size
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    with mock.patch.object(files, "CalamineWorkbook") as calamine:
        error = refusal(path)
    assert calamine.mock_calls == []
    assert error.message() == "อ่านไฟล์ 'liar.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง"


def test_a_bomb_with_a_lying_size_and_a_matching_checksum_is_counted_as_it_unpacks(tmp_path, settings):
    """The directory says 1,000 bytes with the checksum of those 1,000 bytes, which is all
    zipfile would unpack; every packed byte is unpacked and counted all the same."""
    path = xlsx_bomb(tmp_path / "liar.xlsx", rows=20_000, width=10)  # about 3 MB
    with zipfile.ZipFile(path) as archive:
        first = archive.read("xl/worksheets/sheet1.xml")[:1000]
    data = bytearray(path.read_bytes())
    central = data.rindex(b"xl/worksheets/sheet1.xml") - 46
    crc = zlib.crc32(first).to_bytes(4, "little")
    data[central + 16 : central + 20] = crc
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml") == first  # zipfile is fooled
    settings.CHUMCHON_IMPORT_LIMITS = {"unpacked_bytes": 1 * MB}
    with mock.patch.object(files, "CalamineWorkbook") as calamine:
        assert refusal(path).message().startswith("ไฟล์ 'liar.xlsx' เมื่อคลายออกมีขนาดเกิน 1.0 MB")
    assert calamine.mock_calls == []
    settings.CHUMCHON_IMPORT_LIMITS = {}
    assert refusal(path).message() == "อ่านไฟล์ 'liar.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง"


def test_too_many_cells_or_rows_whatever_the_dimension_says(tmp_path, settings):
    path = xlsx_bomb(tmp_path / "cells.xlsx", rows=300, width=10)  # 3,000 cells, <dimension ref="A1"/>
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 2999}
    assert refusal(path).message() == "ไฟล์ 'cells.xlsx' มีเซลล์เกิน 2,999 เซลล์ — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
    settings.CHUMCHON_IMPORT_LIMITS = {"rows": 299}
    assert refusal(path).message("en") == "'cells.xlsx' has more than 299 rows; split it into several files"
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 3000, "rows": 300}
    with ss.open_workbook(path) as book:
        assert sum(1 for _ in book.sheet().rows()) == 300


def test_cells_are_counted_across_pieces_and_prefixes(tmp_path, settings):
    """A ``<c`` cut between two 1 MiB pieces counts once; ``<x:c>…</x:c>`` counts twice."""
    path = tmp_path / "prefixed.xlsx"
    body = "<x:row>" + "<x:c><x:v>1</x:v></x:c>" * 99_999 + "</x:row>"  # 2.3 MB: three pieces
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", body)
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 199_997}
    assert "เซลล์เกิน 199,997" in refusal(path).message()
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 199_998}
    assert refusal(path).message() == "อ่านไฟล์ 'prefixed.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง"


def test_too_many_members(tmp_path, settings):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(30):
            archive.writestr(f"part{n}.bin", b"x")
    settings.CHUMCHON_IMPORT_LIMITS = {"members": 20}
    assert refusal(path).message() == "ไฟล์ 'parts.xlsx' มีส่วนประกอบภายใน 30 ส่วน เกิน 20 — ไม่ใช่ไฟล์ Excel ปกติ"


def test_a_file_that_only_looks_like_a_zip_is_unreadable(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with mock.patch.object(files, "CalamineWorkbook") as calamine:
        error = refusal(path)
    assert calamine.mock_calls == []
    assert error.errors[0].row == 0
    assert error.message() == "อ่านไฟล์ 'fake.xlsx' ไม่ได้ — ไฟล์อาจเสียหาย หรือไม่ใช่ไฟล์ Excel จริง"


def test_file_size_limits(tmp_path, settings):
    xlsx = write_xlsx(tmp_path / "h.xlsx", {"ครัวเรือน": [["รหัส", "ชื่อ"], ["H1", "ก"]]})
    csv = write_csv(tmp_path / "h.csv", [["รหัส", "ชื่อ"], *[[f"H{n}", "ก"] for n in range(100)]])
    settings.CHUMCHON_IMPORT_LIMITS = {"file_bytes": 1000, "csv_bytes": 500}
    assert refusal(xlsx).message().startswith("ไฟล์ 'h.xlsx' ใหญ่ ")
    assert refusal(csv).message() == ("ไฟล์ 'h.csv' ใหญ่ 0.0 MB เกินขนาดที่นำเข้าได้ (0.0 MB) — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์")


def test_a_csv_is_refused_at_its_row_limit_while_streaming(tmp_path, settings):
    csv = write_csv(tmp_path / "rows.csv", [["รหัส", "ชื่อ"], *[[f"H{n}", "ก"] for n in range(100)]])
    settings.CHUMCHON_IMPORT_LIMITS = {"csv_rows": 100}
    error = refusal(csv)
    assert error.errors[0].row == 0
    assert error.message() == "ไฟล์ 'rows.csv' มีเกิน 100 แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
    settings.CHUMCHON_IMPORT_LIMITS = {"csv_rows": 101}
    with ss.open_workbook(csv) as book:
        assert sum(1 for _ in book.sheet().read(SPEC)) == 100


def test_an_xls_is_bounded_by_its_file_size_and_its_loaded_sheet(tmp_path, settings):
    path = tmp_path / "old.xls"
    path.write_bytes(_xls_bytes([["รหัส", "ชื่อ"], ["H1", "ก"], ["H2", "ข"]]))
    settings.CHUMCHON_IMPORT_LIMITS = {"file_bytes": path.stat().st_size - 1}
    with mock.patch.object(files, "CalamineWorkbook") as calamine:
        assert refusal(path).message().startswith("ไฟล์ 'old.xls' ใหญ่ ")
    assert calamine.mock_calls == []
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 5}  # 3 rows × 2 columns once loaded
    assert refusal(path).message() == "ไฟล์ 'old.xls' มีเซลล์เกิน 5 เซลล์ — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
    settings.CHUMCHON_IMPORT_LIMITS = {"rows": 2}
    assert refusal(path).message() == "ไฟล์ 'old.xls' มีเกิน 2 แถว — แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
    settings.CHUMCHON_IMPORT_LIMITS = {"cells": 6, "rows": 3}
    with ss.open_workbook(path) as book:
        assert [r.values for r in book.sheet().read(SPEC)] == [{"code": "H1", "name": "ก"}, {"code": "H2", "name": "ข"}]


@pytest.mark.parametrize("char,name", [("\x00", "NUL"), ("\x1b", "U+001B"), ("\x07", "U+0007")])
def test_control_characters_are_refused_in_their_cell(tmp_path, char, name):
    rows = [["รหัส", "ชื่อ"], ["H1", "สมชาย"], ["H2", f"สม{char}หญิง"], ["H3", "ทาง\tเดิน"]]
    for path in (write_csv(tmp_path / "c.csv", rows), write_xlsx(tmp_path / "c.xlsx", {"ครัวเรือน": rows})):
        with ss.open_workbook(path) as book:
            results = list(book.sheet().read(SPEC))
        assert [r.ok for r in results] == [True, False, True], path.name
        (error,) = results[1].errors
        assert (error.row, error.column) == (3, "ชื่อ")
        assert error.message.th == (f"มีอักขระควบคุม ({name}) ในเซลล์ — ลบอักขระนี้ออก (มักติดมาจากการคัดลอกจากโปรแกรมอื่น)")
        assert results[2].values["name"] == "ทาง เดิน"


def test_a_control_character_in_a_header_is_dropped(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["รหัส\x00", "ชื่อ"], ["H1", "ก"]])
    with ss.open_workbook(path) as book:
        reader = book.sheet().read(SPEC)
        assert reader.headers == ("รหัส", "ชื่อ")
        assert [r.values for r in reader] == [{"code": "H1", "name": "ก"}]
