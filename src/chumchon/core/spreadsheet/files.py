"""Opening .xlsx, .xls and .csv files and streaming their rows.

Rows come out one at a time as :class:`RawRow` — the row number a person sees in Excel
(1 at the top, blank rows counted) and the cells, ``None`` where empty.

* **.xlsx / .xls** go to python-calamine, which loads one sheet into memory (in Rust)
  when asked for it; rows are then turned into Python objects one by one. The file's
  content decides the reader, not its name: an .xlsx renamed .xls or .csv opens. A web
  page or a CSV saved with an .xls name — what many government systems export — is
  recognised: the web page gets a message saying how to convert it, the text is read
  as CSV.
* **.csv** is streamed: a 1,000,000-row file never sits in memory. The encoding is
  UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode text"), UTF-8, or else the Thai
  Windows code page cp874 (a superset of TIS-620), decided by a first pass over the
  bytes in 64 KiB chunks — a file can be ASCII in its header and TIS-620 further down.
  The delimiter is a comma unless the header line has none and has semicolons or tabs.
  Excel's ``="0812345678"`` trick for keeping leading zeros is undone.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from chumchon.core.spreadsheet.cells import Cell, clean_text
from chumchon.core.spreadsheet.errors import SheetNotFound, UnreadableFile, UnsupportedFile
from chumchon.core.spreadsheet.limits import TooLarge, check_file_size, check_sheet_size, check_xlsx, limits
from chumchon.core.spreadsheet.messages import msg, quoted_list

if TYPE_CHECKING:
    from chumchon.core.spreadsheet.spec import SheetReader, SheetSpec

EXTENSIONS = (".xlsx", ".xls", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16


class RawRow(NamedTuple):
    """One spreadsheet row: its number as Excel shows it, and its cells (``None`` = empty)."""

    number: int
    cells: tuple[Cell, ...]


class Sheet:
    """One worksheet (a CSV file has exactly one). ``rows()`` can be called again."""

    def __init__(self, name: str, rows: Callable[[], Iterator[RawRow]]) -> None:
        self.name = name
        self._rows = rows

    def rows(self) -> Iterator[RawRow]:
        """Every row from the top of the sheet, blank ones included."""
        return self._rows()

    def data_rows_count(self) -> int:
        """The rows below the header that are not blank: a progress bar's total (one
        pass over the sheet, streamed)."""
        from chumchon.core.spreadsheet.cells import is_blank

        filled = sum(1 for raw in self._rows() if any(not is_blank(cell) for cell in raw.cells))
        return max(filled - 1, 0)

    def read(self, spec: SheetSpec) -> SheetReader:
        """Match the header row against ``spec`` now; parse data rows as they are iterated."""
        from chumchon.core.spreadsheet.spec import SheetReader

        return SheetReader(self, spec)

    def __repr__(self) -> str:
        return f"<Sheet {self.name!r}>"


def _sheet_key(name: str) -> str:
    return clean_text(name).casefold()


class Workbook:
    """An opened spreadsheet file. Use as a context manager, or call ``close()``."""

    def __init__(
        self,
        sheets: list[Sheet],
        *,
        default: int = 0,
        named: bool = True,
        closer: Callable[[], None] | None = None,
    ) -> None:
        self.sheets = sheets
        self.named = named
        self._default = default
        self._closer = closer

    @property
    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.sheets]

    def find_sheet(self, names: str | Sequence[str]) -> Sheet | None:
        """The first sheet named any of ``names`` (aliases, e.g. ``("สมาชิก", "members")``).

        Names match ignoring case and surrounding spaces. A CSV file's only sheet is
        never found by name: a CSV cannot hold an optional second sheet.
        """
        if not self.named:
            return None
        wanted = [_sheet_key(name) for name in ([names] if isinstance(names, str) else names)]
        by_key = {_sheet_key(sheet.name): sheet for sheet in reversed(self.sheets)}
        return next((by_key[key] for key in wanted if key in by_key), None)

    def sheet(self, names: str | Sequence[str] | None = None) -> Sheet:
        """The sheet named any of ``names``; by default the first visible one.

        Raises :class:`SheetNotFound` (Thai message listing the file's sheets).
        """
        if names is None:
            return self.sheets[self._default]
        found = self.find_sheet(names)
        if found is None:
            asked = [names] if isinstance(names, str) else list(names)
            raise SheetNotFound(
                msg("sheet_not_found", names=quoted_list(asked), available=quoted_list(self.sheet_names))
            )
        return found

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_workbook(path: str | os.PathLike[str], *, filename: str | None = None) -> Workbook:
    """Open ``path`` for reading.

    ``filename`` is the name the person gave the file (an upload is saved under a
    temporary name); it decides the file type by extension and appears in messages.
    Raises :class:`UnsupportedFile` or :class:`UnreadableFile` with a Thai message.
    """
    path = Path(path)
    name = filename or path.name
    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        raise UnsupportedFile(msg("file_type", ext=ext or name))
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise UnreadableFile(msg("file_missing", name=name)) from None
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):  # even when named .csv: the content decides
        return _open_excel(path, name, head)
    if ext == ".csv":
        return _open_csv(path, name)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise UnsupportedFile(msg("file_html", name=name))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (head and not _has_control_bytes(head)):
        return _open_csv(path, name)  # delimited text saved with an Excel name
    raise UnreadableFile(msg("file_unreadable", name=name))


def _has_control_bytes(data: bytes) -> bool:
    """True for binary content: bytes below 0x20 other than tab, CR and LF."""
    return any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0D) for byte in data)


# --- Excel ---------------------------------------------------------------------


def _open_excel(path: Path, name: str, head: bytes) -> Workbook:
    # python-calamine's from_path picks the reader by the path's extension; given a file
    # object it sniffs the content instead, for renamed files and extension-less uploads.
    ext = path.suffix.lower()
    matches_name = (ext == ".xlsx" and head.startswith(_ZIP_MAGIC)) or (ext == ".xls" and head.startswith(_OLE_MAGIC))
    # Sizes first: calamine loads a whole sheet, and a small .xlsx can unpack to gigabytes.
    if head.startswith(_ZIP_MAGIC):
        check_xlsx(path, name)
    else:
        check_file_size(path, name)
    try:
        if matches_name:
            book = CalamineWorkbook.from_path(path)
        else:
            with path.open("rb") as fh:
                book = CalamineWorkbook.from_filelike(fh)
    except PasswordError:
        raise UnreadableFile(msg("file_password", name=name)) from None
    except CalamineError:
        # A password-protected .xlsx is not a zip but an OLE file holding an
        # "EncryptedPackage" stream; calamine only says it cannot read it.
        if head.startswith(_OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            raise UnreadableFile(msg("file_password", name=name)) from None
        raise UnreadableFile(msg("file_unreadable", name=name)) from None

    sheets = [Sheet(sheet_name, _excel_rows(book, sheet_name, name)) for sheet_name in book.sheet_names]
    if not sheets:
        raise UnreadableFile(msg("file_unreadable", name=name))
    visible = [i for i, meta in enumerate(book.sheets_metadata) if meta.visible == SheetVisibleEnum.Visible]
    return Workbook(sheets, default=visible[0] if visible else 0, closer=book.close)


def _excel_rows(book: CalamineWorkbook, sheet_name: str, name: str) -> Callable[[], Iterator[RawRow]]:
    def rows() -> Iterator[RawRow]:
        try:
            sheet = book.get_sheet_by_name(sheet_name)
        except PasswordError:
            raise UnreadableFile(msg("file_password", name=name)) from None
        except CalamineError:
            raise UnreadableFile(msg("file_unreadable", name=name)) from None
        if sheet.start is None:  # an empty sheet
            return
        check_sheet_size(sheet.height, sheet.width, name)  # an .xls has no zip to check first
        # python-calamine's iter_rows pads the empty rows above the data, so the i-th
        # row yielded is the sheet's i-th row (0-based) — exactly Excel's numbering
        # minus one. (Its columns, unlike its rows, start at the first used column; that
        # does not matter here because columns are found by header.) Error cells such as
        # #N/A arrive as empty strings.
        for index, cells in enumerate(sheet.iter_rows()):
            yield RawRow(index + 1, tuple(None if cell == "" else cell for cell in cells))

    return rows


# --- CSV -----------------------------------------------------------------------


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """``utf-8-sig``, ``utf-16``, ``utf-8`` or ``cp874``, reading the file in 64 KiB chunks."""
    with Path(path).open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp874"
    return "utf-8"


def _sniff_delimiter(path: Path, encoding: str) -> str:
    """Comma, unless the first non-blank line has none and has semicolons or tabs."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            for _, line in zip(range(100), fh, strict=False):
                if line.strip(" \t\r\n,;\"'"):
                    if "," in line:
                        return ","
                    return ";" if line.count(";") > line.count("\t") else ("\t" if "\t" in line else ",")
    except UnicodeDecodeError:
        pass  # reported with its row number when the rows are read
    return ","


def _unwrap_excel_text(cell: str) -> str:
    """``="007"`` (Excel's way to keep leading zeros in a CSV) → ``007``."""
    if len(cell) >= 3 and cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


def _byte_lines(fh: BinaryIO) -> Iterator[bytes]:
    """Lines of an ASCII-compatible file, each with its ending (LF, CRLF, or a lone CR,
    which old Mac Excel writes), read in 64 KiB chunks."""
    pending = b""
    while chunk := fh.read(_CHUNK):
        pieces = (pending + chunk).splitlines(keepends=True)
        pending = pieces.pop()  # may be unfinished, or the CR of a CRLF split across chunks
        yield from pieces
    if pending:
        yield pending


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """Decoded lines, decoding each line on its own so that an undecodable byte is
    reported at its row (a text file object decodes 8 KiB ahead of what it returns)."""
    if encoding == "utf-16":  # not ASCII-compatible: let the codec find the lines
        with path.open(encoding=encoding, newline="") as text:
            yield from text
        return
    with path.open("rb") as fh:
        first = True
        for line in _byte_lines(fh):
            yield line.decode(encoding if first else encoding.removesuffix("-sig"))
            first = False


def _open_csv(path: Path, name: str) -> Workbook:
    check_file_size(path, name, csv=True)
    encoding = detect_encoding(path)
    delimiter = _sniff_delimiter(path, encoding)
    max_rows = limits().csv_rows

    def rows() -> Iterator[RawRow]:
        number = 0  # rows as Excel counts them: one per record, however many lines it spans
        reader = csv.reader(_text_lines(path, encoding), delimiter=delimiter)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise UnreadableFile(msg("file_encoding", name=name, row=number + 1)) from None
            except csv.Error as exc:
                raise UnreadableFile(msg("file_csv", name=name, row=number + 1, detail=str(exc))) from None
            number += 1
            if number > max_rows:
                raise TooLarge(msg("file_rows", name=name, max=f"{max_rows:,}"))
            yield RawRow(number, tuple(_unwrap_excel_text(cell) if cell else None for cell in record))

    return Workbook([Sheet(Path(name).stem, rows)], named=False)
