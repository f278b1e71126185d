"""A household's account lines month by month, and the one place they are written.

Lines are drawn per household and month from their own random stream (crop years
from theirs, see :mod:`chumchon.demo.seasons`). Debts are paid monthly on their due
day: interest on the outstanding balance (F02) and the rest of the agreed monthly
payment as principal (F01), so the lines agree with the household's Debt rows, which
give the balance at the start of the accounts. Farmers owing BAAC often pay a lump
off the principal after selling their crop, and some borrow again before planting
(F05), which adds to what they owe. Farmers who rent their paddy or field pay the
rent (P07) after selling the crop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, DecimalField, Field, Model
from django.db.models.base import ModelState
from django.utils import timezone

from chumchon.core.thai import Month
from chumchon.demo.common import CENT, Book, Line, baht, day_in, rng_for
from chumchon.demo.debts import FARMING
from chumchon.demo.earning import occupation_income, transfers
from chumchon.demo.households import HouseholdPlan
from chumchon.demo.seasons import Season, crop_year, season_lines
from chumchon.demo.spending import consumption
from chumchon.ledgers.models import EntrySource, LedgerEntry
from chumchon.ledgers.rollups import fact_of, rollups_apply, rollups_forget_households
from chumchon.registry.models import DebtSource as DS
from chumchon.registry.models import Household, LandTenure
from chumchon.registry.models import OccupationGroup as OG

DEBT_LABEL: dict[str, str] = {
    DS.BAAC: "ธ.ก.ส.",
    DS.VILLAGE_FUND: "กองทุนหมู่บ้าน",
    DS.COOPERATIVE: "กลุ่มออมทรัพย์",
    DS.BANK: "ธนาคารออมสิน",
    DS.INFORMAL: "เงินกู้นอกระบบ",
    DS.FAMILY: "ญาติ",
    DS.OTHER: "เงินกู้อื่น",
}


# --- finance -------------------------------------------------------------------------


def debt_payments(book: Book, plan: HouseholdPlan, balances: list[Decimal]) -> None:
    """This month's interest and principal on every scheduled debt."""
    for i, debt in enumerate(plan.debts):
        balance = balances[i]
        if balance <= 0 or debt.monthly_payment <= 0:
            continue
        interest = (balance * debt.rate / 1200).quantize(CENT, rounding=ROUND_HALF_UP)
        principal = min(max(debt.monthly_payment - interest, Decimal(0)), balance)
        day = book.day(debt.due_day, debt.due_day)
        label = DEBT_LABEL[debt.source]
        book.add(day, "F02", f"ดอกเบี้ย {label}", interest)
        item = f"คืนเงินที่ยืม{label}" if debt.source == DS.FAMILY else f"ส่งเงินต้น {label}"
        book.add(day, "F01", item, principal)
        balances[i] = balance - principal


def after_harvest(book: Book, seed: int, plan: HouseholdPlan, balances: list[Decimal], season: Season) -> None:
    """Farmers owing BAAC often pay a lump off the principal in the month they sell."""
    if season.main_sale != book.month:
        return
    rng = rng_for(seed, "payoff", plan.key, crop_year(book.month))
    for i, debt in enumerate(plan.debts):
        if debt.source != DS.BAAC or balances[i] <= 0 or rng.random() >= 0.5:
            continue
        lump = min(balances[i], baht(float(balances[i]) * rng.uniform(0.1, 0.25), 1000))
        book.add(book.day(15, 31), "F01", "โปะหนี้ ธ.ก.ส. หลังขายผลผลิต", lump)
        balances[i] -= lump


def borrowing(book: Book, seed: int, plan: HouseholdPlan, balances: list[Decimal]) -> None:
    """Some farm households borrow again from BAAC or the village fund before planting."""
    if plan.occupation not in FARMING:
        return
    rng = rng_for(seed, "borrow", plan.key, book.month.year)
    if rng.random() >= 0.3 or book.month.month != rng.choice((4, 5, 6)):
        return
    for i, debt in enumerate(plan.debts):
        if debt.source == DS.BAAC:
            amount = baht(rng.uniform(10_000, 50_000), 1000)
            book.add(book.day(), "F05", "กู้ ธ.ก.ส. ค่าปุ๋ย ค่าไถ", amount)
        elif debt.source == DS.VILLAGE_FUND:
            amount = baht(rng.uniform(5_000, 20_000), 1000)
            book.add(book.day(), "F05", "กู้กองทุนหมู่บ้าน", amount)
        else:
            continue
        balances[i] += amount
        return


