"""The period of a statement: a month, a calendar year or a fiscal year, with the
periods worth offering for a household or a village."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from chumchon.core.thai import Month, fiscal_year, fiscal_year_months, months_between, to_be, to_ce
from chumchon.ledgers.models import HouseholdMonth
from chumchon.registry.models import Household

PeriodKind = Literal["month", "year", "fiscal"]


@dataclass(frozen=True)
class Period:
    """A month, a calendar year or a government fiscal year (October–September)."""

    kind: PeriodKind
    start: Month
    end: Month

    @classmethod
    def of_month(cls, month: Month) -> Period:
        return cls("month", month, month)

    @classmethod
    def of_year(cls, year: int) -> Period:
        """A calendar year; ``year`` in BE (above 2400) or CE."""
        ce = to_ce(year)
        return cls("year", Month(ce, 1), Month(ce, 12))

    @classmethod
    def of_fiscal_year(cls, year: int) -> Period:
        months = fiscal_year_months(to_be(to_ce(year)))
        return cls("fiscal", months[0], months[-1])

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, default: Month) -> Period:
        """``month=YYYY-MM`` (CE or BE year), ``year=2567`` or ``fy=2567``; ``default``
        when none is given. ``ValueError`` on a malformed value."""
        if params.get("p"):  # one picker: "month:2024-03", "year:2567", "fy:2567"
            kind, _, value = params["p"].partition(":")
            if kind not in ("month", "year", "fy"):
                raise ValueError(f"not a period: {params['p']!r}")
            return cls.from_params({kind: value}, default=default)
        if params.get("month"):
            return cls.of_month(Month.parse(params["month"]))
        for key, make in (("year", cls.of_year), ("fy", cls.of_fiscal_year)):
            text = (params.get(key) or "").strip()
            if text:
                if not (text.isdigit() and len(text) == 4):
                    raise ValueError(f"not a year: {text!r}")
                return make(int(text))
        return cls.of_month(default)

    @property
    def months(self) -> list[Month]:
        return months_between(self.start, self.end)

    @property
    def year_be(self) -> int:
        return to_be(self.end.year)

    @property
    def label(self) -> str:
        """``มีนาคม 2567``, ``ปี 2567``, ``ปีงบประมาณ 2567`` (the statement is in Thai)."""
        if self.kind == "month":
            return self.start.label(lang="th")
        if self.kind == "year":
            return f"ปี {self.year_be}"
        return f"ปีงบประมาณ {self.year_be}"

    @property
    def this(self) -> str:
        """How a sentence on the statement names the period: ``เดือนนี้``, ``ปีนี้``."""
        return {"month": "เดือนนี้", "year": "ปีนี้", "fiscal": "ปีงบประมาณนี้"}[self.kind]

    @property
    def params(self) -> dict[str, str]:
        if self.kind == "month":
            return {"month": self.start.iso()}
        return {"year" if self.kind == "year" else "fy": str(self.year_be)}

    @property
    def slug(self) -> str:
        """For file names: ``2567-03``, ``2567``, ``fy2567`` (BE years)."""
        if self.kind == "month":
            return f"{to_be(self.start.year)}-{self.start.month:02d}"
        return f"{self.year_be}" if self.kind == "year" else f"fy{self.year_be}"

    @property
    def picker_value(self) -> str:
        """The value of this period in the one-select picker (``p=``)."""
        ((key, value),) = self.params.items()
        return f"{key}:{value}"

    @property
    def querystring(self) -> str:
        ((key, value),) = self.params.items()
        return f"{key}={value}"

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "from": self.start.iso(), "to": self.end.iso(), "label": self.label}


def periods_from_months(months: Iterable[dt.date]) -> list[Period]:
    """The periods worth offering for months that have accounts: each month (newest
    first), then each calendar year and fiscal year they touch."""
    found = sorted({Month.of(m) for m in months}, reverse=True)
    years = sorted({m.year for m in found}, reverse=True)
    fiscal = sorted({fiscal_year(m.first_day) for m in found}, reverse=True)
    return [
        *(Period.of_month(m) for m in found),
        *(Period.of_year(y) for y in years),
        *(Period.of_fiscal_year(f) for f in fiscal),
    ]


def household_statement_periods(household: Household) -> list[Period]:
    months = HouseholdMonth.objects.filter(household=household, entries__gt=0).values_list("month", flat=True)
    return periods_from_months(months)


def village_statement_periods(village_code: str, *, limit_months: int = 36) -> list[Period]:
    months = (
        HouseholdMonth.objects.filter(village_code=village_code, entries__gt=0)
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")[:limit_months]
    )
    return periods_from_months(months)
