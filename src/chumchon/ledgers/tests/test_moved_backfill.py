"""The migration that marks the households whose lines stand under a village their
record has left (``registry.Household.moved``), moved before the registry kept the mark."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from chumchon.access.services import Actor
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db
backfill = import_module("chumchon.ledgers.migrations.0012_households_moved_backfill")


def test_only_the_households_with_lines_under_another_village_are_marked():
    first, second = factories.village("370101", 1), factories.village("370101", 2)
    moved, stayed, silent = (factories.household(first, members=0) for _ in range(3))
    for household in (moved, stayed):
        ledger_entries_add(
            actor=Actor.system("test"),
            household=household,
            lines=[LineInput(date=dt.date(2024, 3, 1), category="C01", amount=Decimal(50))],
        )
    # Moved as the registry did before the mark: no save, so nothing marked it.
    Household.objects.filter(pk__in=[moved.pk, silent.pk]).update(village=second)
    assert not Household.objects.filter(moved=True).exists()
    backfill.forwards(apps, None)
    assert set(Household.objects.filter(moved=True).values_list("pk", flat=True)) == {moved.pk}
