"""The category picker in a real browser: what the grid's list and the phone form offer
for words typed is the one ranking (``categories_for_text``) that the imports and the
API use, with the household's history; the issue's words pick right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browser.conftest import Demo
from tests.browser.test_main_paths import log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]


def listed(page: Page, text: str) -> list[str]:
    """Type ``text`` into the first line's category box; the codes the list then offers."""
    box = page.locator("tr.entry-row >> nth=0 >> .e-cat")
    box.click()
    box.fill("")
    page.keyboard.type(text)
    listbox = page.locator("#category-listbox")
    listbox.wait_for(state="visible")
    # The list shows the answer for what is in the box now (not for a shorter prefix).
    page.wait_for_function(
        "t => { const l = document.getElementById('category-listbox');"
        " return l && !l.hidden && l.parentNode.querySelector('.e-cat').value === t; }",
        arg=text,
    )
    return list(listbox.locator("[role=option]").evaluate_all("els => els.map(e => e.dataset.code)"))


def ranking(text: str, household_id: int) -> list[str]:
    from chumchon.ledgers.selectors import categories_for_text

    return [p.category.code for p in categories_for_text(text, household_id=household_id)]


def test_the_grid_and_the_phone_offer_the_one_ranking(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.access.services import Actor
    from chumchon.areas.models import Area
    from chumchon.ledgers.services import LineInput, ledger_entries_add

    village = Area.objects.get(code=f"{demo.tambon_code}01")
    household = factories.household(village, code="PICK-1", members=1)  # no history yet
    log_in(page, "demo-tambon")
    assert page.goto(f"/ledgers/household/{household.pk}/2024-03/").status == 200

    # The words: the everyday meaning first, and never "nothing" for เหล้า.
    expected_first = {"ดอกเบี้ย": "F02", "น้ำมัน": "C13", "อาหาร": "C05", "เหล้า": "C08", "ขายข้าว": "I02"}
    for text, code in expected_first.items():
        offered = listed(page, text)
        assert offered == ranking(text, household.pk), text
        assert offered[0] == code, (text, offered)
    assert listed(page, "น้ำมัน")[:3] == ["C13", "C06", "P06"]
    shot(page, "01-grid-list", full_page=False)

    # Enter at once after typing takes the first category of the ranking.
    page.keyboard.press("Escape")  # the list over the next line closes
    box = page.locator("tr.entry-row >> nth=1 >> .e-cat")
    box.click()
    page.keyboard.type("เหล้าขาว")
    page.keyboard.press("Enter")
    page.keyboard.type("2 ขวด")
    page.wait_for_function("() => document.querySelectorAll('tr.entry-row')[1].querySelector('.e-cat').value === 'C08'")
    assert page.input_value("tr.entry-row >> nth=1 >> .e-item") == "2 ขวด"
    assert page.locator("tr.entry-row >> nth=1 >> .cat-name").inner_text() == "เครื่องดื่มแอลกอฮอล์"

    # What the household wrote before comes first: its อาหาร is its pigs' feed.
    ledger_entries_add(
        actor=Actor.system("test"),
        household=household,
        lines=[LineInput(date=dt.date(2024, 3, 2), category="P04", item="อาหาร", amount=Decimal("550"))],
        source="keyed",
    )
    page.goto(f"/ledgers/household/{household.pk}/2024-03/")
    offered = listed(page, "อาหาร")
    assert offered[:2] == ["P04", "C05"] and offered == ranking("อาหาร", household.pk)

    # The phone form: the same ranking under the item, a tap chooses the category.
    assert page.goto(f"/ledgers/phone/{household.pk}/").status == 200
    page.fill("#ph-item", "")
    page.locator("#ph-item").press_sequentially("เหล้าขาว")
    suggest = page.locator("#ph-suggest")
    suggest.wait_for(state="visible")
    codes = suggest.locator("button").evaluate_all("els => els.map(e => e.dataset.code)")
    assert codes == ranking("เหล้าขาว", household.pk)[:3] and codes[0] == "C08"
    suggest.locator("button >> nth=0").click()
    chosen = page.evaluate(
        "() => { const r = document.querySelector('input[name=category]:checked');"
        " return r ? r.value : document.getElementById('ph-other').value; }"
    )
    assert chosen == "C08"
    shot(page, "02-phone-suggest", full_page=False)
