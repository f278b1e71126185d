"""Dates in a real browser: a member saved unchanged keeps the birth date, the picker
chooses a Buddhist Era date, and a phone whose clock and time zone are wrong still
enters today's line (today is the server's), showing the real problem of a bad line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chumchon.core.forms import be_text
from tests.browser.conftest import PHONE, TIMEOUT_MS, Demo
from tests.browser.test_main_paths import log_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]
BANGKOK = ZoneInfo("Asia/Bangkok")


def test_a_member_saved_unchanged_keeps_the_birth_date_and_the_picker_chooses_a_be_date(
    page: Page, demo: Demo, shot: Shot
) -> None:
    from chumchon.registry.models import Member

    member = (
        Member.objects.filter(household__tambon_code=demo.tambon_code, birth_date__isnull=False)
        .select_related("household")
        .order_by("pk")
        .first()
    )
    assert member is not None and member.birth_date is not None
    born = member.birth_date
    log_in(page, "demo-tambon")
    url = f"/households/{member.household_id}/members/{member.pk}/edit/"
    page.goto(url)
    birth = page.locator("input[name=birth_date]")
    assert birth.get_attribute("type") == "text"
    assert birth.input_value() == f"{born:%d}/{born:%m}/{born.year + 543}"
    shot(page, "01-member-form")

    # Saved unchanged: the birth date stays.
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/households/{member.household_id}/")
    member.refresh_from_db()
    assert member.birth_date == born

    # The picker: BE years, Thai months; it writes dd/mm/yyyy BE.
    page.goto(url)
    page.click(".bedate-open")
    picker = page.locator(".bedate-picker")
    picker.wait_for()
    assert picker.locator(".bedate-year").input_value() == str(born.year + 543)
    assert picker.locator(".bedate-month option").all_inner_texts()[:3] == ["มกราคม", "กุมภาพันธ์", "มีนาคม"]
    picker.locator(".bedate-year").fill("2530")
    picker.locator(".bedate-year").dispatch_event("change")
    picker.locator(".bedate-month").select_option("3")
    assert picker.locator(".bedate-day").count() == 31
    shot(page, "02-picker")
    picker.locator(".bedate-day", has_text=re.compile(r"^15$")).click()
    assert birth.input_value() == "15/03/2530"
    assert picker.count() == 0
    # Typed in Common Era or ISO, it is shown back in Buddhist Era; nonsense is said so in Thai.
    birth.fill("1987-03-16")
    birth.blur()
    assert birth.input_value() == "16/03/2530"
    birth.fill("31/02/2530")
    birth.blur()
    assert page.locator(".bedate-error").inner_text() == "วันที่นี้ไม่มีอยู่จริง"
    birth.fill("15/3/1987")
    birth.blur()
    assert birth.input_value() == "15/03/2530" and page.locator(".bedate-error").is_hidden()
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    member.refresh_from_db()
    assert member.birth_date == dt.date(1987, 3, 15)


def _phone_context(browser: Browser, live_server: Any, *, timezone_id: str) -> Any:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="th-TH", timezone_id=timezone_id, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    origin = live_server.url.rstrip("/")
    context.route(re.compile(r"^(?!" + re.escape(origin) + r")https?://"), lambda route: route.abort())
    return context


def test_a_phone_on_the_wrong_time_zone_enters_todays_line_and_shows_the_real_error(
    browser: Browser, live_server: Any, demo: Demo, shot: Shot
) -> None:
    from chumchon.ledgers.models import LedgerEntry

    today = timezone.localdate()
    # The phone thinks it is Honolulu (UTC-10), and its clock reads 01:30 of the server's
    # day in Thailand: on the phone it is still the day before, 08:30.
    phone_now = dt.datetime.combine(today, dt.time(1, 30), tzinfo=BANGKOK)
    context = _phone_context(browser, live_server, timezone_id="Pacific/Honolulu")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.clock.install(time=phone_now)
        log_in(page, "demo-volunteer")
        assert page.evaluate("new Date().getDate()") == (today - dt.timedelta(days=1)).day, "the phone is a day behind"
        page.goto("/ledgers/phone/")
        page.locator("a[data-household]").first.click()
        page.wait_for_url("**/ledgers/phone/*/")
        household_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        assert page.input_value("#ph-date") == be_text(today)

        # A line with no amount: the message is about the amount, not a date "in the future".
        page.locator(".chip").first.click()
        page.click(".phone-add-button")
        error = page.locator("#ph-error")
        assert error.is_visible()
        assert error.inner_text() == "ใส่จำนวนเงินที่มากกว่า 0"
        shot(page, "01-real-error")

        # Tomorrow (by the server's day) is refused, saying what today is.
        page.fill("#ph-date", be_text(today + dt.timedelta(days=1)))
        page.fill("#ph-amount", "80")
        page.click(".phone-add-button")
        assert "ยังไม่ถึง" in error.inner_text() and be_date_th(today) in error.inner_text()

        # Today's line is taken and sent.
        before = LedgerEntry.objects.filter(household_id=household_id).count()
        page.fill("#ph-date", be_text(today))
        category = page.locator(".chip input").first.get_attribute("value")
        page.locator(".chip").first.click()
        page.fill("#ph-amount", "80")
        page.fill("#ph-item", "ผักบุ้ง")
        page.click(".phone-add-button")
        assert error.is_hidden()
        page.wait_for_function("document.querySelector('#phone-month').innerText.includes('ผักบุ้ง')")
        entry = LedgerEntry.objects.filter(household_id=household_id).latest("pk")
        assert LedgerEntry.objects.filter(household_id=household_id).count() == before + 1
        assert (entry.date, entry.category_id, entry.amount, entry.item) == (today, category, Decimal("80.00"), "ผักบุ้ง")
        shot(page, "02-sent")

        # The volunteer corrects it from the phone: a reversal with a reason.
        page.click("#phone-month .pl-fix >> nth=-1")
        page.wait_for_url(f"**/ledgers/phone/{household_id}/lines/{entry.pk}/fix/")
        assert page.input_value("#fx-day") == be_text(today)
        page.fill("#fx-amount", "85")
        page.fill("#fx-reason", "จำนวนผิด")
        shot(page, "03-correct")
        with page.expect_navigation():
            page.click("button[value=correct]")
        reversal = LedgerEntry.objects.get(reverses=entry)
        assert (reversal.amount, reversal.reason) == (Decimal("-80.00"), "จำนวนผิด")
        assert LedgerEntry.objects.filter(household_id=household_id).latest("pk").amount == Decimal("85.00")
        shot(page, "04-corrected")
        assert not errors, f"uncaught JavaScript errors: {errors}"
    finally:
        context.close()


def be_date_th(day: dt.date) -> str:
    from chumchon.core.thai import format_date

    return format_date(day, lang="th")
