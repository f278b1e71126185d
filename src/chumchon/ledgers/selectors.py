"""Reads of ledger entries, scoped like the households they belong to."""

from __future__ import annotations

from django.db.models import QuerySet

from chumchon.access.scope import scope_of
from chumchon.ledgers.models import Category, LedgerEntry


def ledger_entries_qs_for_user(user: object) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(scope_of(user).person_q())


def ledger_entry_get_for_user(user: object, pk: int) -> LedgerEntry:
    return ledger_entries_qs_for_user(user).get(pk=pk)


def categories_all() -> QuerySet[Category]:
    return Category.objects.all()
