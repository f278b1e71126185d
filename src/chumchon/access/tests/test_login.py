"""Login, logout, throttling, CSRF and the login-required wall."""

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, LoginThrottle, Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return factories.user(Role.TAMBON_STAFF, "370101", username="somsri")


def login(client, username, password, **extra):
    return client.post(reverse("access:login"), {"username": username, "password": password, **extra})


def test_pages_need_login_and_come_back_after_it(client, staff):
    response = client.get(reverse("areas:detail", args=["370101"]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('access:login')}?next=/areas/370101/"
    response = login(client, "somsri", factories.PASSWORD, next="/areas/370101/")
    assert response.status_code == 302
    assert response["Location"] == "/areas/370101/"
    assert client.get("/areas/370101/").status_code == 200


def test_login_page_is_thai_by_default(client):
    html = client.get(reverse("access:login")).content.decode()
    assert 'lang="th"' in html
    assert "เข้าสู่ระบบ" in html


def test_wrong_password_is_refused_with_a_thai_message_and_audited(client, staff):
    response = login(client, "somsri", "wrong")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail == {"username": "somsri"}
    assert event.ip == "127.0.0.1"


def test_open_redirects_are_ignored(client, staff):
    response = login(client, "somsri", factories.PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("areas:home")


def test_success_clears_the_pair_counter(client, staff):
    for _ in range(3):
        login(client, "somsri", "wrong")
    pair = LoginThrottle.objects.get(scope="pair", username="somsri", address="127.0.0.1")
    assert pair.failures == 3
    assert login(client, "somsri", factories.PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(scope="pair", username="somsri").exists()
    assert LoginThrottle.objects.get(scope="account", username="somsri").failures == 3
    assert AuditEvent.objects.filter(action="login", user=staff).count() == 1


def test_login_form_requires_csrf(staff):
    client = Client(enforce_csrf_checks=True)
    response = login(client, "somsri", factories.PASSWORD)
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, staff):
    client.force_login(staff)
    assert client.get(reverse("access:logout")).status_code == 405
    assert client.post(reverse("access:logout")).status_code == 302
    assert client.get(reverse("areas:home")).status_code == 302


def test_session_and_csrf_cookies_are_http_only(client, staff, settings):
    response = login(client, "somsri", factories.PASSWORD)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Lax"


def test_password_rules_reject_weak_passwords(staff):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "somsri2024"]:
        with pytest.raises(ValidationError):
            validate_password(weak, staff)
    validate_password("kaew-nam-jai-2567", staff)
