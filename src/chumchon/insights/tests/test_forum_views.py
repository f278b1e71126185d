"""Forum packs on the web: downloads in scope and audited, the same 404 out of scope,
aggregate-only readers without small cells, and the background batch of a tambon."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from chumchon.access.models import AuditEvent
from chumchon.core.thai import Month
from chumchon.insights.forum import batch as forum_batch
from chumchon.insights.models import ForumBatch
from chumchon.insights.tests.forum_data import (
    expected_month,
    make_forum_data,
    norm,
    pdf_pages,
    pdf_text,
    users,
    whole,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return make_forum_data()


@pytest.fixture
def people():
    return users()


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


def _pdf(client, code, **params):
    return client.get(reverse("insights:forum_pdf", args=[code]), params)


def test_staff_download_the_pack_as_pdf_and_xlsx_and_each_is_audited(client, data, people, tmp_path):
    client.force_login(people["staff"])
    before = AuditEvent.objects.count()
    response = _pdf(client, data.v1.code, month="2567-02")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="forum-37010101-2024-02.pdf"' in response["Content-Disposition"]
    path = tmp_path / "p.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    expected = expected_month(data.v1)
    assert norm("หมู่ 1 บ้านหนองบัว") in text and norm("กุมภาพันธ์ 2567") in text
    assert whole(expected.expense) not in text  # public: the small-cell rule (see below)
    response = client.get(reverse("insights:forum_xlsx", args=[data.v1.code]), {"month": "2024-02"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.object_id, e.detail["format"]) for e in events] == [
        ("export", "forum_pack", data.v1.code, "pdf"),
        ("export", "forum_pack", data.v1.code, "xlsx"),
    ]
    assert events[0].username == "forum-staff" and events[0].area_code == data.v1.code


@pytest.mark.parametrize("name", ["forum_pdf", "forum_xlsx", "forum_batch"])
def test_out_of_scope_is_the_same_404_as_nonexistent_and_writes_nothing(client, data, people, name):
    client.force_login(people["other"])  # staff of another tambon
    before = (AuditEvent.objects.count(), ForumBatch.objects.count())
    code = data.tambon.code if name == "forum_batch" else data.v1.code
    out_of_scope = client.get(reverse(f"insights:{name}", args=[code]), {"month": "2024-02"})
    missing = client.get(reverse(f"insights:{name}", args=["37019999" if name != "forum_batch" else "379999"]))
    assert out_of_scope.status_code == missing.status_code == 404
    assert client.post(reverse("insights:forum_batch", args=[data.tambon.code])).status_code == 404
    assert (AuditEvent.objects.count(), ForumBatch.objects.count()) == before


def test_districts_and_provinces_have_no_pack(client, data, people):
    client.force_login(people["province"])
    assert _pdf(client, "3701").status_code == 404
    assert _pdf(client, "37").status_code == 404
    # ... and a batch is of a tambon only.
    assert client.get(reverse("insights:forum_batch", args=[data.v1.code])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, data):
    response = _pdf(client, data.v1.code)
    assert response.status_code in (302, 404)
    assert not response.get("Content-Type", "").startswith("application/pdf")


def test_a_bad_month_is_a_bad_request(client, data, people):
    client.force_login(people["staff"])
    assert _pdf(client, data.v1.code, month="2567-13").status_code == 400


def test_aggregate_only_readers_see_no_cell_under_five_households(client, data, people, tmp_path):
    client.force_login(people["agency"])
    response = _pdf(client, data.v2.code, month="2024-02")  # three households reported
    assert response.status_code == 200
    path = tmp_path / "small.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    small = expected_month(data.v2)
    assert norm("หมู่ 2 บ้านโนนสูง") in text
    for amount in (small.income, small.expense, small.income_mean):
        assert whole(amount) not in text
    # The bigger village is the small one's only sibling with accounts: its totals would
    # give the small one's back (the tambon's minus its own), so they are hidden too.
    response = _pdf(client, data.v1.code, month="2024-02")
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert whole(expected_month(data.v1).income) not in text
    for h in data.households:
        assert h.code not in text
    # The tambon's villages table hides both villages' figures.
    response = _pdf(client, data.tambon.code, month="2024-02")
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert whole(small.income_mean) not in text
    assert whole(expected_month(data.v1).income_mean) not in text


def test_staff_print_the_public_pack_unless_they_choose_the_internal_copy(client, data, people, tmp_path):
    client.force_login(people["staff"])
    path = tmp_path / "p.pdf"
    path.write_bytes(_pdf(client, data.v1.code, month="2024-02").content)
    public = pdf_text(path)
    assert whole(expected_month(data.v1).income) not in public  # the public rule, whoever prints
    assert norm("ใช้ภายใน") not in public
    before = AuditEvent.objects.count()
    response = _pdf(client, data.v1.code, month="2024-02", internal="1")
    assert response.status_code == 200
    path.write_bytes(response.content)
    internal = pdf_text(path)
    assert whole(expected_month(data.v1).income) in internal
    pages = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-raw", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pdf_pages(path) + 1)
    ]
    assert len(pages) >= 2 and all(norm("ใช้ภายใน") in norm(p) for p in pages), "marked on every page"
    event = AuditEvent.objects.order_by("id")[before:].get()
    assert (event.object_type, event.detail["internal"]) == ("forum_pack", True)
    # An aggregate-only reader cannot have it: the same answer as an area out of scope.
    client.force_login(people["agency"])
    before = AuditEvent.objects.count()
    assert _pdf(client, data.v1.code, month="2024-02", internal="1").status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_batch_makes_every_village_into_one_zip(client, data, people, immediate_tasks):
    client.force_login(people["staff"])
    page = client.get(reverse("insights:forum_batch", args=[data.tambon.code]), {"month": "2024-02"})
    assert page.status_code == 200
    response = client.post(reverse("insights:forum_batch", args=[data.tambon.code]), {"month": "2567-02"})
    batch = ForumBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:forum_batch_status", args=[batch.token])
    assert (batch.status, batch.done, batch.total, batch.month) == ("done", 3, 3, dt.date(2024, 2, 1))
    assert batch.user == people["staff"] and batch.size > 0
    status = client.get(response["Location"])
    assert status.status_code == 200
    assert reverse("insights:forum_batch_zip", args=[batch.token]).encode() in status.content
    progress = client.get(reverse("insights:forum_batch_progress", args=[batch.token]))
    assert progress.status_code == 200 and b'data-status="done"' in progress.content
    before = AuditEvent.objects.count()
    download = client.get(reverse("insights:forum_batch_zip", args=[batch.token]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [
        "00-forum-370101-2024-02.pdf",
        "00-forum-370101-2024-02.xlsx",
        "01-forum-37010101-2024-02.pdf",
        "01-forum-37010101-2024-02.xlsx",
        "02-forum-37010102-2024-02.pdf",
        "02-forum-37010102-2024-02.xlsx",
    ]
    assert archive.read("01-forum-37010101-2024-02.pdf").startswith(b"%PDF")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.area_code) == ("export", "forum_batch", "370101")
    # Nobody else sees the batch, not even someone else with the same scope.
    other = users_same_scope()
    client.force_login(other)
    for name in ("forum_batch_status", "forum_batch_progress", "forum_batch_zip"):
        assert client.get(reverse(f"insights:{name}", args=[batch.token])).status_code == 404
    assert AuditEvent.objects.count() == before + 1


def users_same_scope():
    from chumchon.access.models import Role
    from tests import factories

    return factories.user(Role.TAMBON_STAFF, "370101", username="forum-staff-2")


def test_a_tambon_without_households_cannot_start_a_batch(client, people, immediate_tasks):
    client.force_login(people["staff"])
    response = client.post(reverse("insights:forum_batch", args=["370101"]), {"month": "2024-02"})
    assert response.status_code == 302
    assert ForumBatch.objects.count() == 0


def _running(data, people, *, runner: str, heartbeat: dt.datetime | None = None) -> ForumBatch:
    now = timezone.now()
    return ForumBatch.objects.create(
        user=people["staff"],
        tambon=data.tambon,
        month=Month(2024, 2).first_day,
        status=ForumBatch.Status.RUNNING,
        total=3,
        done=1,
        runner=runner,
        started_at=now,
        heartbeat_at=heartbeat or now,
    )


def test_a_batch_left_running_by_a_restarted_server_is_marked_failed(client, data, people):
    host, pid = socket.gethostname(), os.getpid()
    restarted = _running(data, people, runner=f"{host}:{pid}:an-earlier-start")
    alive = _running(data, people, runner=forum_batch.runner_id())
    elsewhere = _running(data, people, runner="another-host:1:abc")
    stalled = _running(
        data, people, runner="another-host:1:abc", heartbeat=timezone.now() - forum_batch.STALE_AFTER * 2
    )
    client.force_login(people["staff"])
    response = client.get(reverse("insights:forum_batch_progress", args=[restarted.token]))
    assert b'data-status="failed"' in response.content
    assert forum_batch.forum_batches_fail_interrupted() == 1  # the stalled one; the others live
    states = {b.pk: (b.status, b.failure) for b in ForumBatch.objects.all()}
    assert states == {
        restarted.pk: ("failed", "interrupted"),
        alive.pk: ("running", ""),
        elsewhere.pk: ("running", ""),
        stalled.pk: ("failed", "interrupted"),
    }


def test_a_batch_of_a_dead_process_on_this_host_is_failed(data, people):
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(child.stdout)
    batch = _running(data, people, runner=f"{socket.gethostname()}:{dead_pid}:x")
    assert forum_batch.forum_batch_check_interrupted(batch).status == "failed"
