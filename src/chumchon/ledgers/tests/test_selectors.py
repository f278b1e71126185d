"""How each category counts in the figures (``category_kinds``): exact sets for the
standard categories and for a deployment's sub-categories, which count as their parent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chumchon.access.services import Actor
from chumchon.ledgers.models import Category, HouseholdMonth
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.selectors import category_kinds
from chumchon.ledgers.services import LineInput, category_add, ledger_entries_add
from tests import factories

pytestmark = pytest.mark.django_db


def codes(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i:02d}" for i in range(1, n + 1))


INCOME = codes("I", 9)
PRODUCTION = codes("P", 9)
CONSUMPTION = codes("C", 19)
FINANCIAL_EXPENSE = ("F01", "F02", "F03", "F04")


def test_the_standard_categories_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        kinds = category_kinds()
    assert tuple(kinds.by_code) == INCOME + PRODUCTION + CONSUMPTION + FINANCIAL_EXPENSE + ("F05",)
    assert [c.code for c in kinds.ordered] == list(kinds.by_code)
    assert kinds.income == INCOME
    assert kinds.expense == PRODUCTION + CONSUMPTION + FINANCIAL_EXPENSE
    assert kinds.group("production") == PRODUCTION
    assert kinds.group("consumption") == CONSUMPTION
    assert kinds.group("financial") == FINANCIAL_EXPENSE  # not F05: loans received are not spending
    assert kinds.group("income") == ()
    assert kinds.flagged("avoidable") == ("C08", "C09", "C10")
    assert kinds.flagged("local_food") == ("C01", "C02", "C03", "C04")
    assert kinds.flagged("debt_principal") == ("F01",)
    assert kinds.flagged("interest") == ("F02",)
    assert kinds.flagged("saving") == ("F03",)
    assert kinds.flagged("borrowing") == ("F05",)
    assert kinds.flagged("no such flag") == ()
    assert set(kinds.by_flag) == {"avoidable", "local_food", "debt_principal", "interest", "saving", "borrowing"}
    loan = kinds.by_code["F05"]
    assert (loan.kind, loan.group, loan.flags) == ("income", "financial", frozenset({"borrowing"}))
    assert (loan.is_income, loan.is_expense, loan.spending_group) == (False, False, None)
    rice = kinds.by_code["C01"]
    assert (rice.name_th, rice.name_en, rice.sort_order) == ("ข้าว", "Rice", Category.objects.get(code="C01").sort_order)
    assert (rice.is_income, rice.is_expense, rice.spending_group) == (False, True, "consumption")
    # Every category is income, expense or the loans received: exactly one of them.
    for code, k in kinds.by_code.items():
        assert [k.is_income, k.is_expense, "borrowing" in k.flags].count(True) == 1, code


def test_sub_categories_count_as_their_parent():
    actor = Actor.system("test")
    for parent, code in (("C08", "C08A"), ("F05", "F05A"), ("P02", "P02A"), ("I02", "I02A"), ("F01", "F01A")):
        category_add(actor=actor, parent=Category.objects.get(code=parent), code=code, name_th=f"ย่อย {code}")
    kinds = category_kinds()
    assert kinds.income == ("I01", "I02", "I02A", *INCOME[2:])
    assert kinds.expense == (
        "P01", "P02", "P02A", *PRODUCTION[2:],
        *CONSUMPTION[:8], "C08A", *CONSUMPTION[8:],
        "F01", "F01A", "F02", "F03", "F04",
    )  # fmt: skip
    assert kinds.group("production") == ("P01", "P02", "P02A", *PRODUCTION[2:])
    assert kinds.group("consumption") == (*CONSUMPTION[:8], "C08A", *CONSUMPTION[8:])
    assert kinds.group("financial") == ("F01", "F01A", "F02", "F03", "F04")
    assert kinds.flagged("avoidable") == ("C08", "C08A", "C09", "C10")
    assert kinds.flagged("borrowing") == ("F05", "F05A")
    assert kinds.flagged("debt_principal") == ("F01", "F01A")
    assert kinds.flagged("local_food") == ("C01", "C02", "C03", "C04")
    sub = kinds.by_code["F05A"]
    assert (sub.is_income, sub.is_expense, sub.spending_group, sub.flags) == (False, False, None, {"borrowing"})
    # The rollups count them the same way: a loan received under F05A is not income.
    household = factories.household(factories.village("370101", 1))
    ledger_entries_add(
        actor=actor,
        household=household,
        lines=[
            LineInput(date=dt.date(2024, 3, 1), category="F05A", amount=Decimal("5000.00")),
            LineInput(date=dt.date(2024, 3, 2), category="I02A", amount=Decimal("1200.00")),
            LineInput(date=dt.date(2024, 3, 3), category="C08A", amount=Decimal("80.50")),
        ],
    )
    month = HouseholdMonth.objects.get(household=household)
    assert (month.income, month.expense, month.entries) == (120000, 8050, 3)
    assert rollups_verify() == []


def test_the_rule_is_the_category_s():
    assert Category(kind="income", flags="").counts_as_income
    assert not Category(kind="income", flags="borrowing").counts_as_income
    assert not Category(kind="expense", flags="").counts_as_income
    assert Category(kind="expense", group="financial", flags="interest").spending_group == "financial"
    assert Category(kind="income", group="financial", flags="borrowing").spending_group is None
    assert Category(flags=" avoidable  local_food ").flag_set == {"avoidable", "local_food"}


def test_flags_are_words_in_the_rollups_recomputation_too():
    """A flag that merely contains ``borrowing`` is not the borrowing flag: the stored
    totals and ``rollups --verify`` agree (the recomputation used to match the text)."""
    Category.objects.create(
        code="X01", group="income", kind="income", name_th="ทดสอบ", name_en="Test", flags="not_borrowing"
    )
    assert category_kinds().by_code["X01"].is_income
    household = factories.household(factories.village("370101", 1))
    ledger_entries_add(
        actor=Actor.system("test"),
        household=household,
        lines=[LineInput(date=dt.date(2024, 3, 1), category="X01", amount=Decimal("10.00"))],
    )
    assert HouseholdMonth.objects.get(household=household).income == 1000
    assert rollups_verify() == []


@pytest.mark.django_db(transaction=True)
def test_the_kinds_are_kept_per_rollups_version_and_a_new_category_renews_them(django_assert_num_queries):
    from chumchon.ledgers.services import categories_load_standard

    if not Category.objects.exists():  # a transactional test before this one emptied the tables
        categories_load_standard()
    first = category_kinds()
    with django_assert_num_queries(1):  # the version alone: the kinds are kept
        assert category_kinds() is first
    category_add(actor=Actor.system("test"), parent=Category.objects.get(code="C01"), code="C01X", name_th="ข้าวเหนียว")
    renewed = category_kinds()
    assert "C01X" in renewed.by_code and "C01X" not in first.by_code
    assert "C01X" in renewed.by_group["consumption"]


def test_inside_a_transaction_the_kinds_are_read_afresh():
    """What the transaction wrote may yet be rolled back, and its version with it."""
    first = category_kinds()
    Category.objects.create(code="X02", group="income", kind="income", name_th="ทดสอบ", flags="")
    assert "X02" in category_kinds().by_code and "X02" not in first.by_code
    assert category_kinds() is not category_kinds()
