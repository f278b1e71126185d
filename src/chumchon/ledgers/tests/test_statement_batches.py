"""Village batches of household statements kept as ``StatementBatch`` rows: a batch left
running by a server that died is failed as interrupted (on its page and when a server
starts), only the asker may see it while the village is in their scope, and a batch
whose PDF was deleted says so. (Making a batch end to end is in test_statements.)"""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from chumchon.access.models import AuditEvent, Role
from chumchon.core import runner
from chumchon.core.thai import Month
from chumchon.ledgers import statement_batches
from chumchon.ledgers.models import StatementBatch
from chumchon.ledgers.statements import Period, statement_batch_dir
from tests import factories

pytestmark = pytest.mark.django_db

INTERRUPTED_MESSAGE = "The PDF was not finished: the server stopped while it was being made. Please make it again."
DELETED_MESSAGE = (
    "This PDF has been deleted: it held personal data and is kept for a day only. Make it again if you need it."
)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


@pytest.fixture
def staff():
    return factories.user(Role.TAMBON_STAFF, "370101", username="batch-staff")


def _batch(user, village, **fields) -> StatementBatch:
    period = Period.of_month(Month(2024, 2))
    household = factories.household(village)
    values = {
        "user": user,
        "village": village,
        "period_kind": period.kind,
        "period_start": period.start.first_day,
        "period_end": period.end.first_day,
        "household_ids": [household.pk],
        "total": 1,
        **fields,
    }
    return StatementBatch.objects.create(**values)


def _running(user, village, *, runner_name: str, heartbeat: dt.datetime | None = None) -> StatementBatch:
    now = timezone.now()
    return _batch(
        user,
        village,
        status=StatementBatch.Status.RUNNING,
        runner=runner_name,
        started_at=now,
        heartbeat_at=heartbeat or now,
    )


def _done(user, village, *, finished: dt.datetime) -> StatementBatch:
    batch = _batch(user, village, status=StatementBatch.Status.DONE, done=1, finished_at=finished)
    path = statement_batch_dir() / f"{batch.token}.pdf"
    path.write_bytes(b"%PDF-1.7 test")
    os.utime(path, (finished.timestamp(), finished.timestamp()))
    StatementBatch.objects.filter(pk=batch.pk).update(pdf_name=path.name)
    batch.refresh_from_db()
    return batch


def _in_thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


# --- interrupted ------------------------------------------------------------------------


def test_a_batch_left_running_by_a_dead_server_is_failed_as_interrupted(client, staff, village):
    host, pid = socket.gethostname(), os.getpid()
    restarted = _running(staff, village, runner_name=f"{host}:{pid}:an-earlier-start")
    alive = _running(staff, village, runner_name=runner.runner_id())  # this very process: still at work
    elsewhere = _running(staff, village, runner_name="another-host:1:abc")  # cannot be told from here
    stalled = _running(
        staff,
        village,
        runner_name="another-host:1:abc",
        heartbeat=timezone.now() - statement_batches.STALE_AFTER * 2,
    )
    client.force_login(staff)

    text = client.get(reverse("ledgers:statement_batch_progress", args=[restarted.token])).content.decode()
    assert 'data-status="failed"' in text and "hx-trigger" not in text  # polling stops
    assert _in_thai(INTERRUPTED_MESSAGE) in text
    page = client.get(reverse("ledgers:statement_batch", args=[restarted.token])).content.decode()
    assert _in_thai(INTERRUPTED_MESSAGE) in page
    restarted.refresh_from_db()
    assert (restarted.status, restarted.failure) == ("failed", runner.INTERRUPTED)
    assert restarted.finished_at is not None

    assert statement_batches.statement_batches_fail_interrupted() == 1  # the stalled one; the others live
    states = {b.pk: (b.status, b.failure) for b in StatementBatch.objects.all()}
    assert states == {
        restarted.pk: ("failed", "interrupted"),
        alive.pk: ("running", ""),
        elsewhere.pk: ("running", ""),
        stalled.pk: ("failed", "interrupted"),
    }
    alive_text = client.get(reverse("ledgers:statement_batch_progress", args=[alive.token])).content.decode()
    assert 'data-status="running"' in alive_text and 'hx-trigger="every 2s"' in alive_text


def test_a_server_start_fails_the_batches_its_previous_run_left_running(staff, village, monkeypatch):
    previous_start = f"{socket.gethostname()}:{os.getpid()}:{'0' * 12}"
    assert previous_start != runner.runner_id()  # same pid, an earlier start of the server
    batch = _running(staff, village, runner_name=previous_start)
    alive = _running(staff, village, runner_name=runner.runner_id())
    served = []
    monkeypatch.setattr("waitress.serve", lambda *args, **kwargs: served.append(kwargs["port"]))
    monkeypatch.setattr("chumchon.core.worker.start_background_worker", lambda: None)

    call_command("serve", "--port", "8123", "--workers", "1")

    assert served == [8123]
    batch.refresh_from_db()
    alive.refresh_from_db()
    assert (batch.status, batch.failure, alive.status) == ("failed", "interrupted", "running")