def land_rent(book: Book, seed: int, plan: HouseholdPlan, season: Season) -> None:
    """Rent for a rented paddy or field, paid once the crop is sold (own stream, so the
    month's other lines do not move)."""
    if plan.record.land_tenure != LandTenure.RENT or season.main_sale != book.month or not plan.traits.rai:
        return
    rng = rng_for(seed, "rent", plan.key, crop_year(book.month))
    rai = max(1, round(plan.traits.rai * rng.uniform(0.3, 1.0)))
    what = "นา" if plan.occupation in (OG.RICE, OG.RICE_PLUS) else "ที่ไร่"
    book.add(day_in(book.month, rng, 10), "P07", f"ค่าเช่า{what} {rai} ไร่", baht(rai * rng.uniform(500, 1000), 100))


def savings(book: Book, plan: HouseholdPlan) -> None:
    t = plan.traits
    if t.saving:
        book.add(book.day(5, 10), "F03", "ฝากสัจจะออมทรัพย์", baht(t.saving))
    if t.welfare_fund:
        book.add(book.day(5, 10), "F04", "สมทบกองทุนสวัสดิการชุมชน (วันละบาท)", baht(30))
    if book.chance(0.15):
        book.add(book.day(), "F04", "ค่าฌาปนกิจสงเคราะห์", baht(book.rng.uniform(20, 100), 10))


# --- a household's months ------------------------------------------------------------


def household_lines(*, seed: int, plan: HouseholdPlan, months: Sequence[Month]) -> list[Line]:
    """Every line the household writes in ``months`` (oldest first), in date order."""
    balances = [d.principal for d in plan.debts]
    seasons: dict[int, Season] = {}
    lines: list[Line] = []
    for month in months:
        book = Book(month, rng_for(seed, "month", plan.key, month.iso()))
        farm_lines, season = season_lines(seed, plan, month, seasons)
        book.lines.extend(farm_lines)
        occupation_income(book, plan)
        transfers(book, plan)
        consumption(book, plan)
        after_harvest(book, seed, plan, balances, season)
        land_rent(book, seed, plan, season)
        debt_payments(book, plan, balances)
        borrowing(book, seed, plan, balances)  # new money accrues interest from next month
        savings(book, plan)
        lines.extend(sorted(book.lines, key=lambda line: line[0]))
    return lines


def income_lines(*, seed: int, plan: HouseholdPlan, months: Sequence[Month]) -> list[Line]:
    """The income lines (I01–I09) :func:`household_lines` writes in ``months``, without
    the rest: the crop year's and the month's first draws are the income ones, so
    this repeats them and stops (for the survey's year when fewer months are written)."""
    seasons: dict[int, Season] = {}
    lines: list[Line] = []
    for month in months:
        book = Book(month, rng_for(seed, "month", plan.key, month.iso()))
        farm_lines, _ = season_lines(seed, plan, month, seasons)
        book.lines.extend(farm_lines)
        occupation_income(book, plan)
        transfers(book, plan)
        lines.extend(sorted((line for line in book.lines if line[1].startswith("I")), key=lambda line: line[0]))
    return lines


# --- writing -------------------------------------------------------------------------


class EntryMaker:
    """Builds unsaved LedgerEntry objects fast, from a per-household template.

    ``Model.__init__`` costs ~30 µs here (five foreign-key descriptors to set), a third
    of a default run; a fresh instance is only its field values plus its own
    ``ModelState``, which is what this builds. Fields added to the model later get
    their defaults from the template.
    """

    def __init__(self) -> None:
        self.defaults = {f.attname: f.get_default() for f in LedgerEntry._meta.concrete_fields}

    def entries(
        self, household: Household, lines: Iterable[Line], enterprise_of: Callable[[Line], int | None] | None = None
    ) -> list[LedgerEntry]:
        """Unsaved entries of the lines (``enterprise_of`` tags a line to its enterprise)."""
        base = {
            **self.defaults,
            "household_id": household.pk,
            "province_code": household.province_code,
            "district_code": household.district_code,
            "tambon_code": household.tambon_code,
            "village_id": household.village_id,
            "source": EntrySource.DEMO.value,
            "created_by_id": None,
        }
        out = []
        new = LedgerEntry.__new__
        for day, category, item, amount in lines:
            entry = new(LedgerEntry)
            entry.__dict__.update(base, date=day, category_id=category, item=item, amount=amount)
            if enterprise_of is not None:
                entry.__dict__["enterprise_id"] = enterprise_of((day, category, item, amount))
            entry._state = ModelState()
            out.append(entry)
        return out


