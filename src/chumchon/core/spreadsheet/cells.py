"""Reading one cell: pure functions from a raw cell value to a Python value.

A raw cell is what the file gives: text from a CSV, or from Excel (through
python-calamine) a ``str``, a ``float`` (Excel stores every number, integers too, as
a float), a ``bool``, a ``date``/``datetime`` (only when the cell has a date number
format), a ``time`` or a ``timedelta``. Empty cells are ``None``.

Every parser returns ``None`` for an empty cell (whether the column may be empty is
the column spec's business) and raises :class:`CellError` with a Thai message (and its
English twin) for anything it cannot read. The rules follow how tambon staff actually
fill in the household forms:

* Thai digits (๐–๙) are read everywhere; stray spaces, non-breaking spaces and
  zero-width spaces (common in Thai text pasted from the web) are ignored.
* Money: ``1,250.50``, ``฿1,250``, ``1250 บาท``, ``1,250.-`` (the Thai "no satang"
  notation), ``-`` for nothing. Thousands separators must group by three, so an
  ambiguous ``1,25`` or ``1.250`` is refused rather than guessed. Excel floats become
  exact 2-place Decimals rounded half-up from their shortest decimal form, so
  ``0.1 + 0.2`` is ``0.30`` and ``1250.5`` is ``1250.50``.
* Dates: see :mod:`chumchon.core.spreadsheet.dates`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from chumchon.core import national_id
from chumchon.core.spreadsheet.errors import CellError
from chumchon.core.spreadsheet.messages import msg
from chumchon.core.thai import arabic_digits, to_be

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Parser = Callable[[Cell], object]

CENT = Decimal("0.01")
MONEY_MAX = Decimal("999999999999.99")  # NUMERIC(14, 2)
YEAR_MIN, YEAR_MAX = 1900, 2200  # Common Era; Month accepts the same range

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")
_DASHES = frozenset({"-", "–", "—", "−"})


def clean_text(text: str) -> str:
    """Strip, collapse inner whitespace to one space and drop zero-width characters."""
    return " ".join(text.translate(_INVISIBLE).split())


def is_blank(value: Cell) -> bool:
    """``None``, or text that is empty once whitespace is removed."""
    return value is None or (isinstance(value, str) and not value.translate(_INVISIBLE).strip())


def display(value: Cell) -> str:
    """A cell as a person would read it: in messages and in the error report.

    Whole floats lose their ``.0`` (Excel stores 3 as 3.0); dates are ``dd/mm/yyyy``
    in Buddhist Era, as on the paper forms.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"{value.day:02d}/{value.month:02d}/{to_be(value.year)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{to_be(value.year)}"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


def _shown(value: Cell) -> str:
    """The value quoted inside a message, cut short so a runaway cell stays readable."""
    text = clean_text(display(value))
    return text if len(text) <= 40 else text[:39] + "…"


# --- text ----------------------------------------------------------------------


def parse_text(value: Cell, *, max_length: int | None = None) -> str | None:
    """Text with whitespace collapsed. A number becomes its digits (``12.0`` → ``"12"``).

    A date cell in a text column is refused: it almost always means Excel turned a
    house number such as ``12/3`` into 12 March, and guessing it back is unsafe.
    """
    if value is None:
        return None
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(msg("text_is_date", value=_shown(value)))
    text = clean_text(display(value))
    if not text:
        return None
    if max_length is not None and len(text) > max_length:
        raise CellError(msg("text_too_long", max=max_length))
    return text


# --- numbers -------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?")
_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+)")
_PLAIN_MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
_CURRENCY_PREFIX = re.compile(r"^(?:฿|thb)", re.IGNORECASE)
_CURRENCY_SUFFIX = re.compile(r"(?:บาท|฿|thb|บ\.)$", re.IGNORECASE)


