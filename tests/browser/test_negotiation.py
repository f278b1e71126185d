"""In a real browser: a tambon officer runs the match of the tambon's items to the
programmes, records a partner negotiation forum with CODI present (a BE date typed),
records CODI's answer for the house repairs, takes an accepted item a step along the
funding ledger, and prints the negotiation pack."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Demo
from tests.browser.test_main_paths import Shot, log_in, thai

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_an_officer_runs_a_match_and_records_a_negotiation_outcome(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.demo.matching import HOUSE_TITLE
    from chumchon.matching.models import Match, MatchRun, Negotiation, Programme
    from chumchon.plans.models import PlanItem

    code = demo.tambon_code
    house = PlanItem.objects.get(title=HOUSE_TITLE, tambon_code=code)
    year = house.fiscal_year
    codi = Programme.objects.get(programme_type="CODI06", fiscal_year=year)
    runs = MatchRun.objects.filter(area_id=code).count()
    log_in(page, "demo-tambon")

    page.goto(f"/matching/area/{code}/?year={year}")
    shot(page, "01-match-page")
    with page.expect_navigation():
        page.click(f"button:has-text('{thai('Run the match')}')")
    assert MatchRun.objects.filter(area_id=code).count() == runs + 1
    assert page.locator("[data-run-status]").get_attribute("data-run-status") in ("optimal", "feasible")
    row = page.locator(f"tr[data-item='{house.pk}']")
    assert codi.code in row.inner_text()  # CODI's บ้านพอเพียง pays half the house repairs
    shot(page, "02-match-run")

    page.click(f"text={thai('Partner negotiation forums')}")
    page.fill("input[name=held_on]", "25/04/2567")
    page.fill("input[name=place]", "ศาลาประชาคมตำบล")
    page.check(f"input[name=bodies][value='{codi.body_id}']")
    shot(page, "03-negotiation-form")
    with page.expect_navigation():
        page.click(f"button:has-text('{thai('Record the forum')}')")
    negotiation = Negotiation.objects.order_by("-pk").first()
    assert negotiation is not None and negotiation.held_on.isoformat() == "2024-04-25"
    cell = page.locator(f"tr[data-item='{house.pk}'][data-body='{codi.body_id}']")
    assert cell.locator("[data-stage]").get_attribute("data-stage") == "presented"
    shot(page, "04-negotiation-board")

    cell.locator("summary").click()
    cell.locator("select[name=outcome]").select_option("accepted")
    assert cell.locator("input[name=amount]").input_value() == "40,000.00"  # the suggestion
    cell.locator("input[name=conditions]").fill("ชุมชนสมทบแรงงานซ่อมบ้าน")
    with page.expect_navigation():
        cell.locator(f"button:has-text('{thai('Record')}')").click()
    match = Match.objects.get(item=house, body=codi.body)
    assert (match.stage, str(match.amount), match.conditions) == ("accepted", "40000.00", "ชุมชนสมทบแรงงานซ่อมบ้าน")
    house.refresh_from_db()
    assert house.status == "adopted_in_principle"
    assert (
        page.locator(f"tr[data-item='{house.pk}'][data-body='{codi.body_id}'] [data-stage]").get_attribute("data-stage")
        == "accepted"
    )
    shot(page, "05-outcome-recorded")

    page.click(f"text={thai('Funding ledger')}")
    step = page.locator(f"tr#match-{match.pk}")
    step.locator("summary").click()
    step.locator("select[name=stage]").select_option("disbursed")
    step.locator("input[name=on]").fill("30/04/2567")
    with page.expect_navigation():
        step.locator("button[type=submit]").click()
    match.refresh_from_db()
    assert match.stage == "disbursed" and match.steps.last().on.isoformat() == "2024-04-30"
    house.refresh_from_db()
    assert house.status == "funded"
    shot(page, "06-ledger")

    page.goto(f"/matching/negotiations/{negotiation.pk}/")
    with page.expect_response(lambda r: "/pack.pdf" in r.url) as response:
        page.click(f"text={thai('Print the negotiation pack (PDF)')}", no_wait_after=True)
    assert (response.value.status, response.value.header_value("content-type")) == (200, "application/pdf")


def test_the_tambon_page_names_the_next_deadline_and_the_late_steps(page: Page, demo: Demo, shot: Shot) -> None:
    code = demo.tambon_code
    log_in(page, "demo-tambon")
    page.goto(f"/areas/{code}/")
    page.locator("#calendar-summary h2").wait_for()  # loaded after the page, by HTMX
    summary = page.locator("#calendar-summary").inner_text()
    assert thai("Budget calendar") in summary and thai("Next deadline") in summary
    shot(page, "01-tambon-page")
    page.click(f"#calendar-summary a:has-text('{thai('The whole calendar')}')")
    page.locator("#dues-h").wait_for()
    assert page.locator("tr[data-date=draft_to_council_by]").count() >= 1
    shot(page, "02-calendar")
    # The demo's plans are for 2567, long past: their open steps are late.
    page.goto(f"/matching/area/{code}/calendar/?year=2567")
    assert page.locator("[data-late]").count() >= 1
    shot(page, "03-calendar-2567")
