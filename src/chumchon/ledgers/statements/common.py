"""What the statement and the profit and loss share: money rounding, percentages and
the caps that keep a statement on one page. (How each category counts is
``ledgers.selectors.category_kinds``.)"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# How many rows each list on the one-page statement may take (the rest are summed in
# one "other" row), so the page cannot overflow whatever the household wrote.
MAX_INCOME_SOURCES = 6
MAX_TOP_CATEGORIES = 10
MAX_FLAGGED_ITEMS = 4
MAX_DEBTS = 5


def baht_of_satang(satang: int | Decimal) -> Decimal:
    return (Decimal(satang) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(part: Decimal, whole: Decimal) -> int | None:
    """Whole percent, ``None`` when there is no whole to divide by."""
    if whole <= 0:
        return None
    return int((part * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))
