"""The audit log: who, when, what, which area, from where; append-only; admins only."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor, audit_record
from tests import factories

pytestmark = pytest.mark.django_db


def test_viewing_a_household_is_recorded(client):
    village = factories.village("370101", 1)
    household = factories.household(village)
    user = factories.user(Role.TAMBON_STAFF, "370101", username="viewer")
    client.force_login(user)
    response = client.get(reverse("registry:detail", args=[household.pk]), HTTP_USER_AGENT="pytest-browser")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="household")
    assert (event.username, event.user_id, event.object_id, event.area_code) == (
        "viewer",
        user.pk,
        str(household.pk),
        "37010101",
    )
    assert event.ip == "127.0.0.1"
    assert event.user_agent == "pytest-browser"
    assert event.path == f"/households/{household.pk}/"


def test_a_write_is_recorded_with_its_detail(client):
    user = factories.user(Role.TAMBON_STAFF, "370101")
    client.force_login(user)
    client.post(reverse("areas:village_add", args=["370101"]), {"village_no": 3, "name_th": "บ้านนาแต้"})
    event = AuditEvent.objects.get(action="create", object_type="area")
    assert (event.object_id, event.area_code, event.detail) == ("37010103", "37010103", {"name_th": "บ้านนาแต้"})


@pytest.mark.django_db(transaction=True)
def test_audit_rows_cannot_be_changed_or_deleted():
    from chumchon.areas.services import areas_load_thailand

    areas_load_thailand()  # transactional tests start from an empty database
    event = audit_record(actor=Actor.system("test"), action="view", object_type="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_type="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).object_type == "x"


def test_audit_page_is_for_administrators_only(client):
    for role, area in [(Role.TAMBON_STAFF, "370101"), (Role.PROVINCE_COORDINATOR, "37"), (Role.AGENCY, None)]:
        client.force_login(factories.user(role, area))
        assert client.get(reverse("access:audit")).status_code == 404
    client.force_login(factories.admin())
    assert client.get(reverse("access:audit")).status_code == 200


def test_audit_page_filters(client):
    actor = Actor.system("test")
    audit_record(actor=actor, action="view", object_type="household", object_id=1, area_code="37010101")
    audit_record(actor=actor, action="create", object_type="area", object_id="37010102", area_code="37010102")
    audit_record(actor=actor, action="view", object_type="household", object_id=2, area_code="34010101")
    client.force_login(factories.admin(username="boss"))
    page = client.get(reverse("access:audit"), {"action": "view", "area": "37"})
    rows = list(page.context["page"])
    assert [(e.object_type, e.object_id) for e in rows] == [("household", "1")]
    assert "บันทึกการใช้งาน" in page.content.decode()
