"""User administration: several assignments per user, with dates; administrators only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chumchon.access.models import Assignment, AuditEvent, Role, User
from chumchon.access.scope import scope_for
from chumchon.access.services import AccessError, Actor, assignment_create
from chumchon.areas.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_user_may_hold_several_assignments_with_dates():
    user = factories.user(Role.TAMBON_STAFF, "370101")
    assignment_create(
        user=user,
        role=Role.VOLUNTEER,
        area=Area.objects.get(code="370102") and factories.village("370102", 4),
        actor=Actor.system("t"),
    )
    old = assignment_create(
        user=user, role=Role.TAMBON_STAFF, area=Area.objects.get(code="370103"),
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1), actor=Actor.system("t"),
    )  # fmt: skip
    scope = scope_for(user)
    assert scope.person_read == {"370101", "37010204"}
    assert scope.registry_write == {"370101"}
    assert scope.ledger_write == {"370101", "37010204"}
    # On a day inside the old assignment, it counts.
    assert "370103" in scope_for(user, today=dt.date(2020, 6, 1)).registry_write
    assert old.ends_on == dt.date(2021, 1, 1)


@pytest.mark.parametrize(
    ("role", "area", "message"),
    [
        (Role.TAMBON_STAFF, "3701", "ระดับ tambon"),
        (Role.VOLUNTEER, "370101", "ระดับ village"),
        (Role.PROVINCE_COORDINATOR, None, "ระดับ province"),
        (Role.ADMIN, "37", "ไม่ผูกกับพื้นที่"),
    ],
)
def test_roles_fit_their_area_level(role, area, message):
    user = factories.user()
    with pytest.raises(AccessError, match=message):
        assignment_create(user=user, role=role, area=Area.objects.filter(code=area).first(), actor=Actor.system("t"))
    assert not Assignment.objects.filter(user=user).exists()


def test_admin_creates_a_user_and_assigns_an_area(client):
    client.force_login(factories.admin())
    response = client.post(
        reverse("access:user_add"),
        {"username": "malee", "first_name": "มาลี", "last_name": "ดีงาม", "password": "kaew-nam-jai-2567"},
    )
    malee = User.objects.get(username="malee")
    assert response["Location"] == reverse("access:user_detail", args=[malee.pk])
    response = client.post(reverse("access:user_detail", args=[malee.pk]), {"role": "tambon_staff", "area": "370101"})
    assert response.status_code == 302
    assert scope_for(malee).registry_write == {"370101"}
    page = client.get(reverse("access:users")).content.decode()
    assert "malee" in page and "ต.บุ่ง" in page
    assert AuditEvent.objects.filter(object_type="assignment", action="create", area_code="370101").count() == 1


def test_weak_password_and_unknown_area_are_refused_clearly(client):
    client.force_login(factories.admin())
    page = client.post(reverse("access:user_add"), {"username": "weak", "password": "12345678"}).content.decode()
    assert "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร" in page and "ตัวเลขล้วน" in page
    assert not User.objects.filter(username="weak").exists()
    target = factories.user()
    page = client.post(
        reverse("access:user_detail", args=[target.pk]), {"role": "tambon_staff", "area": "999999"}
    ).content.decode()
    assert not Assignment.objects.filter(user=target).exists()
    assert "ไม่มีพื้นที่รหัสนี้" in page


def test_ending_an_assignment_keeps_it_for_history(client):
    client.force_login(factories.admin())
    target = factories.user(Role.TAMBON_STAFF, "370101")
    assignment = target.assignments.get()
    client.post(reverse("access:assignment_end", args=[target.pk, assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.ends_on == timezone.localdate()
    assert scope_for(target, today=timezone.localdate() + dt.timedelta(days=1)).person_read == frozenset()


def test_user_pages_are_for_administrators_only(client):
    target = factories.user(Role.TAMBON_STAFF, "370101")
    client.force_login(factories.user(Role.PROVINCE_COORDINATOR, "37"))
    before = (User.objects.count(), Assignment.objects.count())
    assert client.get(reverse("access:users")).status_code == 404
    assert (
        client.post(reverse("access:user_add"), {"username": "x", "password": "kaew-nam-jai-2567"}).status_code == 403
    )
    assert client.post(reverse("access:user_detail", args=[target.pk]), {"role": "admin"}).status_code == 403
    assert (
        client.post(reverse("access:assignment_end", args=[target.pk, target.assignments.get().pk])).status_code == 403
    )
    assert (User.objects.count(), Assignment.objects.count()) == before
    assert target.assignments.get().ends_on is None
