"""Login throttling: reserve-before-check, growing delays, no lockout by strangers, unlock."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, LoginThrottle, Role, User
from chumchon.access.services import Actor
from chumchon.access.throttle import (
    LoginFailed,
    LoginRefused,
    login_attempt_begin,
    login_authenticate,
    login_delay_seconds,
    normalise_address,
)
from tests import factories

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WRONG = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def refused(seconds: int) -> str:
    return f"พยายามเข้าสู่ระบบผิดหลายครั้งเกินไป ลองใหม่ได้ในอีก {seconds} วินาที"


@pytest.fixture
def staff():
    return factories.user(Role.TAMBON_STAFF, "370101", username="somsri")


@pytest.fixture
def password_checks(monkeypatch):
    """Every password check (User.check_password), counted."""
    calls: list[str] = []
    original = User.check_password

    def counting(self, raw_password):
        calls.append(self.username)
        time.sleep(0.02)  # a real hash takes time: widen the window for a race
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting)
    return calls


def login(username, password, ip="127.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(reverse("access:login"), {"username": username, "password": password})


def at(seconds: float):
    return time_machine.travel(T0 + dt.timedelta(seconds=seconds), tick=False)


def test_delays_start_at_the_limit_double_and_are_capped():
    assert [login_delay_seconds(failures=n, limit=5) for n in (1, 4, 5, 6, 7, 8, 9, 10, 11, 500)] == [
        0, 0, 30, 60, 120, 240, 480, 900, 900, 900,
    ]  # fmt: skip


def test_ipv6_is_counted_by_its_64_and_mapped_ipv4_as_ipv4():
    assert normalise_address("2001:db8:1:2:aaaa::1") == normalise_address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert normalise_address("::ffff:10.0.0.7") == "10.0.0.7"
    assert normalise_address("not-an-ip") == normalise_address(None) == ""


def test_after_five_failures_the_next_attempt_waits_without_a_password_check(staff, password_checks):
    with at(0):
        for _ in range(5):
            response = login("somsri", "wrong")
            assert (response.status_code, WRONG in response.content.decode()) == (200, True)
        response = login("somsri", factories.PASSWORD)  # even the right password
        assert response.status_code == 429
        assert refused(30) in response.content.decode()
        assert "_auth_user_id" not in response.client.session
    assert len(password_checks) == 5
    event = AuditEvent.objects.get(action="login_refused")
    assert event.detail == {"username": "somsri", "retry_after": 30, "scopes": ["pair"]}
    assert AuditEvent.objects.filter(action="login_failed").count() == 5


def test_delays_grow_and_expire(staff, password_checks):
    with at(0):
        for _ in range(5):
            login("somsri", "wrong")
    with at(29):
        assert refused(1) in login("somsri", factories.PASSWORD).content.decode()
    with at(30):
        assert login("somsri", "wrong").status_code == 200  # 6th failure: 60 s
        assert refused(60) in login("somsri", "wrong").content.decode()
    with at(90):
        assert login("somsri", "wrong").status_code == 200  # 7th failure: 120 s
    with at(209):
        assert login("somsri", factories.PASSWORD).status_code == 429
    with at(210):
        assert login("somsri", factories.PASSWORD).status_code == 302
    assert len(password_checks) == 8
    assert not LoginThrottle.objects.filter(scope="pair", username="somsri").exists()


def test_a_pairs_failures_are_forgotten_after_a_quiet_day(staff):
    with at(0):
        for _ in range(5):
            login("somsri", "wrong")
    with at(86399):
        assert login("somsri", "wrong").status_code == 200  # 6th within the day: 60 s
        assert login("somsri", "wrong").status_code == 429
    with at(86399 + 86400):
        assert [login("somsri", "wrong").status_code for _ in range(4)] == [200] * 4  # counted from 1 again
        assert login("somsri", factories.PASSWORD).status_code == 302


def test_an_accounts_count_covers_fifteen_minutes_from_its_first_failure(staff):
    with at(0):
        for n in range(19):
            login("somsri", "guess", ip=f"198.51.100.{n}")
    with at(900):  # a new window: 19 more failures do not reach 20
        for n in range(19):
            login("somsri", "guess", ip=f"198.51.101.{n}")
        assert login("somsri", factories.PASSWORD, ip="10.0.0.8").status_code == 302


def test_reservations_come_before_the_check_so_forty_attempts_give_five_checks(staff, password_checks):
    # Deterministic on every engine: 40 attempts reserve before any password is checked.
    actor = Actor(user=None, ip="10.1.1.1")
    with at(0):
        outcomes = []
        for _ in range(40):
            try:
                login_attempt_begin(username="somsri", actor=actor)
            except LoginRefused as exc:
                outcomes.append(exc.retry_after)
            else:
                outcomes.append("reserved")
    assert outcomes == ["reserved"] * 5 + [30] * 35
    assert password_checks == []
    assert LoginThrottle.objects.get(scope="pair", username="somsri", address="10.1.1.1").failures == 5
    assert AuditEvent.objects.filter(action="login_refused").count() == 35


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_forty_concurrent_wrong_passwords_get_at_most_five_checks(password_checks):
    factories.user(username="somsri")  # no role: a transactional test may run after a flush of the areas
    start = threading.Barrier(40)
    results: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            login_authenticate(username="somsri", password="wrong", actor=Actor(user=None, ip="10.2.2.2"))
        except LoginRefused:
            results.append("refused")
        except LoginFailed:
            results.append("failed")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(password_checks) == 5
    assert sorted(results) == ["failed"] * 5 + ["refused"] * 35
    assert AuditEvent.objects.filter(action="login_failed").count() == 5
    assert AuditEvent.objects.filter(action="login_refused").count() == 35
    assert LoginThrottle.objects.get(scope="pair", username="somsri", address="10.2.2.2").failures == 5


def test_a_stranger_cannot_lock_the_real_user_out(staff):
    with at(0):
        for _ in range(12):
            login("somsri", "guess", ip="203.0.113.5")
        assert login("somsri", factories.PASSWORD, ip="203.0.113.5").status_code == 429
        assert login("somsri", factories.PASSWORD, ip="10.0.0.8").status_code == 302


def test_account_wide_failures_only_delay_and_then_expire(staff):
    with at(0):
        for n in range(20):  # one failure from each of 20 addresses
            assert login("somsri", "guess", ip=f"198.51.100.{n}").status_code == 200
        response = login("somsri", factories.PASSWORD, ip="10.0.0.8")
        assert response.status_code == 429
        assert refused(30) in response.content.decode()
    assert AuditEvent.objects.get(action="login_refused").detail["scopes"] == ["account"]
    with at(30):
        assert login("somsri", factories.PASSWORD, ip="10.0.0.8").status_code == 302


def test_colleagues_mistyping_behind_one_router_do_not_shut_the_office_out(staff):
    others = [factories.user(Role.TAMBON_STAFF, "370101", username=f"office{n}") for n in range(20)]
    with at(0):
        for other in others:
            assert login(other.username, "typo", ip="10.9.9.9").status_code == 200
        for _ in range(4):
            login("somsri", "typo", ip="10.9.9.9")
        assert login("somsri", factories.PASSWORD, ip="10.9.9.9").status_code == 302
        assert login(others[0].username, factories.PASSWORD, ip="10.9.9.9").status_code == 302


def test_an_address_spraying_many_accounts_is_delayed_at_one_hundred(staff):
    actor = Actor(user=None, ip="192.0.2.50")
    with at(0):
        for n in range(100):
            login_attempt_begin(username=f"spray{n}", actor=actor)
        with pytest.raises(LoginRefused) as exc:
            login_attempt_begin(username="somsri", actor=actor)
    assert exc.value.retry_after == 30
    assert login("somsri", factories.PASSWORD, ip="192.0.2.51").status_code == 302


def test_unknown_users_get_the_same_answers(staff, password_checks):
    with at(0):
        known = [login("somsri", "wrong", ip="10.3.3.3") for _ in range(6)]
        unknown = [login("nobody-at-all", "wrong", ip="10.3.3.4") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 5 + [429]
    assert [WRONG in r.content.decode() for r in unknown[:5]] == [True] * 5
    assert refused(30) in known[5].content.decode()
    assert refused(30) in unknown[5].content.decode()


def test_username_case_and_spaces_do_not_give_extra_attempts(staff):
    with at(0):
        for name in ["somsri", "SOMSRI", " Somsri ", "somSri", "SomSri"]:
            login(name, "wrong")
        assert login("somsri", factories.PASSWORD).status_code == 429


def test_an_administrator_sees_and_clears_the_delays_audited(staff):
    admin = factories.admin(username="boss")
    with at(0):
        for _ in range(5):
            login("somsri", "wrong")
        client = Client()
        client.force_login(admin)
        page = client.get(reverse("access:user_detail", args=[staff.pk])).content.decode()
        assert "127.0.0.1" in page
        assert "ล้างการหน่วงเวลาเข้าสู่ระบบ" in page
        response = client.post(reverse("access:user_unlock", args=[staff.pk]))
        assert response.status_code == 302
        assert not LoginThrottle.objects.filter(username="somsri").exists()
        event = AuditEvent.objects.get(action="login_unlock")
        assert (event.user, event.detail["username"]) == (admin, "somsri")
        assert {(c["scope"], c["failures"]) for c in event.detail["cleared"]} == {("pair", 5), ("account", 5)}
        assert login("somsri", factories.PASSWORD).status_code == 302


def test_only_an_administrator_can_clear_delays_and_nothing_changes_otherwise(staff):
    coordinator = factories.user(Role.PROVINCE_COORDINATOR, "37", username="coord")
    with at(0):
        for _ in range(5):
            login("somsri", "wrong")
        before = list(LoginThrottle.objects.order_by("pk").values())
        audit_before = AuditEvent.objects.count()
        client = Client()
        client.force_login(coordinator)
        assert (
            client.post(reverse("access:user_unlock", args=[staff.pk])).status_code == 403
        )  # a write the role may never do (access.permissions)
        assert list(LoginThrottle.objects.order_by("pk").values()) == before
        assert AuditEvent.objects.count() == audit_before
        assert login("somsri", factories.PASSWORD).status_code == 429


def test_unlock_command_clears_an_address(staff):
    actor = Actor(user=None, ip="192.0.2.50")
    with at(0):
        for n in range(100):
            login_attempt_begin(username=f"spray{n}", actor=actor)
        assert login("somsri", factories.PASSWORD, ip="192.0.2.50").status_code == 429
        call_command("unlock", "--address", "192.0.2.50")
        assert not LoginThrottle.objects.filter(address="192.0.2.50").exists()
        assert login("somsri", factories.PASSWORD, ip="192.0.2.50").status_code == 302
    event = AuditEvent.objects.get(action="login_unlock")
    # 100 sprayed pairs and the address-wide count (the refused attempt added no row).
    assert (event.object_type, event.detail["address"], len(event.detail["cleared"])) == ("address", "192.0.2.50", 101)


def test_unlock_command_refuses_a_bad_address_and_writes_nothing():
    with pytest.raises(CommandError) as exc:
        call_command("unlock", "--address", "not-an-ip")
    assert exc.value.returncode == 3
    assert not AuditEvent.objects.exists()


def test_unlock_command_clears_and_is_audited(staff):
    with at(0):
        for _ in range(5):
            login("SomSri", "wrong")
        call_command("unlock", "somsri", "--lang", "en")
        assert login("somsri", factories.PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="login_unlock")
    assert (event.path, event.detail["username"], len(event.detail["cleared"])) == ("cli:unlock", "somsri", 2)
