"""Generated data for the forum-pack tests, and the figures computed independently
from the raw ledger lines (not from the rollups or the dashboard)."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month, months_between
from chumchon.ledgers.models import Category, LedgerEntry
from chumchon.ledgers.services import LineInput, ledger_entries_add, ledger_entry_reverse
from chumchon.registry.models import Household, OccupationGroup
from tests import factories

MONTH = Month(2024, 2)  # กุมภาพันธ์ 2567
MONTH_TH = "กุมภาพันธ์ 2567"
CENT = Decimal("0.01")
AVOIDABLE = ("C08", "C09", "C10")
LOCAL_FOOD = ("C01", "C02", "C03", "C04")


@dataclass
class ForumData:
    tambon: Area
    v1: Area  # twelve households: six rice farmers, six wage labourers
    v2: Area  # three households: too few for an aggregate-only reader
    households: list[Household]
    small: list[Household]


def whole(value: Decimal) -> str:
    """As the pack prints money: whole baht with separators."""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def _lines(rng: random.Random, months: list[Month], codes: list[str], n: int) -> list[LineInput]:
    out = []
    for _ in range(n):
        month = rng.choice(months)
        out.append(
            LineInput(
                date=dt.date(month.year, month.month, rng.randint(1, 28)),
                category=rng.choice(codes),
                amount=Decimal(rng.randint(1000, 300000)) / 100,
                item="ทดสอบ",
            )
        )
    return out


def make_forum_data() -> ForumData:
    rng = random.Random(2567)
    actor = Actor(user=None, path="test")
    codes = [c for c in Category.objects.values_list("code", flat=True) if c != "F05"]
    tambon = Area.objects.get(code="370101")
    v1 = factories.village("370101", 1, "บ้านหนองบัว")
    v2 = factories.village("370101", 2, "บ้านโนนสูง")
    households = [
        factories.household(
            v1,
            code=f"FV1-{i:03d}",
            occupation_group=OccupationGroup.RICE if i < 6 else OccupationGroup.WAGE,
            debts=i % 2,
        )
        for i in range(12)
    ]
    small = [factories.household(v2, code=f"FV2-{i:03d}") for i in range(3)]
    earlier = [Month(2023, 11), Month(2023, 12), Month(2024, 1)]
    for i, h in enumerate(households):
        lines = _lines(rng, [MONTH], codes, 14) + _lines(rng, earlier, codes, 10)
        # Every household buys food and some drink or gamble in the forum month, so the
        # questions have something to ask about; one household borrows (not income).
        lines += [
            LineInput(date=dt.date(2024, 2, 3), category=LOCAL_FOOD[i % 4], amount=Decimal(150 + 37 * i)),
            LineInput(date=dt.date(2024, 2, 4), category=AVOIDABLE[i % 3], amount=Decimal(90 + 11 * i)),
        ]
        if i == 0:
            lines.append(LineInput(date=dt.date(2024, 2, 5), category="F05", amount=Decimal("20000.00")))
        entries = ledger_entries_add(actor=actor, household=h, lines=lines)
        if i == 1:
            ledger_entry_reverse(actor=actor, entry=entries[0], reason="เขียนผิด")
    for h in small:
        ledger_entries_add(actor=actor, household=h, lines=_lines(rng, [MONTH], codes, 8))
    return ForumData(tambon=tambon, v1=v1, v2=v2, households=households, small=small)


@dataclass
class Expected:
    reporting: int
    income: Decimal
    expense: Decimal
    income_mean: Decimal
    by_category: dict[str, Decimal]

    def largest(self, codes: tuple[str, ...]) -> tuple[str, Decimal]:
        code = max(codes, key=lambda c: self.by_category.get(c, Decimal(0)))
        return code, self.by_category[code]


def expected_month(village: Area, month: Month = MONTH) -> Expected:
    """The month's figures of a village, straight from its ledger lines."""
    cats = {c.code: c for c in Category.objects.all()}
    income = expense = Decimal(0)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    net: dict[int, int] = defaultdict(int)
    for e in LedgerEntry.objects.filter(village=village, date__gte=month.first_day, date__lte=month.last_day):
        c = cats[e.category_id]
        by_category[c.code] += e.amount
        net[e.household_id] += -1 if e.reverses_id else 1
        if c.kind == "income" and "borrowing" not in c.flags.split():
            income += e.amount
        if c.kind == "expense":
            expense += e.amount
    reporting = sum(1 for n in net.values() if n > 0)
    return Expected(
        reporting=reporting,
        income=income,
        expense=expense,
        income_mean=(income / reporting).quantize(CENT, rounding=ROUND_HALF_UP),
        by_category=dict(by_category),
    )


def expected_least_surplus_group(village: Area, month: Month = MONTH) -> tuple[str, Decimal]:
    """The occupation group with the least average yearly surplus over the 12 months
    to ``month``: each household's surplus / months reported × 12, averaged."""
    cats = {c.code: c for c in Category.objects.all()}
    first = month.add(-11)
    surplus: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[int, dict[Month, int]] = defaultdict(lambda: defaultdict(int))
    for e in LedgerEntry.objects.filter(village=village, date__gte=first.first_day, date__lte=month.last_day):
        c = cats[e.category_id]
        months[e.household_id][Month.of(e.date)] += -1 if e.reverses_id else 1
        if c.kind == "income" and "borrowing" not in c.flags.split():
            surplus[e.household_id] += e.amount
        elif c.kind == "expense":
            surplus[e.household_id] -= e.amount
    by_group: dict[str, list[Decimal]] = defaultdict(list)
    for h in Household.objects.filter(village=village):
        reported = sum(1 for m in months_between(first, month) if months[h.pk].get(m, 0) > 0)
        if reported:
            by_group[h.occupation_group].append(surplus[h.pk] / reported * 12)
    means = {g: sum(v, Decimal(0)) / len(v) for g, v in by_group.items()}
    group = min(means, key=lambda g: means[g])
    return OccupationGroup(group).label, means[group]


def norm(text: str) -> str:
    """Text as compared with a PDF's: whitespace taken out (Thai wraps without spaces),
    and SARA AM (ำ) and SARA AA (า) made one. The PDF's text layer maps the SARA AA
    glyph, which SARA AM is drawn with, to one of the two for the whole font, so an
    extracted "อำนาจ" may read "อำนำจ" although the printed glyphs are right."""
    return "".join(text.split()).replace("\u0e4d\u0e32", "\u0e32").replace("\u0e33", "\u0e32")


def pdf_text(path: Path) -> str:
    """The PDF's text, normalised by ``norm`` (``-raw`` keeps Thai marks in reading order)."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return norm(text)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def users() -> dict[str, object]:
    return {
        "staff": factories.user(Role.TAMBON_STAFF, "370101", username="forum-staff"),
        "other": factories.user(Role.TAMBON_STAFF, "370102", username="forum-other"),
        "agency": factories.user(Role.AGENCY, "37", username="forum-agency"),
        "province": factories.user(Role.PROVINCE_COORDINATOR, "37", username="forum-province"),
    }
