"""In a real browser: the tambon page loads its to-do list (HTMX) and each item's link
opens the page that deals with it; the dashboard's pack buttons send the month chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import Demo
from tests.browser.test_main_paths import Shot, log_in, thai

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_tambon_page_shows_its_to_do_list_and_each_link_leads_on(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-tambon")
    page.goto(f"/areas/{demo.tambon_code}/")
    items = page.locator("#todo .todo-item")
    items.first.wait_for()  # loaded after the page, by HTMX
    assert page.locator("#todo h2").inner_text() == thai("To do")
    keys = [items.nth(i).get_attribute("data-key") for i in range(items.count())]
    assert keys == ["review", "duplicates", "unreported", "close", "stale", "imports"]
    assert all(items.nth(i).locator(".todo-count").inner_text().strip() for i in range(items.count()))
    shot(page, "tambon-todo")
    page.click("#todo [data-key=duplicates] a")
    page.wait_for_url("**/households/duplicates/")
    assert page.locator("h1").inner_text() == thai("Possible duplicates")
    page.go_back()
    page.locator("#todo [data-key=review] a").click()
    page.wait_for_url(f"**/ledgers/review/{demo.tambon_code}/")


def test_the_pack_buttons_send_the_month_chosen(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-tambon")
    page.goto(f"/insights/area/{demo.tambon_code}/")
    select = page.locator("#pack-month")
    default = select.input_value()
    assert default == "2024-03"  # the demo's last month: every household reported
    select.select_option("2024-02")
    shot(page, "pack-month")
    # What the browser asks for: the button's own address, with the month chosen. Each
    # answer is awaited to its end, so no request is still running when the test ends.
    with page.expect_download() as download, page.expect_response(lambda r: "/forum.xlsx" in r.url) as response:
        page.click(f"form.pack-form button:has-text('{thai('Forum tables (xlsx)')}')", no_wait_after=True)
    url = urlsplit(response.value.url)
    assert url.path == f"/insights/area/{demo.tambon_code}/forum.xlsx"
    assert parse_qs(url.query) == {"month": ["2024-02"]}
    assert download.value.path().read_bytes()[:2] == b"PK"  # the whole workbook came
    page.goto(f"/insights/area/{demo.tambon_code}/")
    page.locator("#pack-month").select_option("2024-02")
    with page.expect_response(lambda r: "/forum.pdf" in r.url) as response:
        page.click(f"form.pack-form button:has-text('{thai('Internal copy (PDF, ใช้ภายใน)')}')", no_wait_after=True)
    assert parse_qs(urlsplit(response.value.url).query) == {"month": ["2024-02"], "internal": ["1"]}
    # Chromium opens it in its viewer; the server answered once the whole PDF was made
    assert (response.value.status, response.value.header_value("content-type")) == (200, "application/pdf")