def _converter(field: Field[Any, Any], now: dt.datetime) -> Callable[[Any], Any] | None:
    """How one column's value becomes what the driver takes (None: as it is)."""
    ops = connection.ops
    if isinstance(field, DateTimeField):
        if field.auto_now or field.auto_now_add:
            stamped = field.get_db_prep_save(now, connection)
            return lambda value: stamped
        seen: dict[Any, Any] = {}  # rows often share a time (a survey's answers)

        def moment(value: Any) -> Any:
            if value not in seen:
                seen[value] = field.get_db_prep_save(value, connection)
            return seen[value]

        return moment
    if isinstance(field, DateField):
        return ops.adapt_datefield_value
    if isinstance(field, DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if field.get_internal_type() in ("CharField", "TextField", "ForeignKey", "OneToOneField", "BooleanField"):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def ledger_entries_insert(entries: Sequence[LedgerEntry], *, batch_size: int = 2000) -> int:
    """Write ledger entries in bulk: the ONE place the demo inserts them.

    Whatever must follow new entries (the insights rollups) belongs here. The rows
    bypass ``bulk_create`` (see :func:`rows_insert`): Django's SQL compiler costs about
    120 µs a row on this hardware, which made a default demo province (~450,000 lines)
    take well over a minute on SQLite. Runs inside the caller's transaction; primary
    keys are not set on the objects.
    """
    if not entries:
        return 0
    fields = [f for f in LedgerEntry._meta.concrete_fields if not f.primary_key]
    values = attrgetter(*(f.attname for f in fields))
    written = rows_insert(LedgerEntry, [f.attname for f in fields], map(values, entries), batch_size=batch_size)
    rollups_apply(fact_of(e) for e in entries)
    return written


def rows_insert(
    model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]], *, batch_size: int = 2000
) -> int:
    """Insert plain rows (values in ``attnames`` order) of a model, fast.

    SQLite gets one prepared INSERT run with ``executemany``; PostgreSQL (where
    ``executemany`` pays a round trip a row) gets COPY; other backends multi-row
    VALUES. Values go through the backend's own adapters, as ``bulk_create`` would send
    them; ``auto_now``/``auto_now_add`` columns get the time of the call. Runs inside
    the caller's transaction; returns how many rows.
    """
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    now = timezone.now()
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, now)) is not None]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(str(f.column)) for f in fields)
    # Table and column names come from the model, never from input.
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"

    def row(values: Sequence[Any]) -> list[Any]:
        out = list(values)
        for i, convert in converters:
            out[i] = convert(out[i])
        return out

    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg adapts the rows in C and the server skips planning each row.
            with cursor.copy(copy_sql) as copy:
                for values in rows:
                    copy.write_row(row(values))
                    written += 1
            return written
        pending = iter(rows)
        while batch := [row(v) for _, v in zip(range(batch_size), pending, strict=False)]:
            if connection.vendor == "sqlite":
                cursor.executemany(head + one, batch)
            else:
                cursor.execute(head + ", ".join([one] * len(batch)), [v for r in batch for v in r])
            written += len(batch)
    return written


def ledger_entries_delete(household_ids: Sequence[int]) -> int:
    """Delete every account line of these households (``--reset``); returns how many.

    The other place the demo changes ledger rows: whatever follows inserts (rollups)
    must follow here too. A raw DELETE, because the ORM would first load every entry
    to check the self-reference of reversals (all of them go, reversals included).
    """
    rollups_forget_households(household_ids)
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    deleted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(household_ids), 500):
            chunk = list(household_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE household_id IN ({marks})", chunk)  # noqa: S608 (model names)
            deleted += max(cursor.rowcount, 0)
    return deleted
