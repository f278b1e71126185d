"""A file uploaded as the wrong kind says what it looks like ("this looks like a
households file"), from its header rows; the right kind, or a file of no known kind,
gets no such guess."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.imports.models import ImportJob
from chumchon.imports.tests.sheets import (
    HOUSEHOLD_HEADERS_TH,
    MEMBER_HEADERS_TH,
    household_row,
    member_row,
    nid,
    write_csv,
    write_xlsx,
)
from chumchon.imports.workbooks import template_workbook, workbook_kind, wrong_kind_error
from tests import factories

pytestmark = pytest.mark.django_db
TAMBON = "370101"
LEDGER_HEADERS_TH = ["รหัสครัวเรือน", "วันที่", "หมวด", "รายการ", "รายรับ", "รายจ่าย"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "m"}},
    }


@pytest.fixture
def staff(client):
    factories.village(TAMBON, 1, "บ้านบุ่ง")
    user = factories.user(Role.TAMBON_STAFF, TAMBON, username="staff")
    client.force_login(user)
    return user


def households_file(tmp_path):
    return write_xlsx(
        tmp_path / "ครัวเรือน.xlsx",
        {
            "ครัวเรือน": [HOUSEHOLD_HEADERS_TH, household_row("H1", 1, nid(1))],
            "สมาชิก": [MEMBER_HEADERS_TH, member_row("H1", nid(3))],
        },
    )


def ledgers_file(tmp_path):
    return write_csv(tmp_path / "บัญชี.csv", [LEDGER_HEADERS_TH, ["H1", "03/02/2567", "C02", "ไข่", "", "120"]])


def villages_file(tmp_path):
    return write_csv(tmp_path / "หมู่บ้าน.csv", [["หมู่ที่", "ชื่อหมู่บ้าน"], ["2", "บ้านใหม่"]])


@pytest.mark.parametrize("kind", ImportJob.Kind.values)
def test_each_blank_template_is_known_for_its_kind(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(template_workbook(kind))
    expected = ImportJob.Kind.HOUSEHOLDS if kind == ImportJob.Kind.WELFARE else kind  # the same columns
    assert workbook_kind(str(path)) == expected
    assert wrong_kind_error(str(path), None, kind) is None


def test_files_of_no_known_kind_get_no_guess(tmp_path):
    other = write_csv(tmp_path / "x.csv", [["ชื่อ", "ที่อยู่", "โทรศัพท์"], ["ก", "ข", "ค"]])
    assert workbook_kind(str(other)) is None
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert workbook_kind(str(broken)) is None


def _upload(client, kind, path):
    client.post(
        reverse("imports:page", args=[TAMBON]),
        {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    return ImportJob.objects.order_by("-id").first()


@pytest.mark.parametrize(
    ("chosen", "make", "says_th", "says_en"),
    [
        ("ledgers", households_file, "ไฟล์นี้ดูเหมือนไฟล์ครัวเรือนและสมาชิก ไม่ใช่ไฟล์บัญชีครัวเรือน", "this looks like a households file"),
        ("villages", households_file, "ไฟล์นี้ดูเหมือนไฟล์ครัวเรือนและสมาชิก ไม่ใช่ไฟล์หมู่บ้าน", "this looks like a households file"),
        ("households", ledgers_file, "ไฟล์นี้ดูเหมือนไฟล์บัญชีครัวเรือน ไม่ใช่ไฟล์ครัวเรือนและสมาชิก", "this looks like a household accounts file"),
        ("welfare", villages_file, "ไฟล์นี้ดูเหมือนไฟล์หมู่บ้าน ไม่ใช่ไฟล์ครัวเรือนและสมาชิก", "this looks like a villages file"),
    ],
)  # fmt: skip
def test_a_file_of_another_kind_says_what_it_looks_like(client, staff, tmp_path, chosen, make, says_th, says_en):
    job = _upload(client, chosen, make(tmp_path))
    assert job.status == ImportJob.Status.REJECTED
    first = job.errors[0]
    assert first["th"].startswith(says_th) and first["en"].startswith(says_en)
    assert (first["row"], first["column"]) == (0, "")
    assert len(job.errors) > 1  # the missing columns are still listed below it
    assert says_th in client.get(reverse("imports:job", args=[job.pk])).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert says_en in client.get(reverse("imports:job", args=[job.pk])).text


def test_the_right_kind_with_a_missing_column_gets_no_guess(client, staff, tmp_path):
    headers = [h for h in LEDGER_HEADERS_TH if h != "วันที่"]
    path = write_csv(tmp_path / "บัญชี.csv", [headers, ["H1", "C02", "ไข่", "", "120"]])
    job = _upload(client, "ledgers", path)
    assert job.status == ImportJob.Status.REJECTED
    assert not [e for e in job.errors if "ดูเหมือน" in e["th"]]
