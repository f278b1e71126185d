"""The ledger sheet: its columns, what it is checked against, and one row's checks.

This module is the *row path*: every row read through the spreadsheet toolkit and
checked here, one at a time. It is the reference for what a row means and the only
place that words an error; the vectorised CSV path (``fast.py``) accepts only rows it
can read exactly as this path would, and hands every other row back to it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from chumchon.areas.models import Area
from chumchon.areas.selectors import villages_of
from chumchon.core import spreadsheet as ss
from chumchon.core.spreadsheet.cells import _choice_key  # the key Choices itself uses
from chumchon.core.thai import Month, arabic_digits, to_be
from chumchon.ledgers.models import Category, Kind
from chumchon.ledgers.services import month_is_closed
from chumchon.registry.selectors import households_kept_under

ITEM_MAX = 200  # LedgerEntry.item
CODE_MAX = 32  # Household.code
MONEY_FIELDS = ("amount", "income", "expense")
# The kind a money column says; the single amount column leaves it to the category.
COLUMN_KIND = {"amount": "", "income": Kind.INCOME.value, "expense": Kind.EXPENSE.value}
KEY_FIELDS = ("household", "date", "category", "item", "amount")


def parse_household_code(value: ss.Cell) -> str | None:
    """Text with Thai digits as 0–9 (``บ๐๐๑`` = ``บ001``), as the households import reads it."""
    text = ss.parse_text(value, max_length=CODE_MAX)
    return arabic_digits(text) if text else None


_money = partial(ss.parse_money, allow_zero=False)


def ledger_spec(category: ss.Parser = ss.parse_text, *, amount: bool = True) -> ss.SheetSpec:
    """The columns of ``import ledgers`` (``amount=False``: the paper form's, for the template)."""
    money = [ss.Column("amount", "จำนวนเงิน", "amount", _money)] if amount else []
    return ss.SheetSpec(
        [
            ss.Column(
                "household", "รหัสครัวเรือน", "household", parse_household_code, required=True,
                aliases=("household_code",),
            ),
            ss.Column("date", "วันที่", "date", ss.parse_date, required=True, aliases=("วันเดือนปี",)),
            ss.Column("category", "หมวด", "category", category, aliases=("หมวดหมู่", "รหัสหมวด", "category_code")),
            ss.Column(
                "item", "รายการ", "item", partial(ss.parse_text, max_length=ITEM_MAX),
                aliases=("รายละเอียด", "description"),
            ),
            *money,
            ss.Column("income", "รายรับ", "income", _money),
            ss.Column("expense", "รายจ่าย", "expense", _money),
        ],
        groups=[
            ss.OneOf(MONEY_FIELDS if amount else MONEY_FIELDS[1:]),
            ss.OneOf(("category", "item"), rule="at_least_one"),
        ],
    )  # fmt: skip


TEMPLATE = ledger_spec(amount=False)


# --- what rows are checked against ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HouseholdRef:
    pk: int
    village: str
    province: str
    district: str


@dataclass(frozen=True, slots=True)
class CategoryRef:
    code: str
    kind: str
    name_th: str
    name_en: str


def category_names(categories: Iterable[CategoryRef]) -> dict[str, list[str]]:
    """code → the names a cell may use for it: the code, the Thai and English names, and
    each part of a Thai name written with ``/`` (``ค่าน้ำ/ค่าไฟ`` → ``ค่าไฟ``) — parts and
    names that would stand for two categories are left out rather than guessed.

    ``C02`` comes first so that the "not in the list" message shows it as the example,
    as the import template does.
    """
    refs = sorted(categories, key=lambda c: (c.code != "C02", c.code))
    names: dict[str, list[str]] = {ref.code: [] for ref in refs}
    taken: dict[str, str | None] = {_choice_key(ref.code): ref.code for ref in refs}
    candidates: list[tuple[str, str]] = []
    for ref in refs:
        candidates += [(ref.code, ref.name_th), (ref.code, ref.name_en)]
    for ref in refs:
        parts = [part.strip() for part in ref.name_th.split("/")]
        if len(parts) > 1:
            candidates += [(ref.code, part) for part in parts if part]
    wanted: dict[str, set[str]] = {}
    for code, name in candidates:
        if name.strip():
            wanted.setdefault(_choice_key(name), set()).add(code)
    for code, name in candidates:
        key = _choice_key(name)
        if not name.strip() or key in taken or len(wanted[key]) > 1:
            continue
        taken[key] = code
        names[code].append(name)
    return names


def tambon_names(tambon: Area) -> tuple[str, str]:
    """The tambon's name in Thai and English, as messages write it."""
    th = tambon.name_th if tambon.province_code == "10" else f"ต.{tambon.name_th}"
    en = f"{tambon.name_en} Subdistrict" if tambon.name_en else tambon.name_th
    return th, en


class Context:
    """The tambon's households, the categories and the closed months, loaded once per import."""

    def __init__(self, tambon: Area, *, today: dt.date) -> None:
        self.tambon = tambon
        self.today = today
        self.namespace = f"ledger:{tambon.code}"
        self.households: dict[str, HouseholdRef] = {
            code: HouseholdRef(pk, village, province, district)
            for code, pk, village, province, district in households_kept_under(tambon.code).values_list(
                "code", "pk", "village_id", "province_code", "district_code"
            )
        }
        self.categories: dict[str, CategoryRef] = {
            code: CategoryRef(code, kind, name_th, name_en)
            for code, kind, name_th, name_en in Category.objects.values_list("code", "kind", "name_th", "name_en")
        }
        self.names = category_names(self.categories.values())
        self.choices = ss.Choices(self.names)
        self.villages: dict[str, Area] = {area.code: area for area in villages_of(tambon.code)}
        self._closed: dict[tuple[str, dt.date], bool] = {}

    def is_closed(self, village: str, month: dt.date) -> bool:
        """``ledgers.services.month_is_closed``, asked once per village and month."""
        key = (village, month)
        closed = self._closed.get(key)
        if closed is None:
            closed = self._closed[key] = month_is_closed(village, month)
        return closed

    def closed_months(self, pairs: Iterable[tuple[str, dt.date]]) -> set[tuple[str, dt.date]]:
        return {pair for pair in pairs if self.is_closed(*pair)}

    # --- the messages --------------------------------------------------------------

    def unknown_household(self, code: str) -> ss.Text:
        th, en = tambon_names(self.tambon)
        return ss.Text(
            f"ไม่พบรหัสครัวเรือน '{code}' ในทะเบียนของ {th}",
            f"household '{code}' is not registered in {en}",
        )

    @staticmethod
    def future_date(day: dt.date) -> ss.Text:
        shown = f"{day.day:02d}/{day.month:02d}/{to_be(day.year)}"
        return ss.Text(f"วันที่ {shown} อยู่ในอนาคต", f"the date {shown} is in the future")

    def closed_month(self, village_code: str, day: dt.date) -> ss.Text:
        month = Month.of(day)
        village = self.villages.get(village_code)
        th = f"หมู่ {village.village_no} {village.name_th}" if village else village_code
        en = f"Moo {village.village_no} {village.name_th}" if village else village_code
        return ss.Text(
            f"บัญชีเดือน{month.label()} ของ{th} ปิดแล้ว — ให้เจ้าหน้าที่ตำบลเปิดเดือนก่อนจึงจะนำเข้าได้",
            f"the accounts of {month.label(lang='en')} are closed for {en}; "
            "the tambon staff must reopen the month before importing",
        )

    def kind_mismatch(self, code: str, header: str) -> ss.Text:
        ref = self.categories[code]
        if ref.kind == Kind.INCOME:
            th_kind, en_kind = "รายรับ", "an income"
        else:
            th_kind, en_kind = "รายจ่าย", "an expense"
        return ss.Text(
            f"หมวด {code} {ref.name_th} เป็นหมวด{th_kind} แต่จำนวนเงินอยู่ในช่อง '{header}'",
            f"category {code} ({ref.name_en or ref.name_th}) is {en_kind} category, "
            f"but the amount is in the '{header}' column",
        )

    # --- one row -------------------------------------------------------------------

    def check(self, result: ss.RowResult) -> tuple[Line | None, list[ss.RowError]]:
        """The row as a line to import, or the errors found beyond the cells' own."""
        values = result.values
        errors: list[ss.RowError] = []
        code: str | None = values["household"]
        household = None
        if code is not None:
            household = self.households.get(code)
            if household is None:
                errors.append(result.error("household", self.unknown_household(code)))
        day: dt.date | None = values["date"]
        if day is not None:
            if day > self.today:
                errors.append(result.error("date", self.future_date(day)))
            elif household is not None and self.is_closed(household.village, day.replace(day=1)):
                errors.append(result.error("date", self.closed_month(household.village, day)))
        filled = [name for name in MONEY_FIELDS if values.get(name) is not None]
        column = filled[0] if len(filled) == 1 else None  # none or several: the toolkit reports it
        category: str | None = values["category"]
        kind = COLUMN_KIND[column] if column is not None else ""
        if category is not None and column is not None and kind and self.categories[category].kind != kind:
            errors.append(result.error(column, self.kind_mismatch(category, result.columns.get(column, column))))
        if errors or not result.ok:
            return None, errors
        assert code is not None and household is not None and day is not None and column is not None  # noqa: S101
        amount: Decimal = values[column]
        line = Line(
            row=result.row,
            code=code,
            household=household,
            date=day,
            category=category,
            item=values["item"] or "",
            satang=int(amount * 100),
            kind=COLUMN_KIND[column],
        )
        return line, []


@dataclass(frozen=True, slots=True)
class Line:
    """One accepted row: an entry to write, or (no category) a line to wait for one."""

    row: int
    code: str  # the household code as written (Thai digits made 0–9)
    household: HouseholdRef
    date: dt.date
    category: str | None
    item: str
    satang: int
    kind: str  # the money column's kind: income, expense, or "" for the amount column

    def body(self) -> str:
        """The fingerprint's fields, as ``row_fingerprint`` writes them (see ``keys``)."""
        return key_body(
            {
                "household": self.code,
                "date": self.date,
                "category": self.category,
                "item": self.item,
                "amount": Decimal(self.satang).scaleb(-2),
            }
        )


def key_body(values: Mapping[str, object]) -> str:
    """The part of ``ss.row_fingerprint``'s payload after the namespace and occurrence."""
    return json.dumps(
        [[name, ss.canonical(values.get(name))] for name in KEY_FIELDS], ensure_ascii=False, separators=(",", ":")
    )
