"""The area dashboard in a real browser: a district coordinator opens their district's
dashboard from the home page, changes the months, maps another figure, opens the rows
behind a number, and reads the page on a 360-px phone.

Texts are checked through structure (ids, classes) and through figures computed here
from the database, not through UI strings, so the test holds in either language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import PHONE, Demo
from tests.browser.test_main_paths import log_in, path_of, widths

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]
DISTRICT = "3701"  # demo-district's district: the demo province's first


def test_district_coordinator_reads_the_dashboard(page: Page, demo: Demo, shot: Shot) -> None:
    import datetime as dt

    from django.db.models import Q

    from chumchon.areas.models import Area
    from chumchon.ledgers.models import HouseholdMonth
    from chumchon.registry.models import Household

    district = Area.objects.get(code=DISTRICT)
    reported = set(
        HouseholdMonth.objects.filter(district_code=DISTRICT, entries__gt=0).values_list("household_id", flat=True)
    )
    reporting = len(reported)
    # Registered in the span (April 2566 – March 2567): not gone before it began, or
    # reported in it (the demo's accounts are all within the span).
    stayed = Q(left_on__isnull=True) | Q(left_on__gte=dt.date(2023, 4, 1))
    present = set(Household.objects.filter(stayed, district_code=DISTRICT).values_list("pk", flat=True))
    registered = len(present | reported)
    assert registered > 0 and reporting > 0, "the demo district always keeps accounts"

    log_in(page, "demo-district")
    page.click(f"a.tile-more[href='/insights/area/{DISTRICT}/']")
    page.wait_for_load_state()
    assert path_of(page) == f"/insights/area/{DISTRICT}/"
    assert district.display_name in page.locator("main h1").inner_text()
    # Demo accounts end in March 2024: the default span is the twelve months up to it.
    assert page.locator(".span-label").inner_text() == "เมษายน 2566 – มีนาคม 2567"
    counts = page.locator(".headline .stat .num")
    assert counts.nth(0).inner_text() == f"{registered:,}"
    assert counts.nth(1).inner_text() == f"{reporting:,}"
    for section in ("income", "spending", "avoidable", "local-food", "debts", "repayment", "trend"):
        assert page.locator(f"section#{section}").count() == 1, section
    assert page.locator("#trend svg rect.inc").count() == 2  # two demo months with accounts

    # The map of the district's tambons loads by itself: bubbles with the tambons'
    # names on the map (SVG text in a browser), a legend with its unit.
    page.wait_for_selector("#figure-map svg circle")
    names = page.locator("#figure-map svg text").all_text_contents()
    assert any(n.startswith("ต.") for n in names)
    assert page.locator("#figure-map .map-unit").count() == 1
    assert page.locator("#figure-map ul.legend li").count() >= 2
    shot(page, "01-dashboard")

    # One month only, through the span form (HTMX swaps the body and pushes the URL).
    page.select_option("#span-from", "2024-03")
    page.select_option("#span-to", "2024-03")
    page.click(".span-form button[type=submit]")
    page.wait_for_function("document.querySelector('.span-label').textContent.trim() === 'มีนาคม 2567'")
    assert path_of(page) == f"/insights/area/{DISTRICT}/?from=2024-03&to=2024-03"
    assert page.locator("#trend svg rect.inc").count() == 1

    # Another figure on the map.
    page.wait_for_selector("#figure-map svg circle")
    page.select_option("#map-figure", "avoidable")
    page.wait_for_function(
        "document.querySelector('#figure-map .map-title strong') && "
        "document.querySelector('#map-figure').value === 'avoidable' && "
        "!document.querySelector('#figure-map').classList.contains('htmx-request')"
    )
    page.wait_for_selector("#figure-map svg circle")
    shot(page, "02-one-month-avoidable-map")

    # Every number opens the rows behind it: the households reporting this month.
    link = page.locator(".headline .stat").nth(1).locator("a.fig")
    href = link.get_attribute("href") or ""
    assert re.search(r"figure=reporting", href)
    link.click()
    page.wait_for_load_state()
    assert path_of(page).startswith(f"/insights/area/{DISTRICT}/rows/")
    march = (
        HouseholdMonth.objects.filter(district_code=DISTRICT, entries__gt=0, month="2024-03-01")
        .values("household_id")
        .distinct()
        .count()
    )
    assert page.locator("main section.card").first.locator("h2 small").inner_text() == f"({march:,})"
    assert page.locator("main section.card").first.locator("tbody tr").count() == min(march, 50)
    shot(page, "03-rows")


def test_dashboard_fits_a_phone(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-district")
    page.set_viewport_size(PHONE)
    page.goto(f"/insights/area/{DISTRICT}/")
    page.wait_for_selector("#figure-map svg circle")
    scroll_width, inner_width = widths(page)
    assert scroll_width <= inner_width, "no sideways scrolling on a 360-px phone"
    shot(page, "01-phone")
