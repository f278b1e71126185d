"""The warning "only 12 of 110 households sent their accounts" at the top of a dashboard
or forum pack whose month fewer than half of the registered households reported.

The count is ``ledgers.selectors.area_month_coverage`` (the same one that decides the
default month). A reader under the small-cell rule gets the numbers only where the page
itself shows them; otherwise the warning says "fewer than half" without them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chumchon.core.thai import Month
from chumchon.ledgers.selectors import MonthCoverage, area_month_coverage
from chumchon.registry.selectors import SMALL_CELL


@dataclass(frozen=True)
class CoverageWarning:
    month: Month
    reporting: int | None  # None: not shown to this reader
    registered: int | None
    lang: str = "th"

    @property
    def percent(self) -> int | None:
        if self.reporting is None or not self.registered:
            return None
        return round(100 * self.reporting / self.registered)

    @property
    def text(self) -> str:
        month = self.month.label(lang=self.lang)
        if self.reporting is None or self.registered is None:
            return _(
                "%(month)s: fewer than half of the registered households sent their accounts — the figures are "
                "not complete yet."
            ) % {"month": month}
        return _(
            "%(month)s: only %(reporting)s of %(registered)s households sent their accounts (%(percent)s%%) — "
            "the figures are not complete yet."
        ) % {
            "month": month,
            "reporting": f"{self.reporting:,}",
            "registered": f"{self.registered:,}",
            "percent": self.percent,
        }


def coverage_warning(coverage: MonthCoverage, *, show_numbers: bool, lang: str = "th") -> CoverageWarning | None:
    """The warning for a month under half reported (``None`` for a complete month, or an
    area with no registered household)."""
    if coverage.registered == 0 or coverage.complete:
        return None
    shown = (
        show_numbers
        and coverage.registered >= SMALL_CELL
        and (coverage.reporting == 0 or coverage.reporting >= SMALL_CELL)
    )
    return CoverageWarning(
        month=coverage.month,
        reporting=coverage.reporting if shown else None,
        registered=coverage.registered if shown else None,
        lang=lang,
    )


def area_coverage_warning(
    area_code: str, month: Month, *, show_numbers: bool, lang: str = "th"
) -> CoverageWarning | None:
    return coverage_warning(area_month_coverage(area_code, [month])[month], show_numbers=show_numbers, lang=lang)
