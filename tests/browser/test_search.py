"""The top search box in a real browser: typing a name shows the people found in the
user's area as one types (HTMX), a whole national ID finds its household, a person in
another tambon is never found, and Enter opens the results page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Demo
from tests.browser.test_main_paths import log_in, thai

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]


def test_the_top_search_box_finds_people_in_scope_only(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.core import national_id
    from chumchon.registry.models import Member

    mine = (
        Member.objects.filter(household__tambon_code=demo.tambon_code, household__erased_at__isnull=True, is_head=True)
        .exclude(national_id_encrypted="")
        .select_related("household")
        .order_by("household__village_id", "household__code")
        .first()
    )
    assert mine is not None
    theirs = (
        Member.objects.filter(household__tambon_code=demo.other_tambon_code, is_head=True)
        .exclude(national_id_encrypted="")
        .order_by("pk")
        .first()
    )
    assert theirs is not None
    log_in(page, "demo-tambon")
    box = page.locator("header.topbar form.search input[name=q]")
    assert box.get_attribute("placeholder") == thai("Find an area, household or person…")

    # Part of a name, as one types it: the dropdown lists the people found.
    typed = f"{mine.first_name} {mine.last_name[:3]}"
    box.press_sequentially(typed, delay=20)
    link = page.locator(f"#search-popup a[href='/households/{mine.household_id}/']")
    link.wait_for()
    assert mine.full_name in page.locator("#search-popup").inner_text()
    shot(page, "01-dropdown")
    link.click()
    page.wait_for_url(f"**/households/{mine.household_id}/")
    assert mine.household.code in page.locator("main h1").inner_text()

    # A whole national ID, typed with dashes, finds the household.
    box = page.locator("header.topbar form.search input[name=q]")
    box.fill(national_id.format_full(national_id.decrypt(mine.national_id_encrypted)))
    page.locator(f"#search-popup a[href='/households/{mine.household_id}/']").wait_for()
    popup = page.locator("#search-popup").inner_text()
    assert mine.full_name in popup and national_id.decrypt(mine.national_id_encrypted) not in popup

    # Someone in demo-tambon-other's tambon: by name or by whole ID, never found.
    for query in (f"{theirs.first_name} {theirs.last_name}", national_id.decrypt(theirs.national_id_encrypted)):
        page.evaluate("document.querySelector('#search-popup').innerHTML = ''")
        box.fill(query)
        page.locator("#search-popup .search-dropdown").wait_for()
        hrefs = page.locator("#search-popup a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert f"/households/{theirs.household_id}/" not in hrefs, query
    assert thai("Nothing in your area matches.") in page.locator("#search-popup").inner_text()
    shot(page, "02-not-found")

    # Enter: the results page.
    box.fill(mine.first_name)
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == "/households/search/"
    assert page.locator(f"#household-results a[href='/households/{mine.household_id}/']").count() == 1
    assert page.locator("main h1").inner_text() == thai("Search")
    shot(page, "03-results")
