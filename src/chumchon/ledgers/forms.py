"""Reading what people type into the entry pages: the staff grid, the correction form and
the phone's queued lines.

The rules follow the paper forms: a day of the month (``15``) or a date in Buddhist Era
(``15/3/2567``); a category by code (``C02``) or by its Thai name (``ไข่``); amounts with
Thai digits, thousands separators and a trailing ``บาท``. Each problem is reported on the
field it belongs to, so a page can show it on the right row without losing what was typed.
Nothing here writes: the views hand the parsed lines to the ledger services.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chumchon.core.spreadsheet.cells import clean_text, parse_money
from chumchon.core.spreadsheet.dates import parse_date
from chumchon.core.spreadsheet.errors import CellError
from chumchon.core.thai import Month, arabic_digits, format_date
from chumchon.ledgers.models import Category
from chumchon.ledgers.services import LineInput

KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,40}")
ITEM_MAX = 200
GRID_MAX_LINES = 300  # far more than a month's paper form holds
PHONE_MAX_LINES = 200


class FieldError(ValueError):
    """One typed value cannot be used; the message is ready to show."""


def _lang() -> str:
    return "th" if (translation.get_language() or "th").startswith("th") else "en"


def _cell_message(exc: CellError) -> str:
    return exc.message(_lang())


# --- single values -----------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryIndex:
    """Every category, findable by code or by name (Thai or English, any case)."""

    categories: tuple[Category, ...]
    by_code: Mapping[str, Category]
    by_name: Mapping[str, Category]

    @classmethod
    def build(cls, categories: Iterable[Category]) -> CategoryIndex:
        items = tuple(categories)
        names: dict[str, Category] = {}
        for c in items:
            for name in (c.name_th, c.name_en):
                if name:
                    names.setdefault(_name_key(name), c)
        return cls(categories=items, by_code={c.code.upper(): c for c in items}, by_name=names)

    def resolve(self, text: str) -> Category | None:
        """``C02``, ``c02``, ``C02 ไข่`` (as the suggestion list fills it in) or ``ไข่``."""
        cleaned = clean_text(arabic_digits(text))
        if not cleaned:
            return None
        first = cleaned.split(" ", 1)[0].upper()
        if first in self.by_code:
            return self.by_code[first]
        return self.by_name.get(_name_key(cleaned))


def _name_key(name: str) -> str:
    return clean_text(name).casefold()


def parse_category(text: str, index: CategoryIndex) -> Category:
    if not clean_text(text):
        raise FieldError(_("Choose a category."))
    category = index.resolve(text)
    if category is None:
        raise FieldError(
            _("No category “%(text)s”: type a code such as C02 or pick a name from the list.")
            % {"text": clean_text(text)}
        )
    return category


def parse_amount(text: str) -> Decimal:
    try:
        amount = parse_money(text, allow_zero=False)
    except CellError as exc:
        raise FieldError(_cell_message(exc)) from None
    if amount is None:
        raise FieldError(_("Type the amount."))
    return amount


_DAY = re.compile(r"\d{1,2}")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})")


def parse_day(text: str, month: Month) -> dt.date:
    """A day of ``month`` (``15``), a day and month of its year (``15/3``) or a full date
    (``15/3/2567``, ``2024-03-15``)."""
    value = clean_text(arabic_digits(text))
    if not value:
        raise FieldError(_("Type the day."))
    if _DAY.fullmatch(value):
        day = int(value)
        if not 1 <= day <= month.last_day.day:
            raise FieldError(_("%(month)s has no day %(day)s.") % {"month": month.label(lang=_lang()), "day": day})
        return month.first_day.replace(day=day)
    if m := _DAY_MONTH.fullmatch(value):
        try:
            return dt.date(month.year, int(m.group(2)), int(m.group(1)))
        except ValueError:
            raise FieldError(_("“%(text)s” is not a real date.") % {"text": value}) from None
    try:
        parsed = parse_date(value)
    except CellError as exc:
        raise FieldError(_cell_message(exc)) from None
    if parsed is None:
        raise FieldError(_("Type the day."))
    return parsed


def check_date(date: dt.date, *, today: dt.date, month: Month | None = None) -> None:
    if date > today:
        raise FieldError(_("%(date)s is in the future.") % {"date": format_date(date, lang=_lang())})
    if month is not None and Month.of(date) != month:
        raise FieldError(
            _("%(date)s is not in %(month)s.")
            % {"date": format_date(date, lang=_lang()), "month": month.label(lang=_lang())}
        )


def parse_key(text: object) -> str | None:
    """A client-generated line key (a UUID), or None when it is missing or malformed."""
    if isinstance(text, str) and KEY_RE.fullmatch(text.strip()):
        return text.strip()
    return None


def stored_key(household_id: int, key: str) -> str:
    """The idempotency key as saved on the line: the household is part of it, so one
    household's keys can never hide another's lines."""
    return f"web:{household_id}:{key}"


# --- the staff grid ----------------------------------------------------------------------

GRID_FIELDS = ("day", "category", "item", "amount")


@dataclass
class GridRow:
    """One row of the grid as typed, with what it parsed to or what is wrong with it."""

    key: str
    day: str = ""
    category: str = ""
    item: str = ""
    amount: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    line: LineInput | None = None
    category_obj: Category | None = None

    @property
    def is_blank(self) -> bool:
        # A day alone is not a line: the grid copies the day into the next row for speed.
        return not any(clean_text(getattr(self, f)) for f in ("category", "item", "amount"))


@dataclass
class GridInput:
    rows: list[GridRow]  # what was typed, blank rows dropped
    problems: list[str] = field(default_factory=list)  # not tied to one row

    @property
    def lines(self) -> list[LineInput]:
        return [r.line for r in self.rows if r.line is not None]

    @property
    def is_valid(self) -> bool:
        return not self.problems and all(not r.errors for r in self.rows) and bool(self.rows)


def grid_input(
    post: Any, *, household_id: int, month: Month, index: CategoryIndex, today: dt.date, new_key: Any
) -> GridInput:
    """The grid's rows from a POST: parallel lists ``key``, ``day``, ``category``, ``item``,
    ``amount``. A row without a valid key gets a fresh one from ``new_key()`` (the form is
    shown again with it, so a second submission of that page is still recognised)."""
    columns = {name: post.getlist(name) for name in ("key", *GRID_FIELDS)}
    count = max((len(v) for v in columns.values()), default=0)
    problems: list[str] = []
    if count > GRID_MAX_LINES:
        problems.append(_("At most %(n)s lines can be saved at once.") % {"n": GRID_MAX_LINES})
        count = GRID_MAX_LINES
    rows: list[GridRow] = []
    seen: set[str] = set()
    for i in range(count):

        def value(name: str, i: int = i) -> str:
            values = columns[name]
            return str(values[i]) if i < len(values) else ""

        key = parse_key(value("key")) or new_key()
        row = GridRow(
            key=key,
            day=value("day").strip(),
            category=value("category").strip(),
            item=value("item").strip(),
            amount=value("amount").strip(),
        )
        if row.is_blank:
            continue
        if key in seen:  # the same line twice in one submission: it is one line
            continue
        seen.add(key)
        rows.append(row)
        _parse_grid_row(row, household_id=household_id, month=month, index=index, today=today)
    if not rows and not problems:
        problems.append(_("There are no new lines to save."))
    return GridInput(rows=rows, problems=problems)


def _parse_grid_row(row: GridRow, *, household_id: int, month: Month, index: CategoryIndex, today: dt.date) -> None:
    date = category = amount = None
    try:
        date = parse_day(row.day, month)
        check_date(date, today=today, month=month)
    except FieldError as exc:
        row.errors["day"] = str(exc)
    try:
        category = parse_category(row.category, index)
        row.category_obj = category
    except FieldError as exc:
        row.errors["category"] = str(exc)
    item = clean_text(row.item)
    if len(item) > ITEM_MAX:
        row.errors["item"] = _("The item is too long (at most %(n)s letters).") % {"n": ITEM_MAX}
    try:
        amount = parse_amount(row.amount)
    except FieldError as exc:
        row.errors["amount"] = str(exc)
    if row.errors or date is None or category is None or amount is None:
        return
    row.line = LineInput(
        date=date, category=category.code, amount=amount, item=item, key=stored_key(household_id, row.key)
    )


# --- corrections ---------------------------------------------------------------------------


class CorrectionForm(forms.Form):
    """New values for a saved line, and why. Used for "correct" (all fields) and for
    "remove" (only the reason)."""

    day = forms.CharField(label=gettext_lazy("Date"), required=False, max_length=40)
    category = forms.CharField(label=gettext_lazy("Category"), required=False, max_length=200)
    item = forms.CharField(label=gettext_lazy("Item"), required=False, max_length=ITEM_MAX)
    amount = forms.CharField(label=gettext_lazy("Amount"), required=False, max_length=40)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def __init__(self, *args: Any, month: Month, index: CategoryIndex, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month = month
        self.index = index
        self.today = today

    def clean_reason(self) -> str:
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Say why the line is changed."))
        return reason

    def line(self) -> LineInput | None:
        """The corrected line (call after ``is_valid()``), or None with errors added."""
        data = self.cleaned_data
        date = category = amount = None
        try:
            date = parse_day(data.get("day", ""), self.month)
            check_date(date, today=self.today)
        except FieldError as exc:
            self.add_error("day", str(exc))
        try:
            category = parse_category(data.get("category", ""), self.index)
        except FieldError as exc:
            self.add_error("category", str(exc))
        try:
            amount = parse_amount(data.get("amount", ""))
        except FieldError as exc:
            self.add_error("amount", str(exc))
        if date is None or category is None or amount is None:
            return None
        return LineInput(date=date, category=category.code, amount=amount, item=clean_text(data.get("item", "")))


# --- the phone's queued lines ------------------------------------------------------------------


@dataclass
class PhoneLine:
    key: str
    line: LineInput | None = None
    error: str = ""


class PayloadError(ValueError):
    """The request as a whole is malformed (not the volunteer's typing): a 400."""


def phone_lines(payload: object, *, household_id: int, index: CategoryIndex, today: dt.date) -> list[PhoneLine]:
    """``{"lines": [{"key", "date", "category", "amount", "item"}, …]}`` → one result per
    distinct key, parsed or with the reason it cannot be saved."""
    if not isinstance(payload, dict) or not isinstance(payload.get("lines"), list):
        raise PayloadError("expected an object with a list of lines")
    raw_lines = payload["lines"]
    if len(raw_lines) > PHONE_MAX_LINES:
        raise PayloadError(f"at most {PHONE_MAX_LINES} lines at once")
    out: dict[str, PhoneLine] = {}
    for raw in raw_lines:
        if not isinstance(raw, dict):
            raise PayloadError("each line is an object")
        key = parse_key(raw.get("key"))
        if key is None:
            raise PayloadError("each line needs a key of 8–40 letters, digits, '-' or '_'")
        if key in out:
            continue
        out[key] = _phone_line(raw, key=key, household_id=household_id, index=index, today=today)
    return list(out.values())


def _text(raw: Mapping[str, object], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


def _phone_line(
    raw: Mapping[str, object], *, key: str, household_id: int, index: CategoryIndex, today: dt.date
) -> PhoneLine:
    errors: list[str] = []
    date = category = amount = None
    try:
        date = parse_day(_text(raw, "date"), Month.of(today))
        check_date(date, today=today)
    except FieldError as exc:
        errors.append(str(exc))
    try:
        category = parse_category(_text(raw, "category"), index)
    except FieldError as exc:
        errors.append(str(exc))
    try:
        amount = parse_amount(_text(raw, "amount"))
    except FieldError as exc:
        errors.append(str(exc))
    item = clean_text(_text(raw, "item"))[:ITEM_MAX]
    if errors or date is None or category is None or amount is None:
        return PhoneLine(key=key, error=" ".join(errors))
    line = LineInput(date=date, category=category.code, amount=amount, item=item, key=stored_key(household_id, key))
    return PhoneLine(key=key, line=line)
