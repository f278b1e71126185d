"""What a province holds now, and removing its demo households (``--reset``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from chumchon.access.models import User
from chumchon.areas.models import Area, Level
from chumchon.demo.generate.options import DemoCounts
from chumchon.demo.ledger import ledger_entries_delete
from chumchon.demo.users import DEMO_USERNAMES, demo_assignments_delete
from chumchon.ledgers.models import EntrySource, LedgerEntry
from chumchon.registry.models import (
    Debt,
    DuplicateCandidate,
    Household,
    HouseholdIndicator,
    Member,
    Organisation,
)


def demo_households(province_code: str) -> QuerySet[Household]:
    """The province's households made by the demo (``Household.is_demo``), and those
    holding demo account lines (made before the mark existed): what ``--reset``
    removes. A real household is never among them, whatever its status or lines."""
    demo_lines = LedgerEntry.objects.filter(household=OuterRef("pk"), source=EntrySource.DEMO)
    return Household.objects.filter(province_code=province_code).filter(Q(is_demo=True) | Exists(demo_lines))


def province_counts(province_code: str) -> DemoCounts:
    """What the province holds now (all households, not only demo ones)."""
    households = Household.objects.filter(province_code=province_code)
    answered = HouseholdIndicator.objects.filter(household=OuterRef("pk"))
    return DemoCounts(
        villages=Area.objects.filter(province_code=province_code, level=Level.VILLAGE).count(),
        households=households.count(),
        members=Member.objects.filter(household__province_code=province_code).count(),
        debts=Debt.objects.filter(household__province_code=province_code).count(),
        ledger_entries=LedgerEntry.objects.filter(province_code=province_code).count(),
        users=User.objects.filter(username__in=DEMO_USERNAMES).count(),
        organisations=Organisation.objects.filter(tambon__province_code=province_code).count(),
        surveyed=households.filter(Exists(answered)).count(),
        target=households.filter(is_target=True).count(),
        duplicates=DuplicateCandidate.objects.filter(
            tambon_code__startswith=province_code, status=DuplicateCandidate.Status.OPEN
        ).count(),
    )


def demo_reset(province_code: str) -> DemoCounts:
    """Delete the province's demo households (with members, debts, every account line,
    needs answers and memberships) and the demo users' assignments.

    Duplicate candidates naming a demo member go first: their links are SET_NULL, so
    deleting the members would leave empty pairs behind. The tambons' organisations
    stay (see :mod:`chumchon.demo.community`). Audit events stay: the log is append-only.
    """
    households = demo_households(province_code)
    members = Member.objects.filter(household__in=households).count()
    debts = Debt.objects.filter(household__in=households).count()
    ids = sorted(households.values_list("pk", flat=True))
    entries = ledger_entries_delete(ids)
    duplicates = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        pairs = DuplicateCandidate.objects.filter(
            Q(member_a__household_id__in=chunk) | Q(member_b__household_id__in=chunk)
        )
        duplicates += pairs.delete()[0]
    for start in range(0, len(ids), 500):
        Household.objects.filter(pk__in=ids[start : start + 500]).delete()
    demo_assignments_delete()
    return DemoCounts(households=len(ids), members=members, debts=debts, ledger_entries=entries, duplicates=duplicates)
