"""Small helpers shared by the demo generator: seeded streams, money and days."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from chumchon.core.thai import Month

T = TypeVar("T")

CENT = Decimal("0.01")


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent random stream for one purpose and one thing (a tambon, a household).

    Seeding each stream from its own key (a string seed is hashed with SHA-512, so it
    is stable across runs and Python processes) keeps one household's data the same
    when something unrelated changes — for instance when a tambon's villages already
    existed and were not generated.
    """
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    """One value of ``(value, weight)`` pairs."""
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights=weights)[0]


def baht(value: float, step: int = 1) -> Decimal:
    """Whole baht rounded to ``step`` (5, 10, 100…), never below one step."""
    steps = max(1, round(value / step))
    return Decimal(steps * step).quantize(CENT)


def satang(value: float) -> Decimal:
    """Baht and satang, as a bill or an interest calculation gives them."""
    return Decimal(str(round(max(value, 0.01), 2))).quantize(CENT)


def day_in(month: Month, rng: random.Random, first: int = 1, last: int = 31) -> dt.date:
    """A day of ``month`` between ``first`` and ``last`` (clamped to the month's length)."""
    length = calendar.monthrange(month.year, month.month)[1]
    lo = min(max(first, 1), length)
    hi = min(max(last, lo), length)
    return dt.date(month.year, month.month, rng.randint(lo, hi))


def week_days(month: Month, rng: random.Random, count: int) -> list[dt.date]:
    """``count`` days spread over the month, about one per stretch of the month."""
    length = calendar.monthrange(month.year, month.month)[1]
    if count <= 0:
        return []
    span = length / count
    days = []
    for i in range(count):
        lo = int(i * span) + 1
        hi = max(lo, int((i + 1) * span))
        days.append(dt.date(month.year, month.month, rng.randint(lo, hi)))
    return days


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder).

    Deterministic: ties go to the earlier position.
    """
    if total <= 0 or not weights:
        return [0] * len(weights)
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


Line = tuple[dt.date, str, str, Decimal]
"""One line a household writes: date, category code, item as written, amount (baht)."""


class Book:
    """The lines one household writes in one month, drawn from one random stream."""

    def __init__(self, month: Month, rng: random.Random) -> None:
        self.month = month
        self.rng = rng
        self.lines: list[Line] = []

    def add(self, day: dt.date, category: str, item: str, amount: Decimal) -> None:
        """Keep a line; zero or negative amounts are not written on the form."""
        if amount > 0:
            self.lines.append((day, category, item, amount))

    def day(self, first: int = 1, last: int = 31) -> dt.date:
        return day_in(self.month, self.rng, first, last)

    def weeks(self, count: int) -> list[dt.date]:
        return week_days(self.month, self.rng, count)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def count(self, expected: float) -> int:
        """A whole number of events with mean ``expected`` (floor plus a chance of one more)."""
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)
