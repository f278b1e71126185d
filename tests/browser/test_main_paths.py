"""The main paths a person takes, in a real browser: log in, walk down to a household,
meet the area boundary, switch language, mistype a password.

Thai is the default language: the expected Thai texts come from the project's own
catalogue (``thai()``), which fails when a string has no Thai translation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, Demo

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]
THAI = re.compile(r"[\u0E00-\u0E7F]")


def thai(msgid: str) -> str:
    """The Thai translation of a UI string; fails when the catalogue has none."""
    with translation.override("th"):
        text = translation.gettext(msgid)
    assert text != msgid and THAI.search(text), f"no Thai translation for {msgid!r}"
    return text


def english(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # to the home page, or the login form again
        page.click("main form button[type=submit]")


def path_of(page: Page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def widths(page: Page) -> tuple[int, int]:
    """The document's scroll width and the viewport's width, in CSS pixels."""
    scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return scroll_width, inner_width


def test_tambon_staff_walks_from_login_to_a_household(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.areas.models import Area
    from chumchon.registry.models import Household
    from chumchon.registry.selectors import current_month, households_in_period_qs

    tambon = Area.objects.get(code=demo.tambon_code)
    first_tambon = Area.objects.filter(level="tambon", district_code="3701").order_by("code").first()
    assert first_tambon is not None and tambon == first_tambon, "demo-tambon works in the first tambon of 3701"
    tambon_households = Household.objects.active().filter(tambon_code=tambon.code).count()
    assert tambon_households > 0, "the demo tambon always holds households"

    page.goto("/")
    assert path_of(page).startswith("/accounts/login/"), "anonymous visitors are sent to the login form"
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("main h1").inner_text() == thai("Log in to Chumchon")
    shot(page, "01-login")

    page.fill("input[name=username]", "demo-tambon")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert page.locator("main h1").inner_text() == thai("Your areas")
    tile = page.locator(f"a.tile[href='/areas/{tambon.code}/']")
    assert tile.count() == 1, "demo-tambon's home page offers exactly their tambon"
    assert page.locator("a.tile").count() == 1
    assert tile.locator(".tile-name").inner_text() == tambon.display_name
    assert f"{tambon_households:,}" in tile.locator(".tile-sub").inner_text()
    shot(page, "02-home")

    tile.click()
    page.wait_for_url(f"**/areas/{tambon.code}/")
    assert page.locator("main h1").inner_text() == tambon.display_name
    assert page.locator(".stats .stat").first.locator(".num").inner_text() == f"{tambon_households:,}"
    village_links = page.locator(f"main table a[href^='/areas/{tambon.code}']")
    villages = list(Area.objects.filter(parent=tambon).order_by("code"))
    assert village_links.count() == len(villages) > 0
    shot(page, "03-tambon")

    page.set_viewport_size(PHONE)
    scroll_width, inner_width = widths(page)
    shot(page, "04-tambon-phone-360")
    assert inner_width == PHONE["width"]
    assert scroll_width <= PHONE["width"], f"the tambon page scrolls sideways at 360 px ({scroll_width} px wide)"
    page.set_viewport_size(DESKTOP)

    counts = {v.code: Household.objects.active().filter(village=v).count() for v in villages}
    village = next(v for v in villages if counts[v.code] > 0)
    page.click(f"main table a[href='/areas/{village.code}/']")
    page.wait_for_url(f"**/areas/{village.code}/")
    assert page.locator("main h1").inner_text() == village.display_name
    assert page.locator(".stats .stat").first.locator(".num").inner_text() == f"{counts[village.code]:,}"
    assert page.locator(".breadcrumbs").get_by_role("link", name=tambon.display_name).count() == 1
    shot(page, "05-village")

    page.click(f"main a.button[href='/households/area/{village.code}/']")
    page.wait_for_url(f"**/households/area/{village.code}/")
    assert village.display_name in page.locator("main h1").inner_text()
    rows = page.locator("main table tbody tr")
    # The list shows this month's households of the village (households_in_period;
    # those gone before it on request).
    this_month = households_in_period_qs(village.code, current_month(), current_month())
    assert rows.count() == min(this_month.count(), 50)
    expected_codes = list(this_month.order_by("village_id", "code").values_list("code", flat=True)[:50])
    assert [c.strip() for c in rows.locator("td:first-child a").all_inner_texts()] == expected_codes
    shot(page, "06-households")

    household = Household.objects.get(village=village, code=expected_codes[0])
    rows.first.locator("td:first-child a").click()
    page.wait_for_url(f"**/households/{household.pk}/")
    assert household.code in page.locator("main h1").inner_text()
    assert page.locator("main h1").inner_text().startswith(thai("Household"))
    members = household.members.count()
    assert page.locator("main section.card").nth(1).locator("tbody tr").count() == members > 0
    assert page.locator(".breadcrumbs").get_by_role("link", name=village.display_name).count() == 1
    # National IDs are shown masked, never in full.
    for cell in page.locator("main td.mono").all_inner_texts():
        assert not re.fullmatch(r"\d[\d -]{12,}", cell.strip()), f"unmasked national ID on the page: {cell!r}"
    shot(page, "07-household")


def test_district_coordinator_meets_the_area_boundary(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.areas.models import Area
    from chumchon.registry.models import Household

    own = Household.objects.filter(district_code="3701").exclude(tambon_code=demo.tambon_code).order_by("pk").first()
    own = own or Household.objects.filter(district_code="3701").order_by("pk").first()
    assert own is not None
    districts = list(Area.objects.filter(level="district", province_code="37").order_by("code"))
    assert Area.objects.get(code=demo.other_tambon_code).parent_id == districts[1].code, (
        "demo-tambon-other works in a tambon of the province's second district"
    )
    other = Household.objects.filter(tambon_code=demo.other_tambon_code).order_by("pk").first()
    assert other is not None, "demo-tambon-other's tambon always holds households"
    assert other.district_code != "3701" and other.province_code == "37"
    missing_pk = (Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    log_in(page, "demo-district")
    assert path_of(page) == "/"
    shot(page, "01-home")

    response = page.goto(f"/households/{own.pk}/")
    assert response is not None and response.status == 200
    assert own.code in page.locator("main h1").inner_text()
    shot(page, "02-own-district-household")

    response = page.goto(f"/households/{other.pk}/")
    assert response is not None and response.status == 404
    assert page.locator("main h1").inner_text() == thai("Not found")
    assert "ไม่พบ" in page.locator("main").inner_text()
    assert other.code not in page.content()
    other_text, other_title = page.locator("main").inner_text(), page.title()
    shot(page, "03-other-district-404")

    response = page.goto(f"/households/{missing_pk}/")
    assert response is not None and response.status == 404
    assert (page.locator("main").inner_text(), page.title()) == (other_text, other_title), (
        "out of scope must look exactly like does not exist"
    )
    shot(page, "04-missing-404")


def test_language_switch(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-tambon")
    page.goto(f"/areas/{demo.tambon_code}/")
    thai_texts = {
        "logout": thai("Log out"),
        "villages": thai("Villages"),
        "households": thai("households registered"),
    }
    english_texts = {
        "logout": english("Log out"),
        "villages": english("Villages"),
        "households": english("households registered"),
    }

    def ui_texts() -> dict[str, str]:
        headings = [t.strip() for t in page.locator("main section.card h2").all_inner_texts()]
        return {
            "logout": page.locator(".usernav form[action$='/logout/'] button").inner_text().strip(),
            # the villages' card among the page's cards (the to-do list comes first)
            "villages": next((h for h in headings if h in (thai("Villages"), english("Villages"))), ""),
            # "households registered · <the month they are counted for>"
            "households": page.locator(".stats .stat .label").first.inner_text().split("·")[0].strip(),
        }

    assert page.locator("html").get_attribute("lang") == "th"
    assert ui_texts() == thai_texts
    shot(page, "01-thai")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert path_of(page) == f"/areas/{demo.tambon_code}/", "switching language stays on the same page"
    assert ui_texts() == english_texts
    assert page.get_by_role("button", name="English").count() == 0
    shot(page, "02-english")

    page.goto("/")  # the choice sticks for the next pages
    assert page.locator("main h1").inner_text() == english("Your areas")

    page.get_by_role("button", name="ภาษาไทย").click()
    page.wait_for_function("document.documentElement.lang === 'th'")
    assert path_of(page) == "/"
    assert page.locator("main h1").inner_text() == thai("Your areas")
    shot(page, "03-thai-again")


def test_wrong_password_is_refused_in_thai(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-tambon", "not-the-password")
    assert path_of(page).startswith("/accounts/login/")
    alert = page.locator("main [role=alert]")
    assert alert.inner_text().strip() == thai("Wrong username or password.")
    assert page.input_value("input[name=username]") == "demo-tambon"
    assert page.input_value("input[name=password]") == "", "the password is never sent back"
    assert page.locator(".usernav form[action$='/logout/']").count() == 0
    shot(page, "01-refused")

    page.goto("/")
    assert path_of(page).startswith("/accounts/login/"), "still logged out"
    shot(page, "02-still-logged-out")
