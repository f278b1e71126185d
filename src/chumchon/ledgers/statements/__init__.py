"""Reads for the household statement ("รู้จักตัวเอง") and the enterprise profit and loss.

**Statement** figures come from the household rollups (``HouseholdMonthCategory`` and
``HouseholdMonth``), never from a rescan of the ledger lines, and follow the standard
figures of ``chumchon.insights``: *income* is every income category except borrowing
(F05, flag ``borrowing``); *expense* is every expense category, split by group into
production, consumption and financial; *avoidable* and *local food* sum the flagged
categories; debt paid is principal (flag ``debt_principal``) plus interest (flag
``interest``).

**Village median.** For the comparison, each household's figure is its total over the
period divided by the months it reported in the period (months with at least one line
that counts), so a household that reported 6 months of 12 is not made to look half as
well off. The median is taken over the village's households that reported at least one
month in the period, read from ``HouseholdMonth`` (income, expense) and
``HouseholdMonthCategory`` (avoidable). With fewer than ``SMALL_CELL`` (5) reporting
households the median is not shown: with two or three households a median would let
one household work out another's figures from its own printed statement.

**Enterprise profit and loss.** Only lines tagged with the enterprise count (a line's
date inside the season is not enough: a household buys fertiliser for two crops in
the same month). Revenue is the tagged income lines without borrowing; costs are the
tagged production lines (P01–P09) and any other tagged expense lines except principal
repaid and savings, which are not costs; borrowing, principal and savings tagged to an
enterprise are listed apart, not counted. Lines are summed exactly in Python from the
raw rows (an enterprise has few lines; SQLite would add NUMERIC sums as floats).

**Village batches** (``batches``): a village's statements made into one PDF in the
background are read through ``statement_batches_qs_for_user`` /
``statement_batch_get_for_user``: the asker's own, while the village is in their scope.

Scope: ``*_for_user`` functions go through the registry's scoped selectors; the
others take a household the caller has already scoped.
"""

from chumchon.ledgers.statements.batches import (
    statement_batch_dir,
    statement_batch_get_for_user,
    statement_batch_pdf_available,
    statement_batch_pdf_path,
    statement_batches_qs_for_user,
    statement_batches_recent_for_user,
)
from chumchon.ledgers.statements.common import MAX_DEBTS, MAX_FLAGGED_ITEMS, MAX_INCOME_SOURCES, MAX_TOP_CATEGORIES
from chumchon.ledgers.statements.enterprises import (
    EnterprisePnl,
    EnterpriseResult,
    PnlLine,
    TagLine,
    enterprise_get_for_user,
    enterprise_pnls,
    enterprise_results,
    enterprise_tag_candidates,
    enterprises_qs_for_user,
)
from chumchon.ledgers.statements.household import (
    Bar,
    Comparison,
    DebtLine,
    Statement,
    statement_default_month,
    statements_build,
)
from chumchon.ledgers.statements.period import (
    Period,
    household_statement_periods,
    periods_from_months,
    village_statement_periods,
)
from chumchon.ledgers.statements.village import (
    VillageMedians,
    households_reporting_in_village,
    village_get_for_statements,
    village_medians,
    village_reporting_households_for_user,
)

__all__ = [
    "MAX_DEBTS",
    "MAX_FLAGGED_ITEMS",
    "MAX_INCOME_SOURCES",
    "MAX_TOP_CATEGORIES",
    "Bar",
    "Comparison",
    "DebtLine",
    "EnterprisePnl",
    "EnterpriseResult",
    "Period",
    "PnlLine",
    "Statement",
    "TagLine",
    "VillageMedians",
    "enterprise_get_for_user",
    "enterprise_pnls",
    "enterprise_results",
    "enterprise_tag_candidates",
    "enterprises_qs_for_user",
    "household_statement_periods",
    "households_reporting_in_village",
    "periods_from_months",
    "statement_batch_dir",
    "statement_batch_get_for_user",
    "statement_batch_pdf_available",
    "statement_batch_pdf_path",
    "statement_batches_qs_for_user",
    "statement_batches_recent_for_user",
    "statement_default_month",
    "statements_build",
    "village_get_for_statements",
    "village_medians",
    "village_reporting_households_for_user",
    "village_statement_periods",
]
