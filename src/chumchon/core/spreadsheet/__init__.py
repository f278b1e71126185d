"""Reading household spreadsheets: the toolkit under every ``imports.py``.

Files (.xlsx, .xls, .csv in UTF-8 / UTF-8 with BOM / TIS-620) are opened with
:func:`open_workbook`; a sheet is read through a :class:`SheetSpec` that names each
field's Thai and English headers; rows come out one at a time, streamed, as
:class:`RowResult` (parsed values, or errors naming the row and column the person sees);
an :class:`ImportReport` counts them and writes the contract's JSON and a downloadable
error file. Every message is Thai, with English beside it (``lang="en"``).

A sketch of an import module::

    from functools import partial
    from chumchon.core import spreadsheet as ss

    LEDGER = ss.SheetSpec(
        [
            ss.Column("household", "รหัสครัวเรือน", "household", required=True),
            ss.Column("date", "วันที่", "date", ss.parse_date, required=True),
            ss.Column("category", "หมวด", "category", ss.Choices(categories)),
            ss.Column("item", "รายการ", "item"),
            ss.Column("amount", "จำนวนเงิน", "amount", partial(ss.parse_money, allow_zero=False)),
            ss.Column("income", "รายรับ", "income", partial(ss.parse_money, allow_zero=False)),
            ss.Column("expense", "รายจ่าย", "expense", partial(ss.parse_money, allow_zero=False)),
        ],
        groups=[ss.OneOf(("amount", "income", "expense"))],
    )

    def ledger_import(*, path, filename, tambon) -> ss.ImportReport:
        report = ss.ImportReport()
        keys = ss.Fingerprinter(["household", "date", "category", "item", "amount", "income", "expense"],
                                namespace=f"ledger:{tambon.code}")
        try:
            with ss.open_workbook(path, filename=filename) as book:
                reader = book.sheet().read(LEDGER)
                report.warn(reader.warnings)
                for result in reader:
                    if not result.ok:
                        report.reject(result)
                    elif result.values["household"] not in known:
                        report.reject(result, result.error("household", ss.Text("ไม่พบรหัสครัวเรือน", "unknown household")))
                    else:
                        report.accept()
                        pending.append((keys(result.values), result.values))
        except ss.SpreadsheetError as exc:
            report.fail(exc)
        return report
"""

from chumchon.core.spreadsheet.cells import (
    Cell,
    Choices,
    Parser,
    clean_text,
    display,
    is_blank,
    parse_bool,
    parse_choice,
    parse_int,
    parse_money,
    parse_national_id,
    parse_sex,
    parse_text,
    parse_village_no,
)
from chumchon.core.spreadsheet.dates import parse_date
from chumchon.core.spreadsheet.errors import (
    CellError,
    HeaderError,
    RowError,
    SheetNotFound,
    SpreadsheetError,
    UnreadableFile,
    UnsupportedFile,
)
from chumchon.core.spreadsheet.files import RawRow, Sheet, Workbook, detect_encoding, open_workbook
from chumchon.core.spreadsheet.fingerprint import Fingerprinter, canonical, row_fingerprint
from chumchon.core.spreadsheet.messages import MESSAGES, Text, msg
from chumchon.core.spreadsheet.report import ImportReport, write_error_report
from chumchon.core.spreadsheet.spec import (
    Column,
    OneOf,
    RowResult,
    SheetReader,
    SheetSpec,
    normalize_header,
    read_sheet,
)

__all__ = [
    "MESSAGES",
    "Cell",
    "CellError",
    "Choices",
    "Column",
    "Fingerprinter",
    "HeaderError",
    "ImportReport",
    "OneOf",
    "Parser",
    "RawRow",
    "RowError",
    "RowResult",
    "Sheet",
    "SheetNotFound",
    "SheetReader",
    "SheetSpec",
    "SpreadsheetError",
    "Text",
    "UnreadableFile",
    "UnsupportedFile",
    "Workbook",
    "canonical",
    "clean_text",
    "detect_encoding",
    "display",
    "is_blank",
    "msg",
    "normalize_header",
    "open_workbook",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_int",
    "parse_money",
    "parse_national_id",
    "parse_sex",
    "parse_text",
    "parse_village_no",
    "read_sheet",
    "row_fingerprint",
    "write_error_report",
]
