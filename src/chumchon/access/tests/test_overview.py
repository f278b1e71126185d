"""An administrator lands on their overview (users, roles, login delays, the latest
audit events) after login, not on the country's first province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chumchon.access.models import Action, Assignment, AuditEvent, LoginThrottle, Role, ThrottleScope, User
from chumchon.access.selectors import admin_overview_for_user
from chumchon.access.services import Actor, audit_record
from tests import factories

pytestmark = pytest.mark.django_db


def login(client, username):
    return client.post(reverse("access:login"), {"username": username, "password": factories.PASSWORD})


def test_an_administrator_lands_on_the_overview(client):
    factories.admin(username="boss")
    response = login(client, "boss")
    assert response.status_code == 302
    assert response["Location"] == reverse("access:overview")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("access:users") in page.text and reverse("access:audit") in page.text


def test_others_land_home_and_a_next_page_wins(client):
    factories.user(Role.TAMBON_STAFF, "370101", username="somsri")
    assert login(client, "somsri")["Location"] == reverse("areas:home")
    factories.admin(username="boss")
    client.logout()
    response = client.post(
        reverse("access:login"), {"username": "boss", "password": factories.PASSWORD, "next": "/areas/37/"}
    )
    assert response["Location"] == "/areas/37/"


def test_the_overview_is_for_administrators_only(client):
    for role, area in [(Role.TAMBON_STAFF, "370101"), (Role.PROVINCE_COORDINATOR, "37"), (Role.AGENCY, None)]:
        user = factories.user(role, area)
        client.force_login(user)
        assert client.get(reverse("access:overview")).status_code == 404
        with pytest.raises(User.DoesNotExist):
            admin_overview_for_user(user)


def test_the_overview_counts_roles_held_today_and_login_trouble():
    today = dt.date(2024, 3, 10)
    admin = factories.admin(username="boss")
    staff = [factories.user(Role.TAMBON_STAFF, "370101") for _ in range(3)]
    factories.user(Role.VOLUNTEER, factories.village("370101", 1))
    gone = staff[2].assignments.get()
    gone.ends_on = dt.date(2024, 3, 1)  # ended before today: no longer held
    gone.save()
    User.objects.create_user(username="nobody", password="x")
    LoginThrottle.objects.create(
        scope=ThrottleScope.PAIR, username="somsri", address="10.0.0.1", failures=6,
        window_start=timezone.now(), delayed_until=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    for _ in range(2):
        audit_record(actor=Actor.system("t"), action=Action.LOGIN_FAILED, object_type="user")
    overview = admin_overview_for_user(admin, today=timezone.localdate())
    held = {role: n for role, _label, n in overview.roles}
    expected = {
        role: Assignment.objects.active_on(timezone.localdate()).filter(role=role).values("user").distinct().count()
        for role in Role
    }
    assert held == expected
    assert overview.failures_today == 2
    overview = admin_overview_for_user(admin, today=today)
    held = {role: n for role, _label, n in overview.roles}
    assert (held[Role.TAMBON_STAFF], held[Role.VOLUNTEER], held[Role.ADMIN]) == (2, 1, 1)
    assert overview.users == User.objects.filter(is_active=True).count() == 6
    assert overview.users_without_role == 2  # "nobody" and the staff whose role ended
    assert [t.username for t in overview.delayed] == ["somsri"]
    assert overview.recent[0] == AuditEvent.objects.order_by("-at", "-id").first()
