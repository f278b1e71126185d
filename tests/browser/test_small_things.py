"""Pages that must fit the screens they are used on, in a real browser: the completeness
page at 1280 px (offering "close" only for months that have ended), the staff grid and
the audit log at 360 px; an administrator's first page; the guide in the footer.

"Fits" means the page itself does not scroll sideways; a wide table may scroll inside
its own box (the audit log at 360 px does), the completeness table does not even that.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.browser.conftest import DESKTOP, PHONE, Demo
from tests.browser.test_main_paths import log_in, thai, widths

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]


def test_the_completeness_page_fits_1280_and_closes_only_ended_months(page: Page, demo: Demo, shot: Shot) -> None:
    from chumchon.areas.models import Area
    from chumchon.core.thai import Month

    log_in(page, "demo-tambon")
    this_month = Month.of(timezone.localdate())
    page.goto(f"/ledgers/completeness/{demo.tambon_code}/?to={this_month.iso()}")
    assert page.viewport_size == DESKTOP
    shot(page, "01-completeness-1280")
    scroll_width, inner_width = widths(page)
    assert scroll_width <= inner_width == 1280, f"the page scrolls sideways at 1280 px ({scroll_width} px)"
    box, table = page.evaluate(
        "() => { const t = document.querySelector('table.completeness');"
        " return [t.parentElement.clientWidth, t.scrollWidth]; }"
    )
    assert table <= box, f"the table is wider ({table} px) than its box ({box} px)"
    villages = Area.objects.filter(parent_id=demo.tambon_code).count()
    close = page.locator("form.month-form button[value=close]")
    assert close.count() == villages * 11  # every village, every month but this one
    this_months_forms = page.locator(f"form[action$='/{this_month.iso()}/']")
    assert this_months_forms.count() == 0, "this month cannot be closed yet"
    assert close.first.inner_text() == thai("Close") == "ปิดเดือน"


def test_the_staff_grid_fits_360(page: Page, demo: Demo, shot: Shot) -> None:
    """It was 402 px wide at 360: the saved lines' hidden headings escaped their box and
    the new lines' six columns did not fit."""
    from chumchon.registry.models import Household

    household = Household.objects.active().filter(tambon_code=demo.tambon_code).order_by("code").first()
    assert household is not None
    log_in(page, "demo-tambon")
    page.set_viewport_size(PHONE)
    page.goto(f"/ledgers/household/{household.pk}/2024-03/")
    shot(page, "01-grid-360")
    scroll_width, inner_width = widths(page)
    assert inner_width == 360
    assert scroll_width <= 360, f"the grid page scrolls sideways at 360 px ({scroll_width} px)"
    grid_right = page.evaluate("() => document.querySelector('table.entry-grid').getBoundingClientRect().right")
    assert grid_right <= 360, "the new lines' grid fits without scrolling"
    assert page.locator("a[href='/ledgers/paper-form.pdf']").count() >= 1


def test_an_administrator_lands_on_the_overview_and_the_audit_log_fits_360(page: Page, demo: Demo, shot: Shot) -> None:
    log_in(page, "demo-admin")
    assert urlsplit(page.url).path == "/accounts/admin/"
    assert page.locator("main h1").inner_text() == thai("Administration")
    shot(page, "01-overview")
    page.set_viewport_size(PHONE)
    page.goto("/accounts/audit/")
    shot(page, "02-audit-360")
    scroll_width, inner_width = widths(page)
    assert inner_width == 360
    assert scroll_width <= 360, f"the audit log scrolls sideways at 360 px ({scroll_width} px)"
    cells = page.locator("table.audit-log tbody td:nth-child(3)").all_inner_texts()
    assert cells and all("_" not in cell.split("#")[0] for cell in cells), "object codes shown raw"
    page.set_viewport_size(DESKTOP)
    page.locator("footer a[href='/guide/']").click()
    page.wait_for_url("**/guide/")
    assert page.locator("article.guide h1").inner_text().startswith("คู่มือ")
    shot(page, "03-guide")
