"""The area dashboard, checked figure by figure against an independent computation.

The oracle here reads the raw ledger lines and the registry rows and computes every
figure in exact fractions (``Fraction``), rounding half away from zero to the cent at
the end — it shares no code with ``chumchon.insights.dashboard`` and never reads a
rollup table.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pytest

from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights.dashboard import Dashboard, dashboard_for
from chumchon.ledgers.models import Category, LedgerEntry
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse
from chumchon.registry.models import Debt, Household, OccupationGroup
from tests import factories

pytestmark = pytest.mark.django_db

FIRST = Month(2023, 1)
LAST = Month(2024, 3)
VILLAGES = {  # village code → households that keep accounts
    "37010101": 8,
    "37010102": 6,
    "37010103": 3,
    "37010201": 7,
    "37010202": 5,
    "37020101": 4,
}
OCCUPATIONS = ["O01", "O02", "O06", "O08", ""]
AS_OF = [dt.date(2022, 12, 1), dt.date(2023, 1, 1), dt.date(2023, 6, 15), dt.date(2024, 1, 1), dt.date(2024, 2, 20)]


def _months(start: Month, end: Month) -> list[Month]:
    out, m = [], start
    while m <= end:
        out.append(m)
        m = Month(m.year + m.month // 12, m.month % 12 + 1)
    return out


@pytest.fixture
def world():
    """Six villages in three tambons of two districts; random accounts over 15 months
    (some months skipped, some lines reversed), debts with records of several dates,
    principal repaid and loans received; two households in the first village only
    gamble (a cell under 5); one household registered that never reports; one that
    moved away after reporting."""
    rng = random.Random(5)
    actor = Actor(user=None)
    codes = [c for c in Category.objects.values_list("code", flat=True) if c not in ("C10", "F01", "F05")]
    households: list[Household] = []
    for code, n in VILLAGES.items():
        village = factories.village(code[:6], int(code[6:]), name=f"บ้าน{code[-2:]}")
        for i in range(n):
            h = factories.household(village, members=1, occupation_group=rng.choice(OCCUPATIONS))
            households.append(h)
            debts = []
            for source in rng.sample(["D01", "D02", "D05"], k=rng.choice([0, 0, 1, 1, 2])):
                debts.append(
                    Debt.objects.create(
                        household=h,
                        source=source,
                        principal=Decimal(rng.randint(1000, 16000)),
                        monthly_payment=Decimal(rng.randint(0, 3000)),
                        as_of=rng.choice(AS_OF),
                    )
                )
            if debts and rng.random() < 0.4:  # an older record of the same source: the latest counts
                Debt.objects.create(
                    household=h,
                    source=debts[0].source,
                    principal=Decimal(99999),
                    monthly_payment=Decimal(100),
                    as_of=debts[0].as_of - dt.timedelta(days=40),
                )
            lines = []
            repay = Decimal(rng.randint(500, 4000)) if debts or rng.random() < 0.2 else Decimal(0)
            for month in _months(FIRST, LAST):
                if rng.random() < 0.25:
                    continue  # did not report this month
                for _ in range(rng.randint(1, 6)):
                    lines.append(
                        LineInput(
                            date=dt.date(month.year, month.month, rng.randint(1, 28)),
                            category=rng.choice(codes),
                            amount=Decimal(rng.randint(100, 900000)) / 100,
                        )
                    )
                if repay:
                    lines.append(LineInput(date=dt.date(month.year, month.month, 10), category="F01", amount=repay))
                if repay and rng.random() < 0.06:
                    amount = Decimal(rng.randint(1000, 20000))
                    lines.append(LineInput(date=dt.date(month.year, month.month, 3), category="F05", amount=amount))
                if code == "37010101" and i < 2:
                    amount = Decimal(rng.randint(2000, 90000)) / 100
                    lines.append(LineInput(date=dt.date(month.year, month.month, 20), category="C10", amount=amount))
            entries = ledger_entries_add(actor=actor, household=h, lines=lines)
            for e in rng.sample(entries, k=min(3, len(entries))):
                ledger_entry_reverse(actor=actor, entry=e, reason="แก้ไข")
    factories.household(Area.objects.get(code="37010101"))  # registered, never reports
    moved = households[1]
    # Moved away in the middle of the data: counted in the spans that begin before.
    Household.objects.filter(pk=moved.pk).update(status="moved", left_on=dt.date(2023, 9, 14))
    return households


# --- the oracle --------------------------------------------------------------------


def r(x: Fraction, places: int = 2) -> Decimal:
    """Round half away from zero (Decimal's ROUND_HALF_UP) to ``places``."""
    scale = 10**places
    q = int(abs(x) * scale + Fraction(1, 2))
    return Decimal(q if x >= 0 else -q) / scale


def median(values: list[Fraction]) -> Fraction | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


@dataclass
class Raw:
    """The raw lines of an area, grouped by household."""

    cats: dict[str, Category]
    entries: list[LedgerEntry]
    by_household: dict[int, list[LedgerEntry]] = field(default_factory=dict)

    def codes(self, pred) -> set[str]:  # type: ignore[no-untyped-def]
        return {c.code for c in self.cats.values() if pred(c)}


def raw(area: str, start: Month, end: Month) -> Raw:
    cats = {c.code: c for c in Category.objects.all()}
    entries = [
        e
        for e in LedgerEntry.objects.order_by("id")
        if e.village_id.startswith(area) and start.first_day <= e.date <= end.last_day
    ]
    by_household: dict[int, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        by_household[e.household_id].append(e)
    return Raw(cats, entries, dict(by_household))


def is_income(c: Category) -> bool:
    return c.kind == "income" and "borrowing" not in c.flags.split()


def is_expense(c: Category) -> bool:
    return c.kind == "expense"


def months_reported(lines: list[LedgerEntry]) -> set[tuple[int, int]]:
    net: dict[tuple[int, int], int] = defaultdict(int)
    for e in lines:
        net[(e.date.year, e.date.month)] += -1 if e.reverses_id else 1
    return {m for m, n in net.items() if n > 0}


def total(lines: list[LedgerEntry], codes: set[str]) -> Decimal:
    return sum((e.amount for e in lines if e.category_id in codes), Decimal(0))


def with_lines(lines: list[LedgerEntry], codes: set[str]) -> bool:
    """At least one line of these categories that counts (net of reversals), in a month."""
    net: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for e in lines:
        if e.category_id in codes:
            net[(e.category_id, (e.date.year, e.date.month))] += -1 if e.reverses_id else 1
    return any(n > 0 for n in net.values())


def latest_debts(area: str) -> dict[int, dict[str, Debt]]:
    out: dict[int, dict[str, Debt]] = defaultdict(dict)
    for d in Debt.objects.select_related("household").order_by("id"):
        h = d.household
        if not h.village_id.startswith(area) or h.status != "active":
            continue
        seen = out[h.pk].get(d.source)
        if seen is None or (d.as_of, d.pk) > (seen.as_of, seen.pk):
            out[h.pk][d.source] = d
    return dict(out)


def debt_change_oracle(area: str, start: Month, end: Month) -> tuple[set[int], set[int]]:
    """Fell: principal repaid > loans received in the span. Cleared: the registry's
    balance moved by the lines dated from the first whole month after the record."""
    every = [e for e in LedgerEntry.objects.all() if e.village_id.startswith(area)]
    sign = {"F01": 1, "F05": -1}
    fell = set()
    per_household: dict[int, list[LedgerEntry]] = defaultdict(list)
    for e in every:
        if e.category_id in sign:
            per_household[e.household_id].append(e)
    for h, lines in per_household.items():
        if sum(sign[e.category_id] * e.amount for e in lines if start.first_day <= e.date <= end.last_day) > 0:
            fell.add(h)
    cleared = set()
    for h, records in latest_debts(area).items():
        as_of = max(d.as_of for d in records.values())
        after = as_of if as_of.day == 1 else (as_of.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        balance = sum((d.principal for d in records.values()), Decimal(0))
        lines = per_household.get(h, [])
        if after <= start.first_day:
            balance -= sum(sign[e.category_id] * e.amount for e in lines if after <= e.date < start.first_day)
        else:
            balance += sum(sign[e.category_id] * e.amount for e in lines if start.first_day <= e.date < after)
        at_end = balance - sum(
            sign[e.category_id] * e.amount for e in lines if start.first_day <= e.date <= end.last_day
        )
        if balance > 0 and at_end <= 0:
            cleared.add(h)
    return fell, cleared


def expected(area: str, start: Month, end: Month) -> dict[str, object]:
    rw = raw(area, start, end)
    income_codes = rw.codes(is_income)
    expense_codes = rw.codes(is_expense)
    hh = {}
    for h, lines in rw.by_household.items():
        months = len(months_reported(lines))
        if months:
            hh[h] = (months, total(lines, income_codes), total(lines, expense_codes))
    household_months = sum(m for m, _, _ in hh.values())
    out: dict[str, object] = {
        "reporting": len(hh),
        "household_months": household_months,
        # the area's households in the span: not left before it began, or reported in it
        "households": len(
            {
                h.pk
                for h in Household.objects.filter(village__code__startswith=area)
                if h.left_on is None or h.left_on >= start.first_day
            }
            | set(hh)
        ),
    }
    if not hh:
        return out
    income = sum((i for _, i, _ in hh.values()), Decimal(0))
    expense = sum((x for _, _, x in hh.values()), Decimal(0))
    out |= {
        "income_total": income,
        "expense_total": expense,
        "income_mean": r(Fraction(income) / household_months),
        "expense_mean": r(Fraction(expense) / household_months),
        "surplus_mean": r(Fraction(income - expense) / household_months),
        "income_median": r(median([Fraction(i) / m for m, i, _ in hh.values()])),
        "expense_median": r(median([Fraction(x) / m for m, _, x in hh.values()])),
        "surplus_median": r(median([Fraction(i - x) / m for m, i, x in hh.values()])),
        "deficit_households": sum(1 for _, i, x in hh.values() if x > i),
        "deficit_share": r(Fraction(sum(1 for _, i, x in hh.values() if x > i), len(hh)), 4),
    }

    def line(codes: set[str]) -> tuple[Decimal, Decimal, int | None]:
        """Total, per household-month and (for a village only) the households behind it."""
        amount = total(rw.entries, codes)
        n = sum(1 for lines in rw.by_household.values() if with_lines(lines, codes)) if len(area) == 8 else None
        return amount, r(Fraction(amount) / household_months), n

    out["lines"] = {code: line({code}) for code in rw.cats}
    out["groups"] = {
        g: line({c for c in expense_codes if rw.cats[c].group == g}) for g in ("production", "consumption", "financial")
    }
    for flag in ("avoidable", "local_food", "interest", "debt_principal", "borrowing"):
        out[flag] = line(rw.codes(lambda c, f=flag: f in c.flags.split()))
    months = _months(start, end)

    def month_point(m: Month) -> tuple[int, Decimal, Decimal]:
        lines = [e for e in LedgerEntry.objects.all() if e.village_id.startswith(area) and Month.of(e.date) == m]
        by_h: dict[int, list[LedgerEntry]] = defaultdict(list)
        for e in lines:
            by_h[e.household_id].append(e)
        rep = [h for h, ls in by_h.items() if months_reported(ls)]
        return (
            len(rep),
            sum((total(by_h[h], income_codes) for h in rep), Decimal(0)),
            sum((total(by_h[h], expense_codes) for h in rep), Decimal(0)),
        )

    out["trend"] = [month_point(m) for m in months]
    out["year_ago"] = month_point(Month(end.year - 1, end.month))
    out["months_reported"] = sum(1 for n, _, _ in out["trend"] if n)  # type: ignore[union-attr]
    debts = latest_debts(area)
    by_source: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for records in debts.values():
        for d in records.values():
            by_source[d.source][0] += 1 if d.principal > 0 else 0
            by_source[d.source][1] += d.principal
            by_source[d.source][2] += d.monthly_payment
    out["debts_by_source"] = {s: tuple(v) for s, v in by_source.items()}
    out["debt_households"] = sum(1 for recs in debts.values() if sum(d.principal for d in recs.values()) > 0)
    out["debt_total"] = sum((d.principal for recs in debts.values() for d in recs.values()), Decimal(0))
    fell, cleared = debt_change_oracle(area, start, end)
    out["debt_fell"], out["debt_cleared"] = len(fell), len(cleared)
    # Repayment by occupation group (seed 001)
    occupation = dict(Household.objects.values_list("pk", "occupation_group"))
    groups: dict[str, list[int]] = defaultdict(list)
    for h in hh:
        groups[occupation[h]].append(h)
    repayment = {}
    for g, members in groups.items():
        yearly = [Fraction(hh[h][1] - hh[h][2]) * 12 / hh[h][0] for h in members]
        debt = sum((d.principal for h in members for d in debts.get(h, {}).values()), Decimal(0))
        repayable = min(Fraction(debt), max(Fraction(0), sum(yearly)))
        repayment[g] = (
            len(members),
            r(sum(yearly) / len(members)),
            debt,
            r(repayable),
            r(repayable / Fraction(debt), 4) if debt else None,
        )
    out["repayment"] = repayment
    return out


def compare(d: Dashboard, want: dict[str, object]) -> None:
    for key in ("reporting", "household_months", "households"):
        assert getattr(d, key) == want[key], key
    if not want["reporting"]:
        return
    for key in (
        "income_total",
        "expense_total",
        "income_mean",
        "expense_mean",
        "surplus_mean",
        "income_median",
        "expense_median",
        "surplus_median",
        "deficit_households",
        "deficit_share",
        "debt_households",
        "debt_total",
        "debt_fell",
        "debt_cleared",
    ):
        assert getattr(d, key) == want[key], key
    lines: dict = want["lines"]  # type: ignore[assignment]
    shown = {
        x.code: (x.total, x.per_household_month, x.households) for x in d.spending_by_category + d.income_by_source
    }
    for code, value in shown.items():
        assert value == lines[code], code
    assert {c for c, (t, _, n) in lines.items() if (t or n) and Category.objects.get(code=c).kind == "expense"} == {
        x.code for x in d.spending_by_category
    }
    assert [x.total for x in d.spending_by_category] == sorted((x.total for x in d.spending_by_category), reverse=True)
    for x in d.avoidable_by_category + d.local_food + d.production_costs:
        assert (x.total, x.per_household_month, x.households) == lines[x.code], x.code
    assert [x.code for x in d.avoidable_by_category] == ["C08", "C09", "C10"]
    assert [x.code for x in d.local_food] == ["C01", "C02", "C03", "C04"]
    groups: dict = want["groups"]  # type: ignore[assignment]
    assert {x.code: (x.total, x.per_household_month, x.households) for x in d.spending_by_group} == groups
    assert (d.avoidable_total, d.avoidable_per_household_month) == want["avoidable"][:2]  # type: ignore[index]
    assert (d.local_food_total, d.local_food_per_household_month) == want["local_food"][:2]  # type: ignore[index]
    assert d.interest_paid == want["interest"][0]  # type: ignore[index]
    assert d.principal_repaid == want["debt_principal"][0]  # type: ignore[index]
    assert d.borrowing_total == want["borrowing"][0]  # type: ignore[index]
    assert sum(x.total or 0 for x in d.spending_by_group) == d.expense_total
    trend: list = want["trend"]  # type: ignore[assignment]
    assert [(p.reporting, p.income, p.expense, p.surplus) for p in d.trend] == [(n, i, x, i - x) for n, i, x in trend]
    for p, (n, i, _) in zip(d.trend, trend, strict=True):
        assert p.income_per_household == (r(Fraction(i) / n) if n else None)
    yoy = d.same_month_last_year
    assert yoy is not None and yoy.month == d.end and yoy.previous == Month(d.end.year - 1, d.end.month)
    n0, i0, x0 = want["year_ago"]  # type: ignore[misc]
    assert (yoy.reporting_previous, yoy.income_previous, yoy.expense_previous) == (n0, i0, x0)
    assert (yoy.reporting, yoy.income, yoy.expense) == tuple(trend[-1])
    sources: dict = want["debts_by_source"]  # type: ignore[assignment]
    assert {x.code: (x.households, x.principal, x.monthly_payment) for x in d.debts_by_source} == sources
    repayment: dict = want["repayment"]  # type: ignore[assignment]
    assert {
        x.occupation_group: (x.households, x.avg_yearly_surplus, x.total_debt, x.repayable_debt, x.share_repayable)
        for x in d.repayment
    } == repayment
    order = [g.value for g in OccupationGroup] + [""]
    assert [x.occupation_group for x in d.repayment] == sorted(
        (x.occupation_group for x in d.repayment), key=order.index
    )
    assert d.repayment_total is not None and d.repayment_total.households == want["reporting"]
    local = sorted((x for x in d.local_food if x.total), key=lambda x: -x.total)  # type: ignore[operator]
    months_reported = want["months_reported"]
    assert [(o.code, o.per_month) for o in d.opportunities] == [
        (x.code, r(Fraction(x.total) / months_reported))
        for x in local  # type: ignore[arg-type]
    ]


SPANS = [
    ("37", FIRST, LAST),
    ("3701", Month(2023, 4), Month(2024, 3)),
    ("370101", FIRST, Month(2023, 12)),
    ("370102", Month(2023, 7), Month(2024, 2)),
    ("37010101", FIRST, LAST),
    ("37010102", Month(2024, 1), Month(2024, 3)),
    ("37010103", Month(2023, 3), Month(2023, 3)),
    ("37020101", Month(2023, 6), Month(2024, 1)),
    ("3702", Month(2025, 1), Month(2025, 2)),  # no accounts at all
]


def test_every_figure_equals_the_independent_computation(world):
    fell = cleared = 0
    for area, start, end in SPANS:
        d = dashboard_for(area, start, end)
        want = expected(area, start, end)
        compare(d, want)
        assert (d.area_code, d.start, d.end, d.months) == (area, start, end, len(_months(start, end)))
        assert not d.suppressed
        fell += d.debt_fell or 0
        cleared += d.debt_cleared or 0
    assert fell > cleared > 0  # the generated data exercises both


def test_village_medians_agree_with_the_statements(world):
    from chumchon.ledgers.statements import Period, village_medians

    d = dashboard_for("37010101", FIRST, LAST)
    medians = village_medians("37010101", Period("year", FIRST, LAST))
    assert (d.income_median, d.expense_median) == (medians.income, medians.expense)


# --- comparisons -----------------------------------------------------------------------


def comparisons_oracle(village: str, start: Month, end: Month) -> dict[str, tuple]:
    rw = raw(village[:4], start, end)
    villages: dict[str, dict[int, list[LedgerEntry]]] = defaultdict(lambda: defaultdict(list))
    for e in rw.entries:
        villages[e.village_id][e.household_id].append(e)
    hm = {v: sum(len(months_reported(ls)) for ls in hs.values()) for v, hs in villages.items()}
    hm = {v: n for v, n in hm.items() if n}
    income = rw.codes(is_income)
    expense = rw.codes(is_expense)
    keys = {
        "income": income,
        "expense": expense,
        "production": {c for c in expense if rw.cats[c].group == "production"},
        "consumption": {c for c in expense if rw.cats[c].group == "consumption"},
        "financial": {c for c in expense if rw.cats[c].group == "financial"},
        "avoidable": rw.codes(lambda c: "avoidable" in c.flags.split()),
        "local_food": rw.codes(lambda c: "local_food" in c.flags.split()),
        "interest": rw.codes(lambda c: "interest" in c.flags.split()),
    }
    for c in sorted(rw.cats.values(), key=lambda c: (c.sort_order, c.code)):
        if is_income(c) or is_expense(c):
            keys[f"category:{c.code}"] = {c.code}

    def figure(v: str, codes: set[str]) -> Fraction:
        return Fraction(sum((total(ls, codes) for ls in villages[v].values()), Decimal(0))) / hm[v]

    out = {}
    for key, codes in keys.items():
        value = r(figure(village, codes))
        tambon = r(median([figure(v, codes) for v in hm if v.startswith(village[:6])]))  # type: ignore[arg-type]
        district = r(median([figure(v, codes) for v in hm]))  # type: ignore[arg-type]
        diff = r((Fraction(value) - Fraction(tambon)) / Fraction(tambon), 4) if tambon > 0 else None
        diff_d = r((Fraction(value) - Fraction(district)) / Fraction(district), 4) if district > 0 else None
        out[key] = (value, tambon, district, diff, diff_d)
    candidates = [
        k
        for k, (value, tambon, _, diff, _) in out.items()
        if diff is not None and abs(diff) > Decimal("0.2") and abs(value - tambon) >= 20
    ]
    candidates.sort(key=lambda k: -abs(out[k][3]))  # type: ignore[arg-type]
    return {k: (*v, k in candidates[:3]) for k, v in out.items()}


@pytest.mark.parametrize(("village", "start", "end"), [("37010101", FIRST, LAST), ("37010202", Month(2023, 7), LAST)])
def test_comparisons_equal_the_independent_computation(world, village, start, end):
    from django.utils import translation

    with translation.override("en"):
        d = dashboard_for(village, start, end)
    want = comparisons_oracle(village, start, end)
    got = {
        c.key: (c.value, c.tambon_median, c.district_median, c.diff_vs_tambon, c.diff_vs_district, c.flagged)
        for c in d.comparisons
    }
    assert got == want
    assert len(d.flagged) == sum(1 for v in want.values() if v[-1]) <= 3
    for c in d.flagged:
        direction = "above" if c.diff_vs_tambon > 0 else "below"  # type: ignore[operator]
        percent = int(r(abs(Fraction(c.diff_vs_tambon)) * 100, 0))  # type: ignore[arg-type]
        assert c.sentence == f"{c.label} is {percent}% {direction} the tambon median"
    assert dashboard_for("370101", FIRST, LAST).comparisons == []


def test_comparison_flags_a_village_that_drinks_more(world):
    """A village that spends far more on alcohol than its tambon's other villages gets
    the alcohol line flagged with a sentence."""
    from django.utils import translation

    h = Household.objects.filter(village_id="37010102").first()
    assert h is not None
    lines = [
        LineInput(date=dt.date(2023, m, 12), category="C08", amount=Decimal("9000.00"), item="เหล้า")
        for m in range(1, 13)
    ]
    ledger_entries_add(actor=Actor(user=None), household=h, lines=lines)
    with translation.override("en"):
        d = dashboard_for("37010102", FIRST, Month(2023, 12))
    alcohol = next(c for c in d.comparisons if c.key == "category:C08")
    assert alcohol.flagged and alcohol.diff_vs_tambon > Decimal("0.2")  # type: ignore[operator]
    assert (
        alcohol.sentence.startswith("Spending on alcoholic drinks is ")
        and "above the tambon median" in alcohol.sentence
    )


def test_opportunities_speak_of_the_area_by_its_kind(world):
    from django.utils import translation

    for code, word in [("37010101", "village"), ("370101", "tambon"), ("3701", "district"), ("37", "province")]:
        with translation.override("en"):
            d = dashboard_for(code, FIRST, LAST)
        assert d.opportunities, code
        for o in d.opportunities:
            name = next(x.name_en for x in d.local_food if x.code == o.code)
            whole = o.per_month.quantize(Decimal(1), rounding="ROUND_HALF_UP")  # type: ignore[union-attr]
            assert o.sentence == f"This {word} buys {name[0].lower()}{name[1:]} for ฿{whole:,} a month"
    with translation.override("th"):
        d = dashboard_for("37010101", FIRST, LAST)
    thai = d.opportunities[0]
    assert next(x.name_th for x in d.local_food if x.code == thai.code) in thai.sentence  # the Thai name of the food
