"""Ledger entry in a real browser: a tambon clerk keys a paper form with the keyboard
only; a village volunteer adds a line on a phone with no connection, and it arrives once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from chumchon.core.forms import be_text
from tests.browser.conftest import PHONE, Demo
from tests.browser.test_main_paths import log_in, widths

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]


def baht(value: Decimal) -> str:
    return f"{value:,.2f}"


def month_sums(household_id: int, first: dt.date, last: dt.date) -> tuple[Decimal, Decimal]:
    """Income and expense of a household's month by category kind, net of reversals."""
    from chumchon.ledgers.models import LedgerEntry

    income = expense = Decimal("0.00")
    for kind, amount in LedgerEntry.objects.filter(
        household_id=household_id, date__gte=first, date__lte=last
    ).values_list("category__kind", "amount"):
        if kind == "income":
            income += amount
        else:
            expense += amount
    return income, expense


def focused(page: Page) -> str:
    """The focused box as ``<class> <row number>`` (``e-cat 2``)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const row = el.closest('tr.entry-row');
            const n = row ? [...row.parentNode.querySelectorAll('tr.entry-row')].indexOf(row) + 1 : 0;
            return `${el.className} ${n}`;
        }"""
    )


def test_tambon_clerk_keys_a_paper_form_with_the_keyboard(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.ledgers.models import LedgerEntry
    from chumchon.registry.models import Household

    household = Household.objects.filter(village_id=f"{demo.tambon_code}01").order_by("code").first()
    assert household is not None, "the demo volunteer's village always holds households"
    first, last = dt.date(2024, 3, 1), dt.date(2024, 3, 31)
    before = LedgerEntry.objects.filter(household=household).count()
    saved_income, saved_expense = month_sums(household.pk, first, last)

    log_in(page, "demo-tambon")
    response = page.goto(f"/ledgers/household/{household.pk}/2024-03/")
    assert response is not None and response.status == 200
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('e-day')")
    assert focused(page) == "e-day 1", "the page opens with the cursor in the first day box"
    kb = page.keyboard

    # Line 1: a day, a Thai category name picked from the suggestions, an item, an amount.
    kb.type("5")
    kb.press("Enter")
    assert focused(page) == "e-cat 1"
    kb.type("ไข่")
    listbox = page.locator("#category-listbox")
    listbox.wait_for(state="visible")
    assert listbox.locator("[aria-selected=true]").inner_text().split()[:2] == ["C02", "ไข่"]
    kb.press("Enter")
    assert page.input_value("tr.entry-row >> nth=0 >> .e-cat") == "C02"
    assert page.locator("tr.entry-row >> nth=0 >> .cat-name").inner_text() == "ไข่"
    assert focused(page) == "e-item 1"
    kb.type("ไข่ไก่ 1 แผง")
    kb.press("Enter")
    kb.type("120")
    kb.press("Enter")
    assert focused(page) == "e-day 2", "Enter on the amount goes to the next line"
    assert page.input_value("tr.entry-row >> nth=1 >> .e-day") == "5", "the day is carried down"

    # Line 2: a code and an amount in Thai digits with a thousands separator.
    kb.type("6")
    kb.press("Enter")
    kb.type("I01")
    kb.press("Enter")
    kb.press("Enter")  # no item
    kb.type("๑,๒๕๐.๕๐")
    kb.press("Enter")

    # Line 3: Thai letters matching several categories; arrow down to the right one.
    kb.type("7")
    kb.press("Enter")
    kb.type("ค่า")
    listbox.wait_for(state="visible")
    for _ in range(12):
        if "ค่าน้ำ/ค่าไฟ" in listbox.locator("[aria-selected=true]").inner_text():
            break
        kb.press("ArrowDown")
    assert "ค่าน้ำ/ค่าไฟ" in listbox.locator("[aria-selected=true]").inner_text()
    kb.press("Enter")
    assert page.input_value("tr.entry-row >> nth=2 >> .e-cat") == "C11"
    kb.type("ค่าไฟเดือน ก.พ.")
    kb.press("Enter")
    kb.type("480")

    # Running totals: new lines, and the month after saving.
    totals = {
        name: page.locator(f'[data-total="{name}"]').inner_text()
        for name in ("new-income", "new-expense", "new-net", "after-income", "after-expense", "after-net")
    }
    new_income, new_expense = Decimal("1250.50"), Decimal("600.00")
    assert totals == {
        "new-income": baht(new_income),
        "new-expense": baht(new_expense),
        "new-net": baht(new_income - new_expense),
        "after-income": baht(saved_income + new_income),
        "after-expense": baht(saved_expense + new_expense),
        "after-net": baht(saved_income + new_income - saved_expense - new_expense),
    }
    shot(page, "01-typed", full_page=False)

    with page.expect_navigation():
        kb.press("Control+s")
    assert page.url.endswith(f"/ledgers/household/{household.pk}/2024-03/")
    added = list(
        LedgerEntry.objects.filter(household=household)
        .order_by("-id")[:3]
        .values_list("date", "category_id", "item", "amount", "source")
    )
    assert LedgerEntry.objects.filter(household=household).count() == before + 3
    assert sorted(added) == [
        (dt.date(2024, 3, 5), "C02", "ไข่ไก่ 1 แผง", Decimal("120.00"), "keyed"),
        (dt.date(2024, 3, 6), "I01", "", Decimal("1250.50"), "keyed"),
        (dt.date(2024, 3, 7), "C11", "ค่าไฟเดือน ก.พ.", Decimal("480.00"), "keyed"),
    ]
    income, expense = month_sums(household.pk, first, last)
    assert (income, expense) == (saved_income + new_income, saved_expense + new_expense)
    footer = page.locator(".entry-saved tfoot th.num")
    assert footer.all_inner_texts() == [baht(income), baht(expense)]
    assert page.locator('[data-total="after-net"]').inner_text() == baht(income - expense)
    assert (
        page.locator(".entry-saved tbody tr[id^=line-]").count()
        == LedgerEntry.objects.filter(
            household=household, date__gte=first, date__lte=last, reverses__isnull=True
        ).count()
    )
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('e-day')")
    assert focused(page) == "e-day 1", "ready for the next form"
    shot(page, "02-saved", full_page=False)
    # The month's lines, the new ones among them (a window-sized shot: the totals bar is
    # stuck to the bottom of the window, which a full-page shot would show mid-page).
    page.locator(
        f"#line-{LedgerEntry.objects.filter(household=household).latest('id').pk}"
    ).scroll_into_view_if_needed()
    shot(page, "03-saved-lines", full_page=False)


def test_volunteer_adds_a_line_offline_and_it_arrives_once(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.ledgers.models import LedgerEntry
    from chumchon.registry.models import Household

    village = f"{demo.tambon_code}01"
    page.set_viewport_size(PHONE)
    log_in(page, "demo-volunteer")
    response = page.goto("/ledgers/phone/")
    assert response is not None and response.status == 200
    listed = page.locator("a[data-household]")
    assert listed.count() == Household.objects.active().filter(village_id=village).count() > 0
    scroll_width, inner_width = widths(page)
    assert scroll_width <= inner_width == PHONE["width"], f"the list scrolls sideways at 360 px ({scroll_width} px)"
    shot(page, "01-households")

    listed.first.click()
    page.wait_for_url("**/ledgers/phone/*/")
    household = Household.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert household.village_id == village
    before = LedgerEntry.objects.filter(household=household).count()
    assert page.input_value("#ph-date") == be_text(timezone.localdate()), "the date is today (BE) by default"
    assert page.get_attribute("#ph-amount", "inputmode") == "decimal"
    scroll_width, inner_width = widths(page)
    assert scroll_width <= inner_width, f"the phone form scrolls sideways at 360 px ({scroll_width} px)"
    shot(page, "02-form")

    # The connection drops; the volunteer adds a line anyway.
    page.context.set_offline(True)
    page.wait_for_function("navigator.onLine === false")
    # The short list shows the village's most used categories: take the first one.
    chip = page.locator(".chip").first
    category = chip.locator("input").get_attribute("value")
    chip.click()
    page.fill("#ph-amount", "๒๕๐")
    page.fill("#ph-item", "ข้าวสาร 1 ถุง")
    page.click(".phone-add-button")
    waiting = page.locator("#phone-waiting li.pending")
    waiting.first.wait_for()
    assert waiting.count() == 1
    assert "250.00" in waiting.first.inner_text() and "ข้าวสาร 1 ถุง" in waiting.first.inner_text()
    assert page.locator("#phone-status.offline").is_visible()
    stored = json.loads(page.evaluate(f"localStorage.getItem('chumchon.phone.v1.u{_user_pk()}.h{household.pk}')"))
    assert [(line["category"], line["amount"]) for line in stored] == [(category, "250")]
    line_key = stored[0]["key"]
    assert LedgerEntry.objects.filter(household=household).count() == before
    shot(page, "03-offline-waiting")

    # The page is opened again on a flaky connection: the page loads, the send fails.
    # (Chromium cannot load a page at all while offline; this app has no service worker.)
    page.route("**/ledgers/phone/*/lines", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    page.reload()
    waiting.first.wait_for()
    assert waiting.count() == 1 and "250.00" in waiting.first.inner_text()
    page.wait_for_function("!document.querySelector('#phone-status').classList.contains('sending')")
    assert LedgerEntry.objects.filter(household=household).count() == before
    shot(page, "04-reloaded-still-waiting")

    # The connection comes back: the `online` event sends the queue.
    page.context.set_offline(True)
    page.unroute("**/ledgers/phone/*/lines")
    page.context.set_offline(False)
    page.wait_for_selector("#phone-waiting-card", state="hidden")
    page.wait_for_function("document.querySelector('#phone-month').innerText.includes('ข้าวสาร 1 ถุง')")
    stored_key = f"web:{household.pk}:{line_key}"
    assert LedgerEntry.objects.filter(import_key=stored_key).count() == 1
    entry = LedgerEntry.objects.get(import_key=stored_key)
    assert (entry.category_id, entry.amount, entry.source) == (category, Decimal("250.00"), "phone")
    assert page.evaluate(f"localStorage.getItem('chumchon.phone.v1.u{_user_pk()}.h{household.pk}')") is None
    shot(page, "05-sent")

    # Nothing is sent twice: reload, wait past a send attempt, count again.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert LedgerEntry.objects.filter(household=household).count() == before + 1
    assert page.locator("#phone-waiting-card").is_hidden()


def _user_pk() -> int:
    from chumchon.access.models import User

    return User.objects.get(username="demo-volunteer").pk
