"""Household accounts: the standard categories and the ledger entries themselves.

Entries are facts: append-only, never edited in place. A correction is a new row that
reverses the old one (negative amount, ``reverses`` pointing at it) with a reason.
Money is NUMERIC(14,2).

The models live in submodules by concern; every name is imported here, as Django
and the rest of the project expect (``from chumchon.ledgers.models import …``).
"""

from chumchon.ledgers.models.batches import StatementBatch, new_token
from chumchon.ledgers.models.categories import Category, Group, Kind
from chumchon.ledgers.models.enterprises import Enterprise, EnterpriseKind, PendingLine
from chumchon.ledgers.models.entries import EntrySource, LedgerEntry
from chumchon.ledgers.models.months import MonthStatusChange
from chumchon.ledgers.models.rollups import AreaMonthCategory, HouseholdMonth, HouseholdMonthCategory, RollupsVersion

__all__ = [
    "AreaMonthCategory",
    "Category",
    "Enterprise",
    "EnterpriseKind",
    "EntrySource",
    "Group",
    "HouseholdMonth",
    "HouseholdMonthCategory",
    "Kind",
    "LedgerEntry",
    "MonthStatusChange",
    "PendingLine",
    "RollupsVersion",
    "StatementBatch",
    "new_token",
]
