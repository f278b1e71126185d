"""Reading a date cell.

Accepted: ``15/03/2567`` (day first, as Thai forms are; ``/``, ``-`` or ``.`` between
the parts, one- or two-digit day and month), ``2024-03-15`` (ISO, optionally with a
time that is dropped), ``15 มี.ค. 2567`` / ``15 มีนาคม พ.ศ. 2567`` / ``15 Mar 2024``,
and real Excel date cells.

A year above 2400 is Buddhist Era wherever it appears — also in an Excel date cell,
because Excel in a Common Era locale stores a typed ``15/03/2567`` as the year 2567.
Two-digit years are refused: ``67`` could be 2567 or 1967. Impossible dates
(``31/02/2567``, and ``03/15/2567`` written month first) are refused, never rolled over.
"""

from __future__ import annotations

import datetime as dt
import re

from chumchon.core.spreadsheet.cells import YEAR_MAX, YEAR_MIN, Cell, _shown, clean_text, is_blank
from chumchon.core.spreadsheet.errors import CellError
from chumchon.core.spreadsheet.messages import msg
from chumchon.core.thai import (
    BE_OFFSET,
    MONTHS_EN_FULL,
    MONTHS_EN_SHORT,
    MONTHS_TH_FULL,
    MONTHS_TH_SHORT,
    arabic_digits,
)

_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_MONTH_NAME_YEAR = re.compile(r"(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d+)")
_ERA_MARK = re.compile(r"(?:พศ|คศ|be|ad|ce)$")


def _month_key(name: str) -> str:
    return re.sub(r"[.\s]", "", name).casefold()


_MONTH_NAMES: dict[str, int] = {
    _month_key(name): index + 1
    for names in (MONTHS_TH_SHORT, MONTHS_TH_FULL, MONTHS_EN_SHORT, MONTHS_EN_FULL)
    for index, name in enumerate(names)
}


def _make_date(year: int, month: int, day: int, cell: Cell) -> dt.date:
    """A date from a year that is Buddhist Era when above 2400, else Common Era."""
    if year > 2400:
        year -= BE_OFFSET
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CellError(msg("date_year_range", value=_shown(cell)))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(msg("date_not_exist", value=_shown(cell))) from None


def _date_from_text(value: str) -> dt.date:
    text = arabic_digits(clean_text(value))
    if m := _ISO.fullmatch(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), value)
    month: int | None
    if m := _DMY.fullmatch(text):
        day, month, year_text = int(m.group(1)), int(m.group(3)), m.group(4)
    elif (m := _DAY_MONTH_NAME_YEAR.fullmatch(text)) and (
        month := _MONTH_NAMES.get(_ERA_MARK.sub("", _month_key(m.group(2))))
    ):
        day, year_text = int(m.group(1)), m.group(3)
    else:
        raise CellError(msg("date_invalid", value=_shown(value)))
    if len(year_text) <= 2:
        raise CellError(msg("date_two_digit_year", value=_shown(value)))
    if len(year_text) != 4:
        raise CellError(msg("date_invalid", value=_shown(value)))
    return _make_date(int(year_text), month, day, value)


def parse_date(value: Cell) -> dt.date | None:
    """A calendar date; see the module docstring for the accepted forms.

    A bare number is refused even though it might be an Excel serial date: the person
    sees a number in that cell (Excel would show a date if the cell were formatted as
    one), and reading 45366 as 15 March 2024 would surprise them.
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, bool):
        raise CellError(msg("date_invalid", value=_shown(value)))
    if isinstance(value, int | float):
        raise CellError(msg("date_is_number", value=_shown(value)))
    if isinstance(value, dt.time):
        raise CellError(msg("date_is_time", value=_shown(value)))
    if isinstance(value, str):
        return _date_from_text(value)
    raise CellError(msg("date_invalid", value=_shown(value)))
