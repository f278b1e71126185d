"""The Thai guide (docs/guide-th.md) served as a page, linked from every page's footer;
the favicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve, reverse

from chumchon.access.models import Role
from chumchon.core.guide import guide_links, guide_text, render_markdown
from tests import factories

REPO = Path(__file__).resolve().parents[4]


def test_the_page_renders_the_projects_own_copy():
    docs = REPO / "docs" / "guide-th.md"
    if docs.is_file():  # a checkout (an installed wheel carries the package's copy only)
        assert guide_text() == docs.read_text(encoding="utf-8")
    assert guide_text().startswith("# คู่มือ")


@pytest.mark.parametrize(
    "section", ["งานประจำเดือน", "นำเข้าจากไฟล์ตาราง", "บันทึกแบบฟอร์มกระดาษ", "ปิดเดือน", "พิมพ์เอกสารเวทีเรียนรู้"]
)
def test_the_guide_covers_the_monthly_routine(section):
    _html, toc = render_markdown(guide_text())
    assert section in [title for _slug, title in toc]


def test_every_link_of_the_guide_is_a_page_of_the_app():
    links = guide_links()
    for kind in ("villages", "households", "welfare", "ledgers"):
        assert reverse("imports:template", args=[kind]) in links
    assert reverse("ledgers:paper_form") in links
    for link in links:
        try:
            resolve(link.split("#")[0])
        except Resolver404:  # pragma: no cover - the assertion below says which
            pytest.fail(f"the guide links {link}, which is no page of the app")


def test_markdown_is_escaped_and_only_safe_links_kept():
    html, toc = render_markdown(
        "# T\n\n## ส่วน <b>\n\nข้อความ **หนา** `x<y` [a](/ok) [b](javascript:alert(1))\n\n- หนึ่ง\n- สอง\n\n1. ก\n2. ข\n"
    )
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<strong>หนา</strong>" in html and "<code>x&lt;y</code>" in html
    assert '<a href="/ok">a</a>' in html and "javascript" not in html
    assert "<ul>\n<li>หนึ่ง</li>\n<li>สอง</li>\n</ul>" in html and "<ol>\n<li>ก</li>" in html
    assert [title for _slug, title in toc] == ["ส่วน <b>"]


@pytest.mark.django_db
def test_the_guide_page_and_the_footer_link_and_favicon(client):
    client.force_login(factories.user(Role.VOLUNTEER, factories.village("370101", 1)))
    page = client.get(reverse("guide"))
    assert page.status_code == 200
    assert "<h2" in page.text and "งานประจำเดือน" in page.text
    assert reverse("imports:template", args=["ledgers"]) in page.text
    home = client.get(reverse("areas:home"))
    assert f'href="{reverse("guide")}"' in home.text  # the footer of every page
    assert 'rel="icon" href="/static/chumchon/img/favicon.svg"' in home.text
    assert finders.find("chumchon/img/favicon.svg")
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"].endswith("favicon.svg")


@pytest.mark.django_db
def test_the_guide_asks_for_a_login_like_every_page(client):
    response = client.get(reverse("guide"))
    assert response.status_code == 302 and reverse("access:login") in response["Location"]
    assert client.get("/favicon.ico").status_code == 301  # no login for the icon
