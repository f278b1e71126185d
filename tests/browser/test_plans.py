"""In a real browser: a facilitator records a village's learning forum (a BE date typed
and picked), turns one of the pack's questions into a problem with its figure attached,
proposes an item for it, cites another figure, and prints the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Demo
from tests.browser.test_main_paths import Shot, log_in, thai

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_a_facilitator_goes_from_a_forum_to_a_printed_plan(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.areas.selectors import villages_of
    from chumchon.plans.models import Evidence, Finding, Forum, PlanItem

    village = villages_of(demo.tambon_code).first()
    assert village is not None
    forums_before = Forum.objects.count()
    log_in(page, "demo-tambon")
    page.goto(f"/areas/{demo.tambon_code}/")
    page.locator("#plans-summary h2").wait_for()  # loaded after the page, by HTMX
    shot(page, "01-tambon-forums")

    page.goto(f"/plans/area/{village.code}/forums/add/")
    page.fill("input[name=held_on]", "05/04/2567")
    page.fill("input[name=month]", "2567-03")
    page.select_option("select[name=mechanism]", "village_committee")
    page.fill("input[name=place]", "ศาลาประชาคมหมู่บ้าน")
    page.fill("input[name=facilitators]", "นางสาวใจดี มีสุข")
    page.fill("input[name=attendance]", "28")
    page.fill("textarea[name=minutes]", "อ่านข้อมูลบัญชีครัวเรือนเดือนมีนาคม")
    shot(page, "02-forum-form")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert Forum.objects.count() == forums_before + 1
    forum = Forum.objects.order_by("-pk").first()
    assert forum is not None and forum.held_on.isoformat() == "2024-04-05"
    assert "ศาลาประชาคมหมู่บ้าน" in page.locator("main").inner_text()
    shot(page, "03-forum")

    button = page.locator("button[data-question=local_food]")
    with page.expect_navigation():
        button.click()
    problem = Finding.objects.get(forum=forum, question_key="local_food")
    cited = Evidence.objects.get(finding=problem)
    assert cited.value_cited is not None and cited.value_cited > 0
    assert page.locator("button[data-question=local_food]").count() == 0
    shot(page, "04-problem-with-evidence")

    page.click(f"text={thai('Propose an item for this problem')}")
    page.fill("input[name=title]", "กลุ่มเลี้ยงไก่ไข่บ้านเรา")
    page.check("input[name=actor][value=group]")
    page.fill("input[name=households]", "12")
    page.fill("input[name=owner]", "นายสมศักดิ์ ขยันดี")
    page.fill("textarea[name=team]", "นางสาวใจดี มีสุข\nนายมานะ อดทน\nนางสมใจ รักถิ่น")
    shot(page, "05-item-form")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    item = PlanItem.objects.get(title="กลุ่มเลี้ยงไก่ไข่บ้านเรา")
    assert item.problem_id == problem.pk and item.households == 12
    assert page.locator("#evidence td").first.inner_text()  # the problem's figure is the item's evidence

    page.select_option("select[name=figure]", "households_reporting")
    page.fill("#evidence input[name=start]", "2567-01")
    page.fill("#evidence input[name=end]", "2567-03")
    with page.expect_navigation():
        page.click(f"#evidence button:has-text('{thai('Cite')}')")
    assert Evidence.objects.filter(item=item, figure="households_reporting").exists()
    shot(page, "06-item-with-evidence")

    page.goto(f"/plans/area/{village.code}/?year=2567")
    assert page.locator(".actor-block").count() == 4
    shot(page, "07-plan")
    with page.expect_response(lambda r: "/plan.pdf" in r.url) as response:
        page.click(f"text={thai('Print the plan (PDF)')}", no_wait_after=True)
    assert (response.value.status, response.value.header_value("content-type")) == (200, "application/pdf")
