"""Column specs: which headers an import expects, and reading rows through them.

The first non-empty row of a sheet is its header. Each :class:`Column` names a field
and the headers that may stand for it — its Thai and English names from the import
templates plus any aliases. Headers match after :func:`normalize_header`: spaces,
underscores, hyphens, Latin case, a trailing ``*`` (the "required" mark on the paper
form) and text in parentheses (``จำนวนเงิน (บาท)``) are ignored. Column order does not
matter; unknown columns are ignored with a warning.

Required columns that are missing stop the import before any data row is read, with
one error per missing column. A :class:`OneOf` group says "at least one of these
columns must exist" (the ledger's ``amount`` or ``income``/``expense``) and, per row,
how many of them may be filled in.

Reading a sheet yields a :class:`RowResult` per non-blank data row: either the parsed
values, or the errors of that row, each naming the row number the person sees and
the column header as written in their file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from chumchon.core.spreadsheet.cells import Cell, Parser, clean_text, display, is_blank, parse_text
from chumchon.core.spreadsheet.errors import CellError, HeaderError, RowError
from chumchon.core.spreadsheet.files import RawRow, Sheet, open_workbook
from chumchon.core.spreadsheet.messages import Text, msg, quoted_list

_PARENTHESES = re.compile(r"\([^)]*\)|（[^）]*）|\[[^]]*]")
_IGNORED_IN_HEADERS = re.compile(r"[\s_\-]+")
# C0 control characters but tab, line feed and carriage return: a NUL cannot be stored
# in PostgreSQL text at all, and the others are never meant (they come with pasted text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _control_char(cell: Cell) -> str | None:
    """The name of the first control character in a text cell (``NUL``, ``U+001B``), if any."""
    if not isinstance(cell, str) or cell.isprintable():  # the common case, without a regex
        return None
    found = _CONTROL.search(cell)
    if found is None:
        return None
    char = found.group()
    return "NUL" if char == "\x00" else f"U+{ord(char):04X}"


def normalize_header(text: str) -> str:
    """The form headers are compared in: ``" Amount (THB) *"`` → ``"amount"``.

    Parenthesised and bracketed notes, a trailing ``*``, ``:`` or ``.``, and every
    space, underscore and hyphen are dropped; Latin letters are case-folded (so
    ``village_no``, ``Village No`` and ``VILLAGE-NO`` are one header).
    """
    text = _PARENTHESES.sub(" ", clean_text(text))
    text = text.strip().rstrip("*:.").strip()
    return _IGNORED_IN_HEADERS.sub("", text).casefold()


@dataclass(frozen=True)
class Column:
    """One field of an import and the headers that may stand for it.

    ``required`` means the column must exist and its cells must be filled in;
    ``allow_blank=True`` relaxes the second half (the column must exist but a cell may
    be empty). ``parse`` turns a non-empty cell into the field's value or raises
    :class:`CellError`; use ``functools.partial`` for options
    (``partial(parse_money, allow_negative=True)``) or a :class:`Choices`.
    """

    field: str
    th: str
    en: str
    parse: Parser = parse_text
    required: bool = False
    aliases: tuple[str, ...] = ()
    allow_blank: bool | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.th, self.en, *self.aliases)

    @property
    def blank_ok(self) -> bool:
        return not self.required if self.allow_blank is None else self.allow_blank


RowRule = Literal["exactly_one", "at_least_one", "at_most_one", "any"]


@dataclass(frozen=True)
class OneOf:
    """Columns of which at least one must exist in the header.

    ``rule`` says how many of them a data row may fill in: ``exactly_one`` (the
    ledger: one of amount, income, expense), ``at_least_one``, ``at_most_one`` or
    ``any``. The columns themselves should not be ``required``.
    """

    fields: tuple[str, ...]
    rule: RowRule = "exactly_one"


class SheetSpec:
    """The columns of one sheet of an import template (checked for clashes when built)."""

    def __init__(self, columns: Sequence[Column], groups: Sequence[OneOf] = ()) -> None:
        self.columns: tuple[Column, ...] = tuple(columns)
        self.groups: tuple[OneOf, ...] = tuple(groups)
        self.lookup: dict[str, Column] = {}
        fields = {column.field for column in self.columns}
        if len(fields) != len(self.columns):
            raise ValueError("two columns share a field name")
        for column in self.columns:
            for header in column.headers:
                key = normalize_header(header)
                if self.lookup.get(key, column) is not column:
                    raise ValueError(f"header {header!r} would match both {self.lookup[key].field} and {column.field}")
                self.lookup[key] = column
        for group in self.groups:
            if unknown := set(group.fields) - fields:
                raise ValueError(f"group names unknown fields {sorted(unknown)}")

    def column(self, field_name: str) -> Column:
        return next(column for column in self.columns if column.field == field_name)


@dataclass(frozen=True)
class RowResult:
    """One data row: ``values`` by field (``None`` where empty or absent) or ``errors``.

    ``raw`` keeps the row's cells as read, in the file's column order, and ``headers``
    the sheet's header row, for the error report; ``columns`` maps field → header. ``ok`` is true when the row has no errors; its ``values`` are then complete.
    """

    row: int
    values: dict[str, Any]
    errors: tuple[RowError, ...]
    raw: tuple[Cell, ...]
    sheet: str = ""
    columns: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    headers: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, field_name: str | None, message: Text | str) -> RowError:
        """An error about this row (found later, e.g. by a business rule) in the column
        holding ``field_name`` as the person wrote its header; ``None`` for the whole row."""
        text = message if isinstance(message, Text) else Text(message)
        column = self.columns.get(field_name, field_name) if field_name else ""
        return RowError(self.row, column or "", text, self.sheet)


class SheetReader:
    """A sheet read through a :class:`SheetSpec`; iterate it for :class:`RowResult`.

    Creating it reads up to the header row and raises :class:`HeaderError` when
    required columns are missing, so nothing is parsed from a file that cannot be
    imported. The data rows are then parsed one by one as the reader is iterated
    (it is a single-pass iterator, streaming like the sheet beneath it).
    """

    def __init__(self, sheet: Sheet, spec: SheetSpec) -> None:
        self.sheet = sheet
        self.spec = spec
        self._rows = sheet.rows()
        header = next((raw for raw in self._rows if not all(is_blank(cell) for cell in raw.cells)), None)
        if header is None:
            raise HeaderError(msg("no_header", sheet=sheet.name))
        self.header_row = header.number
        # Control characters are dropped from headers: they would reach messages and the
        # job's stored warnings (PostgreSQL's jsonb refuses a NUL); cells are refused below.
        self.headers: tuple[str, ...] = tuple(_CONTROL.sub("", clean_text(display(cell))) for cell in header.cells)
        self.columns: dict[str, str] = {}  # field -> header as written
        self.warnings: list[Text] = []
        self._index: dict[str, int] = {}
        errors: list[RowError] = []
        for index, header_text in enumerate(self.headers):
            if not header_text:
                continue
            column = spec.lookup.get(normalize_header(header_text))
            if column is None:
                self.warnings.append(msg("extra_column", column=header_text))
            elif column.field in self.columns:
                text = msg("duplicate_column", first=self.columns[column.field], second=header_text)
                errors.append(RowError(self.header_row, header_text, text, sheet.name))
            else:
                self.columns[column.field] = header_text
                self._index[column.field] = index
        missing: list[str] = []
        for column in spec.columns:
            if column.required and column.field not in self.columns:
                missing.append(column.th)
                text = msg("missing_column", th=column.th, en=column.en)
                errors.append(RowError(self.header_row, column.th, text, sheet.name))
        for group in spec.groups:
            if not any(name in self.columns for name in group.fields):
                names = [spec.column(name).th for name in group.fields]
                missing.append(" / ".join(names))
                text = msg("missing_group", columns=quoted_list(names))
                errors.append(RowError(self.header_row, " / ".join(names), text, sheet.name))
        if errors:
            raise HeaderError(
                msg("missing_columns", columns=quoted_list(missing)) if missing else errors[0].message, errors
            )
        # Precomputed for the row loop: (column, cell index, header) of the columns present,
        # the fields absent from the file, and each group's present fields in file order.
        self._present = [
            (c, self._index[c.field], self.columns[c.field]) for c in spec.columns if c.field in self._index
        ]
        self._absent = [c.field for c in spec.columns if c.field not in self._index]
        self._groups = [
            (group, sorted((name for name in group.fields if name in self._index), key=self._index.__getitem__))
            for group in spec.groups
        ]
        self._parsing = self._parse_rows()

    def __iter__(self) -> Iterator[RowResult]:
        return self

    def __next__(self) -> RowResult:
        return next(self._parsing)

    def _parse_rows(self) -> Iterator[RowResult]:
        for raw in self._rows:
            if any(not is_blank(cell) for cell in raw.cells):
                yield self.parse_row(raw)

    def parse_row(self, raw: RawRow) -> RowResult:
        """Parse one raw row (exposed for tests and for re-checking a single row)."""
        values: dict[str, Any] = dict.fromkeys(self._absent)
        errors: list[RowError] = []
        failed: set[str] = set()
        cells = raw.cells
        width = len(cells)
        for column, index, header in self._present:
            cell = cells[index] if index < width else None
            value: object = None
            if (char := _control_char(cell)) is not None:
                errors.append(RowError(raw.number, header, msg("control_char", char=char), self.sheet.name))
                failed.add(column.field)
                values[column.field] = None
                continue
            if not is_blank(cell):
                try:
                    value = column.parse(cell)
                except CellError as exc:
                    errors.append(RowError(raw.number, header, exc.text, self.sheet.name))
                    failed.add(column.field)
                    values[column.field] = None
                    continue
            if value is None and not column.blank_ok:
                errors.append(RowError(raw.number, header, msg("required_value"), self.sheet.name))
            values[column.field] = value
        for group, present in self._groups:
            if failed.intersection(present):
                continue  # the bad cell is already reported; counting would only add noise
            filled = sum(values[name] is not None for name in present)
            key = None
            if filled == 0 and group.rule in ("exactly_one", "at_least_one"):
                key = "group_none"
            elif filled > 1 and group.rule in ("exactly_one", "at_most_one"):
                key = "group_many"
            if key:
                headers = [self.columns[name] for name in present]
                text = msg(key, columns=quoted_list(headers))
                errors.append(RowError(raw.number, " / ".join(headers), text, self.sheet.name))
        values = {column.field: values[column.field] for column in self.spec.columns}  # the spec's order
        return RowResult(raw.number, values, tuple(errors), cells, self.sheet.name, self.columns, self.headers)


def read_sheet(
    path: str | os.PathLike[str],
    spec: SheetSpec,
    *,
    sheet: str | Sequence[str] | None = None,
    filename: str | None = None,
) -> SheetReader:
    """Open a file and read one sheet (default the first) through ``spec``.

    The header is checked before this returns. The workbook is closed at once: the
    reader already holds the sheet (python-calamine keeps a loaded sheet alive on its
    own; a CSV is reopened by the row stream itself).
    """
    with open_workbook(path, filename=filename) as book:
        return book.sheet(sheet).read(spec)
