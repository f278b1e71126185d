"""The table of writes per role and the one check, ``can``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chumchon.access.models import Role
from chumchon.access.permissions import ROLE_WRITES, Write, can, can_anywhere, writable_areas
from chumchon.access.scope import scope_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages() -> None:
    factories.village("370101", 1)
    factories.village("340101", 1)


def test_agency_writes_nothing_but_its_own_account(villages: None):
    for area in ("37", None):
        agency = factories.user(Role.AGENCY, area)
        assert [a for a in Write if can_anywhere(agency, a)] == [Write.OWN_ACCOUNT]
        assert not can(agency, Write.FORUM_PACK_BATCH, "370101")
        assert not can(agency, Write.STATEMENT_BATCH, "37010101")
        assert can(agency, Write.OWN_ACCOUNT)


def test_tambon_staff_write_only_in_their_tambon(villages: None):
    staff = factories.user(Role.TAMBON_STAFF, "370101")
    assert can(staff, Write.REGISTRY_EDIT, "37010101")
    assert can(staff, Write.FORUM_PACK_BATCH, "370101")
    assert not can(staff, Write.REGISTRY_EDIT, "34010101")
    assert not can(staff, Write.REGISTRY_EDIT, "3701")  # the district above is not theirs
    assert not can(staff, Write.USER_ADMIN)
    assert writable_areas(staff, Write.IMPORT) == frozenset({"370101"})


def test_province_reach_and_coordinators_keep_no_registry(villages: None):
    coordinator = factories.user(Role.PROVINCE_COORDINATOR, "37")
    assert can(coordinator, Write.PROVINCE_SETTINGS, "37")
    assert not can(coordinator, Write.PROVINCE_SETTINGS, "34")
    assert can(coordinator, Write.FORUM_PACK_BATCH, "370101")
    assert not can(coordinator, Write.REGISTRY_EDIT, "37010101")
    assert not can(coordinator, Write.LEDGER_ENTRY, "37010101")


def test_ended_assignments_and_no_role_write_nothing(villages: None):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ended = factories.user(Role.TAMBON_STAFF, "370101", ends_on=yesterday)
    nobody = factories.user()
    for user in (ended, nobody):
        assert [a for a in Write if can_anywhere(user, a)] == [Write.OWN_ACCOUNT]
        assert writable_areas(user, Write.REGISTRY_EDIT) == frozenset()


def test_admin_and_superuser_may_do_everything(villages: None):
    superuser = factories.user()
    superuser.is_superuser = True
    superuser.save()
    for user in (factories.admin(), superuser):
        assert all(can(user, action, "34010101") for action in Write)
        assert writable_areas(user, Write.IMPORT) is None


@pytest.mark.parametrize("role", [Role.TAMBON_STAFF, Role.VOLUNTEER, Role.PROVINCE_COORDINATOR, Role.AGENCY])
def test_the_scope_write_sets_follow_the_table(villages: None, role: str):
    """The scope's write filters (used by the write selectors) agree with the table."""
    area = {Role.TAMBON_STAFF: "370101", Role.VOLUNTEER: "37010101", Role.PROVINCE_COORDINATOR: "37"}.get(role, "37")
    scope = scope_for(factories.user(role, area))
    assert bool(scope.registry_write) == (Write.REGISTRY_EDIT in ROLE_WRITES[role])
    assert bool(scope.ledger_write) == (Write.LEDGER_ENTRY in ROLE_WRITES[role])
