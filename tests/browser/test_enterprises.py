"""Household businesses in a real browser: the tambon page loads its block of
enterprise figures by itself (HTMX), and a household's page links its enterprises.

Figures are computed here from the database, not read from UI strings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Demo
from tests.browser.test_main_paths import log_in, path_of

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Shot = Callable[..., Path]


def test_tambon_page_shows_household_businesses_and_a_household_links_its_own(
    page: Page, demo: Demo, shot: Shot
) -> None:
    from django.urls import reverse

    from chumchon.ledgers.models import Enterprise, LedgerEntry

    tambon = demo.tambon_code
    kinds = set(
        LedgerEntry.objects.filter(tambon_code=tambon, enterprise__isnull=False).values_list(
            "enterprise__kind", flat=True
        )
    )
    assert kinds, "the demo tambon keeps enterprise accounts"
    log_in(page, "demo-tambon")
    page.goto(f"/areas/{tambon}/")
    page.wait_for_selector("#enterprises-block table")
    rows = page.locator("#enterprises-block table").first.locator("tbody tr")
    assert rows.count() == len(kinds)
    shot(page, "01-tambon-businesses")

    enterprise = Enterprise.objects.filter(household__tambon_code=tambon).select_related("household").first()
    assert enterprise is not None
    href = reverse("ledgers:enterprise", args=[enterprise.household_id, enterprise.pk])
    page.goto(reverse("registry:detail", args=[enterprise.household_id]))
    link = page.locator(f"a[href='{href}']")
    assert link.first.inner_text() == enterprise.name
    link.first.click()
    page.wait_for_load_state()
    assert path_of(page) == href
    shot(page, "02-enterprise")