def _digits_only_text(value: str) -> str:
    """Thai digits to 0–9 and every kind of space removed: ``"๑ ๒๕๐"`` → ``"1250"``."""
    return _SPACES.sub("", arabic_digits(value.translate(_INVISIBLE)))


def parse_int(value: Cell, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    """A whole number: ``12``, ``1,250``, ``๑๒``, ``12.0``; Excel's ``12.0`` float too."""
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            number = int(value)
    elif isinstance(value, str):
        text = _digits_only_text(value)
        if _INTEGER.fullmatch(text):
            number = int(text.split(".")[0].replace(",", ""))
    if number is None:
        raise CellError(msg("int_invalid", value=_shown(value)))
    if min_value is not None and number < min_value:
        raise CellError(msg("int_min", value=number, min=min_value))
    if max_value is not None and number > max_value:
        raise CellError(msg("int_max", value=number, max=max_value))
    return number


def _money_from_text(value: str) -> Decimal | None:
    text = _digits_only_text(value)
    if text in _DASHES:
        return None  # "-" in an accounts column means "nothing"
    negative = False
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":  # accounting negative
        negative, text = True, text[1:-1]
    text = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", text))
    if text[:1] in _DASHES or text[:1] == "+":
        negative, text = negative or text[0] != "+", text[1:]
    text = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", text))
    if text.endswith(".-"):
        text = text[:-2]
    match = _DECIMAL.fullmatch(text)
    if not match:
        raise CellError(msg("money_invalid", value=_shown(value)))
    if len(match.group(1) or match.group(2) or "") > 2:
        raise CellError(msg("money_places", value=_shown(value)))
    amount = Decimal(text.replace(",", ""))
    return -amount if negative else amount


def parse_money(value: Cell, *, allow_negative: bool = False, allow_zero: bool = True) -> Decimal | None:
    """Baht as a ``Decimal`` with exactly two places, rounded half-up.

    Excel floats go through their shortest decimal form (``repr``), which is the number
    Excel itself shows: ``0.1 + 0.2`` → ``0.30``, ``2.675`` → ``2.68``.
    """
    if is_blank(value):
        return None
    amount: Decimal | None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(msg("money_invalid", value=_shown(value)))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(msg("money_invalid", value=_shown(value)))
        amount = Decimal(repr(value))
    elif isinstance(value, int) or _PLAIN_MONEY.fullmatch(value):  # plain "1250.5" needs no clean-up
        amount = Decimal(value)
    else:
        amount = _money_from_text(value)
        if amount is None:
            return None
    try:
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits for the context: far beyond MONEY_MAX
        raise CellError(msg("money_too_large", value=_shown(value))) from None
    if amount == 0:
        amount = abs(amount)  # no "-0.00"
    if abs(amount) > MONEY_MAX:
        raise CellError(msg("money_too_large", value=_shown(value)))
    if amount < 0 and not allow_negative:
        raise CellError(msg("money_negative", value=_shown(value)))
    if amount == 0 and not allow_zero:
        raise CellError(msg("money_zero"))
    return amount


# --- yes/no, sex, choices ----------------------------------------------------------

_TRUE = frozenset({"มี", "ใช่", "yes", "y", "true", "t", "1", "✓", "✔", "☑"})
_FALSE = frozenset({"ไม่มี", "ไม่ใช่", "no", "n", "false", "f", "0", "✗", "✘", "☐"})


def parse_bool(value: Cell) -> bool | None:
    """มี/ไม่มี, ใช่/ไม่ใช่, yes/no, y/n, true/false, 1/0, ✓/✗; Excel's TRUE/FALSE cells.

    A lone dash is "not filled in" (``None``), not "no".
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    if isinstance(value, str):
        key = arabic_digits(clean_text(value)).casefold().replace(" ", "")
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        if key in _DASHES:
            return None
    raise CellError(msg("bool_invalid", value=_shown(value)))


_SEX = {"ชาย": "M", "หญิง": "F", "m": "M", "f": "F", "male": "M", "female": "F", "เพศชาย": "M", "เพศหญิง": "F"}


def parse_sex(value: Cell) -> str | None:
    """``"M"`` or ``"F"`` from ชาย/หญิง, M/F or male/female."""
    if is_blank(value):
        return None
    if isinstance(value, str) and (sex := _SEX.get(clean_text(value).casefold().replace(" ", ""))):
        return sex
    raise CellError(msg("sex_invalid", value=_shown(value)))


def _choice_key(text: str) -> str:
    """Spaces anywhere and Latin case do not matter: ``ทำสวน / ทำไร่`` = ``ทำสวน/ทำไร่``."""
    return _SPACES.sub("", arabic_digits(text.translate(_INVISIBLE))).casefold()


class Choices:
    """A parser for a coded list whose cells hold either the code or a name.

    ``Choices({"O01": "ทำนา", "O03": ["ทำสวน/ทำไร่", "farming"]})`` reads ``O01``,
    ``o01``, ``ทำนา`` and ``ทำ นา`` as ``"O01"``. Build it once per import: it indexes
    the names up front so each cell is one dictionary lookup.
    """

    def __init__(self, choices: Mapping[str, str | Iterable[str]]) -> None:
        if not choices:
            raise ValueError("Choices needs at least one code")
        self.index: dict[str, str] = {}
        for code, names in choices.items():
            for name in (code, *([names] if isinstance(names, str) else names)):
                key = _choice_key(name)
                if self.index.get(key, code) != code:
                    raise ValueError(f"{name!r} names both {self.index[key]} and {code}")
                self.index[key] = code
        first_code, first_names = next(iter(choices.items()))
        self.example_code = first_code
        self.example_name = first_names if isinstance(first_names, str) else next(iter(first_names), first_code)

    def __call__(self, value: Cell) -> str | None:
        text = parse_text(value)
        if text is None:
            return None
        code = self.index.get(_choice_key(text))
        if code is None:
            raise CellError(msg("choice_invalid", value=_shown(value), code=self.example_code, name=self.example_name))
        return code


def parse_choice(value: Cell, choices: Mapping[str, str | Iterable[str]]) -> str | None:
    """The code for a cell holding a code or a name; see :class:`Choices` (faster for many rows)."""
    return Choices(choices)(value)


# --- identifiers -----------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)


def parse_national_id(value: Cell) -> str | None:
    """13 digits, check digit verified (dashes, spaces, Thai digits accepted).

    An ID typed into a number cell arrives as a float, which holds 13 digits exactly.
    Text like ``1.10170E+12`` is what a CSV saved from Excel holds when the column was a
    number: the digits are gone, so the message says how to fix the sheet.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellError(msg("national_id_length"))
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            raise CellError(msg("national_id_length"))
        value = str(int(value))
    text = arabic_digits(clean_text(str(value)))
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(msg("national_id_scientific", value=text))
    try:
        return national_id.normalize(text)
    except national_id.InvalidNationalId:
        digits = re.sub(r"[\s\-]", "", text)
        key = "national_id_checksum" if re.fullmatch(r"\d{13}", digits) else "national_id_length"
        raise CellError(msg(key)) from None


_VILLAGE_PREFIX = re.compile(r"^(?:หมู่ที่|หมู่|ม\.|ม|moo\.?|village)\s*", re.IGNORECASE)


def parse_village_no(value: Cell) -> int | None:
    """A village (หมู่) number 1–99; ``3``, ``๓``, ``หมู่ 3``, ``ม.3`` and ``หมู่ที่ 3`` all give 3."""
    if is_blank(value):
        return None
    number: int | None = None
    with contextlib.suppress(CellError):
        number = parse_int(_VILLAGE_PREFIX.sub("", clean_text(value)) if isinstance(value, str) else value)
    if number is None or not 1 <= number <= 99:
        raise CellError(msg("village_no_invalid", value=_shown(value)))
    return number