# --- scope ------------------------------------------------------------------------------


def test_only_the_asker_sees_a_batch_and_only_while_the_village_is_in_their_scope(client, staff, village):
    batch = _done(staff, village, finished=timezone.now())
    addresses = [
        reverse("ledgers:statement_batch", args=[batch.token]),
        reverse("ledgers:statement_batch_progress", args=[batch.token]),
        reverse("ledgers:statement_batch_pdf", args=[batch.token]),
    ]
    moved = factories.user(Role.TAMBON_STAFF, "370102")  # an asker since moved to another tambon
    moved_batch = _done(moved, village, finished=timezone.now())
    refused = [
        (factories.user(Role.TAMBON_STAFF, "370101"), batch),  # another officer of the same tambon
        (factories.user(Role.VOLUNTEER, village), batch),  # the village's own volunteer
        (factories.admin(), batch),  # even an administrator: a batch is its asker's
        (moved, moved_batch),  # the asker, once the village is out of their scope
    ]
    for user, refused_batch in refused:
        client.force_login(user)
        before = AuditEvent.objects.count()
        for name in ("statement_batch", "statement_batch_progress", "statement_batch_pdf"):
            url = reverse(f"ledgers:{name}", args=[refused_batch.token])
            assert client.get(url).status_code == 404, (user, url)
        assert AuditEvent.objects.count() == before  # nothing shown, nothing audited
    client.logout()
    assert client.get(addresses[0]).status_code in (302, 404)  # the login page, or nothing
    # Nothing changed: both PDFs are there, neither batch expired.
    assert all((statement_batch_dir() / b.pdf_name).is_file() for b in (batch, moved_batch))
    assert StatementBatch.objects.filter(expired_at__isnull=True, status="done").count() == 2

    client.force_login(staff)
    assert client.get(addresses[0]).status_code == 200
    download = client.get(addresses[2])
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 test"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_type, event.object_id, event.area_code) == (
        "export",
        "household_statements",
        village.code,
        village.code,
    )
    assert event.detail == {"period": {"month": "2024-02"}, "households": batch.household_ids, "batch": batch.token}


# --- expired ----------------------------------------------------------------------------


def test_an_expired_batch_says_its_pdf_was_deleted(client, staff, village):
    old = _done(staff, village, finished=timezone.now() - statement_batches.BATCH_KEEP - dt.timedelta(hours=1))
    path = statement_batch_dir() / old.pdf_name
    client.force_login(staff)

    page = client.get(reverse("ledgers:statement_batch", args=[old.token]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "data-expired" in text and _in_thai(DELETED_MESSAGE) in text
    assert reverse("ledgers:statement_batch_pdf", args=[old.token]) not in text
    assert not path.exists()
    old.refresh_from_db()
    assert (old.status, old.pdf_name, old.expired_at is not None) == ("done", "", True)
    # An old download link leads to the page that says so; nothing is given out or audited.
    before = AuditEvent.objects.count()
    response = client.get(reverse("ledgers:statement_batch_pdf", args=[old.token]))
    assert response.status_code == 302 and response["Location"] == reverse("ledgers:statement_batch", args=[old.token])
    assert AuditEvent.objects.count() == before
    # The village page lists it as deleted, with a link to its page rather than the PDF.
    village_page = client.get(reverse("ledgers:village_statements", args=[village.code]), {"month": "2024-02"})
    assert reverse("ledgers:statement_batch", args=[old.token]) in village_page.content.decode()


def test_expiring_deletes_the_old_pdfs_and_keeps_the_rows(staff, village):
    now = timezone.now()
    old = _done(staff, village, finished=now - statement_batches.BATCH_KEEP - dt.timedelta(minutes=5))
    recent = _done(staff, village, finished=now - dt.timedelta(hours=1))
    manifest = statement_batch_dir() / f"{'a' * 32}.json"  # a batch kept as files before the table
    manifest.write_text("{}")
    os.utime(manifest, (old.finished_at.timestamp(), old.finished_at.timestamp()))

    assert statement_batches.statement_batches_expire(now=now) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.expired_at, old.pdf_name) == (now, "")
    assert recent.expired_at is None and (statement_batch_dir() / recent.pdf_name).is_file()
    assert sorted(p.name for p in statement_batch_dir().iterdir()) == [recent.pdf_name]
    assert StatementBatch.objects.count() == 2
