"""The insights pages: the dashboard, the rows behind a figure, the figure map.

The figures themselves are checked against an independent computation in
test_dashboard.py; here: what each reader sees, the links, the audit, the span, the
query count, and that the map's SVG carries no text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights import cache as results_cache
from chumchon.insights.dashboard import ChildValue
from chumchon.insights.maps import HIDDEN_FILL, HIDDEN_SWATCH, NEGATIVE_COLOUR, figure_map_svg, format_value
from chumchon.insights.views.common import parse_figure, span_from
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Debt
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON = "370101"
V1, V2, V3 = "37010101", "37010102", "37010201"  # two villages of the tambon, one of the next tambon
FIG_LINK = re.compile(r'<a class="fig" href="([^"]+)"')


def _lines(month: dt.date, n: int) -> list[LineInput]:
    """One month of a household: wages, eggs, rice, alcohol, fertiliser, interest."""
    return [
        LineInput(date=month.replace(day=3), category="I01", amount=Decimal(9000 + 100 * n)),
        LineInput(date=month.replace(day=5), category="C02", amount=Decimal(300 + 10 * n)),
        LineInput(date=month.replace(day=6), category="C01", amount=Decimal(800)),
        LineInput(date=month.replace(day=7), category="C08", amount=Decimal(200 * (n % 3))),
        LineInput(date=month.replace(day=8), category="P02", amount=Decimal(1500)),
        LineInput(date=month.replace(day=9), category="F02", amount=Decimal(250)),
    ]


@pytest.fixture
def world() -> dict[str, list]:
    """Six households in V1, six in V2, three in V3; accounts for Jan–Mar 2024 (the
    households of V2 also in March 2023); debts for some."""
    actor = Actor.system("test")
    out: dict[str, list] = {}
    for code, count in ((V1, 6), (V2, 6), (V3, 3)):
        village = factories.village(code[:6], int(code[6:]))
        Area.objects.filter(code=code).update(
            lat=Decimal("15.86") + Decimal(int(code[-1])) / 100, lon=Decimal("104.62") + Decimal(int(code[-3])) / 50
        )
        households = [factories.household(village, occupation_group="O01" if i % 2 else "O06") for i in range(count)]
        for n, h in enumerate(households):
            months = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)]
            if code == V2:
                months.append(dt.date(2023, 3, 1))
            lines = [line for m in months for line in _lines(m, n) if line.amount > 0]
            ledger_entries_add(actor=actor, household=h, lines=lines)
            if n % 2 == 0:
                Debt.objects.create(
                    household=h, source="D01", principal=Decimal(40000 + n), interest_rate=Decimal(7),
                    monthly_payment=Decimal(1200), as_of=dt.date(2024, 1, 1),
                )  # fmt: skip
        out[code] = households
    return out


def strip_tokens(html: bytes) -> str:
    """The page minus what differs per request: CSRF tokens and the echoed own URL."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|name="next" value=")[^"]+', r"\1", html.decode())


def client_for(role: str | None, area: str | None) -> Client:
    client = Client()
    user = factories.admin() if role == Role.ADMIN else factories.user(role, area)
    client.force_login(user)
    return client


def dashboard_url(code: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"from": "2024-01", "to": "2024-03", **params}.items())
    return f"{reverse('insights:dashboard', args=[code])}?{query}"


# --- the dashboard ---------------------------------------------------------------------


def test_tambon_dashboard_shows_the_figures_in_thai_with_buddhist_era_months(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(dashboard_url(TAMBON))
    assert response.status_code == 200
    html = response.content.decode()
    tambon = Area.objects.get(code=TAMBON)
    assert tambon.display_name in html
    assert "มกราคม 2567 – มีนาคม 2567" in html  # the span, Buddhist Era
    # 12 households registered and reporting in the tambon.
    counts = re.findall(
        r'<span class="num"><a class="fig" href="[^"]*figure=(households|reporting)[^"]*"[^>]*>(\d+)</a>', html
    )
    assert counts == [("households", "12"), ("reporting", "12")]
    for section in (
        "income",
        "spending",
        "avoidable",
        "local-food",
        "categories",
        "production",
        "debts",
        "repayment",
        "trend",
        "map",
    ):
        assert f'id="{section}"' in html, section
    opportunities = response.context["d"].opportunities
    assert opportunities and all(o.sentence in html for o in opportunities)  # "this tambon buys eggs for ฿…"
    assert "<text" not in html  # the trend chart is shapes only


def test_every_number_links_to_rows_that_open(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    html = client.get(dashboard_url(TAMBON)).content.decode()
    links = sorted({unescape(h) for h in FIG_LINK.findall(html)})
    figures = {parse_qs(urlsplit(link).query)["figure"][0] for link in links}
    assert {"households", "reporting", "income", "expense", "surplus", "deficit", "category", "avoidable"} <= figures
    assert {"debt", "debt_source", "interest", "occupation", "production"} <= figures
    for link in links:
        assert client.get(link).status_code == 200, link


def test_default_span_is_the_last_twelve_months_with_data(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(reverse("insights:dashboard", args=[TAMBON]))
    assert response.status_code == 200
    span = response.context["span"]
    assert (span.start, span.end) == (Month(2023, 4), Month(2024, 3))
    assert "เมษายน 2566 – มีนาคม 2567" in response.content.decode()


def test_same_month_last_year_and_trend(world):
    client = client_for(Role.TAMBON_STAFF, V2)
    response = client.get(dashboard_url(V2))
    d = response.context["d"]
    assert d.same_month_last_year is not None
    assert d.same_month_last_year.previous == Month(2023, 3)
    html = response.content.decode()
    assert "มีนาคม 2566" in html
    assert len(response.context["trend"]) == 3
    assert html.count('class="inc"') == 3 and html.count('class="exp"') == 3


def test_village_is_compared_with_its_tambon_and_district(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(dashboard_url(V1))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="compare"' in html
    d = response.context["d"]
    assert d.comparisons
    for c in d.flagged:
        assert c.sentence in html


def test_out_of_scope_is_the_same_404_as_missing(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    missing = client.get(dashboard_url("99999999"))
    other = client.get(dashboard_url(V3))
    assert missing.status_code == other.status_code == 404
    assert strip_tokens(missing.content) == strip_tokens(other.content)


def test_aggregate_reader_sees_no_links_and_no_small_cells(world):
    client = client_for(Role.AGENCY, "37")
    before = AuditEvent.objects.count()
    html = client.get(dashboard_url(TAMBON)).content.decode()
    assert 'class="fig"' not in html
    assert reverse("insights:rows", args=[TAMBON]) not in html
    # The tambon's 12 households are hidden beside the 3 of the district's other tambon
    # (the district's 15 less 12 would give the 3 back); the district's 15 are shown.
    assert ">12<" not in html
    assert ">15<" in client.get(dashboard_url("3701")).content.decode()
    # V3 has 3 reporting households: every amount and count is hidden.
    response = client.get(dashboard_url(V3))
    small = response.content.decode()
    assert response.context["d"].suppressed
    assert 'class="fig"' not in small
    assert "฿" not in re.sub(r"<select.*?</select>", "", small, flags=re.S)
    assert ">3<" not in small
    assert AuditEvent.objects.count() == before  # aggregates are not audited


def test_htmx_span_change_returns_the_body_only(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(dashboard_url(TAMBON, to="2024-02"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-body")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-body"')
    assert "<html" not in html and "breadcrumbs" not in html
    assert "HX-Request" in response["Vary"]


def test_query_counts_are_pinned_and_do_not_grow_with_the_data(world, django_assert_max_num_queries):
    """The dashboard is one call into the computation layer: 16 queries for a tambon, 18
    for a village (its comparisons) on this data, whatever the number of villages,
    households or lines; the map and the rows pages likewise. Measured with the cache of
    computed results (chumchon.insights.cache) empty; a repeat is served from it."""
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    client.get(dashboard_url(TAMBON))  # warm the session
    with django_assert_max_num_queries(10):
        assert client.get(dashboard_url(TAMBON)).status_code == 200  # the same result again: cached

    def counts() -> list[int]:
        out = []
        for url in (
            dashboard_url(TAMBON),
            dashboard_url(V1),
            reverse("insights:map", args=[TAMBON]) + "?from=2024-01&to=2024-03&figure=income",
            rows_url(TAMBON, figure="income"),
        ):
            results_cache.clear()
            # 5 of them the cache's versions, twice; 4 the month's coverage (the warning
            # at the top and the pack's default month: ledgers.selectors.area_month_coverage
            # — the months' households, two, who reported, which months are closed); up to
            # four the registry's version, the key of each households' count in the cache;
            # 6 for each result missed in the shared tier of the cache (the dashboard, the
            # page's body, and what is kept beside them for every process: the households'
            # counts, who reported by month, the small-cell patterns): its read, and its
            # write (the savepoint, the table's size for culling, the row's lookup and its
            # insert) — on a first request only, with both tiers emptied as here.
            with django_assert_max_num_queries(63) as captured:
                assert client.get(url).status_code == 200
            out.append(len(captured.captured_queries))
        return out

    before = counts()
    actor = Actor.system("test")
    for no in (3, 4):
        village = factories.village(TAMBON, no)
        for n in range(4):
            h = factories.household(village, debts=1)
            lines = [line for line in _lines(dt.date(2024, 2, 1), n) if line.amount > 0]
            ledger_entries_add(actor=actor, household=h, lines=lines)
    assert counts() == before


def test_area_page_and_home_link_to_the_dashboard(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    url = reverse("insights:dashboard", args=[TAMBON])
    assert url in client.get(reverse("areas:detail", args=[TAMBON])).content.decode()
    assert url in client.get(reverse("areas:home")).content.decode()


# --- the rows behind a figure ------------------------------------------------------------


def rows_url(code: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"from": "2024-01", "to": "2024-03", **params}.items())
    return f"{reverse('insights:rows', args=[code])}?{query}"


def test_rows_list_households_and_entries_and_are_audited(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    before = AuditEvent.objects.count()
    response = client.get(rows_url(V1, figure="category", category="C02"))
    assert response.status_code == 200
    html = response.content.decode()
    for h in world[V1]:
        assert h.code in html
    assert "ไข่" in html
    assert response.context["entries"].paginator.count == 18  # 6 households × 3 months of eggs
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.area_code) == ("view", "figure_rows", V1)
    assert sorted(event.detail["households"]) == sorted(h.pk for h in world[V1])
    assert event.detail["figure"] == "category" and event.detail["category"] == "C02"
    assert len(event.detail["entries"]) == 18


def test_rows_accept_the_pickers_figure_key_and_paginate_entries(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(rows_url(TAMBON, figure="income"))
    assert response.context["entries"].paginator.count == 36
    page2 = client.get(rows_url(TAMBON, figure="income", entries_page="2"))
    assert page2.context["entries"].number == 1  # 36 lines fit one page of 50
    response = client.get(rows_url(TAMBON, figure="category:C08"))
    assert response.status_code == 200
    assert response.context["category"] == "C08"


def test_rows_for_aggregate_readers_and_outsiders_are_404_and_not_audited(world):
    before = AuditEvent.objects.count()
    agency = client_for(Role.AGENCY, "37")
    assert agency.get(rows_url(TAMBON, figure="income")).status_code == 404
    volunteer = client_for(Role.VOLUNTEER, V1)
    assert volunteer.get(rows_url(V2, figure="income")).status_code == 404
    assert volunteer.get(rows_url(V1, figure="income")).status_code == 200
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize(
    "params", [{"figure": "nonsense"}, {"figure": "category"}, {}, {"figure": "category", "category": "<x>"}]
)
def test_rows_of_an_unknown_figure_are_404(world, params):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    assert client.get(rows_url(TAMBON, **params)).status_code == 404


def test_debt_rows_have_households_without_entries(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(rows_url(V1, figure="debt_source", category="D01"))
    assert response.status_code == 200
    assert len(response.context["households"].object_list) == 3
    assert response.context["entries"].paginator.count == 0


# --- the figure map -------------------------------------------------------------------------


def test_map_fragment_draws_villages_as_bubbles_with_a_legend(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    url = reverse("insights:map", args=[TAMBON]) + "?from=2024-01&to=2024-03&figure=income"
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="figure-map"')
    # two villages as bubbles, and the bubble scale's reference circles (no fill)
    assert html.count('fill-opacity="0.85"') == 2
    assert html.count("<circle") - 2 == html.count('fill="none" stroke="#5b6a72"') >= 1
    assert 'class="legend"' in html
    # the names are on the map as text (a browser renders Thai in SVG), the unit in the legend
    assert ">ม.1 " in html and ">ม.2 " in html and "<text" in html
    assert "บาทต่อครัวเรือนต่อเดือน" in html
    for code in (V1, V2):
        assert reverse("insights:dashboard", args=[code]) in html
    page = client.get(url)
    assert "<html" in page.content.decode() and page.context["picture"].mode == "bubbles"


def test_map_of_a_village_says_there_is_nothing_smaller(world):
    client = client_for(Role.TAMBON_STAFF, TAMBON)
    response = client.get(reverse("insights:map", args=[V1]) + "?figure=avoidable")
    assert response.status_code == 200
    assert response.context["picture"] is None


def test_map_hides_small_villages_from_aggregate_readers(world):
    client = client_for(Role.AGENCY, "37")
    response = client.get(reverse("insights:map", args=["3701"]) + "?from=2024-01&to=2024-03&figure=income")
    assert response.context["span"].start == Month(2024, 1)  # Jan–Mar is a fiscal quarter (Q2): published
    entries = {e.area.code: e for e in response.context["picture"].entries}
    # hidden, not "no data" and not zero: hatched, and says so
    assert entries["370102"].value is None and entries["370102"].hidden
    assert entries["370102"].colour == HIDDEN_SWATCH and entries["370102"].text == "ปกปิด"
    assert HIDDEN_FILL in response.context["picture"].svg
    assert any(item.colour == HIDDEN_SWATCH for item in response.context["picture"].legend)
    # The small tambon's only sibling with accounts: its value would give the small one's
    # back from the district's, so it is hidden too (insights.disclosure).
    assert entries[TAMBON].value is None and entries[TAMBON].hidden
    staff = client_for(Role.PROVINCE_COORDINATOR, "37").get(
        reverse("insights:map", args=["3701"]) + "?from=2024-01&to=2024-03&figure=income"
    )
    assert {e.area.code: e for e in staff.context["picture"].entries}[TAMBON].value is not None


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_figure_map_svg_uses_boundaries_and_writes_names_as_paths_for_pdf(world):
    tambon = Area.objects.get(code=TAMBON)
    v1, v2 = Area.objects.get(code=V1), Area.objects.get(code=V2)
    v1.boundary = _square(104.6, 15.8)
    values = [
        ChildValue(area=v1, value=Decimal("120.50"), reporting=6),
        ChildValue(area=v2, value=Decimal("-40"), reporting=6),
    ]
    picture = figure_map_svg(tambon, values, figure="surplus", for_pdf=True)
    assert picture.mode == "mixed"
    assert "<path" in picture.svg and "<circle" in picture.svg and "<text" not in picture.svg
    # both names drawn as glyph outlines (placed with <use>), labelled for a reader of the SVG
    assert f'aria-label="{v1.map_name}"' in picture.svg and f'aria-label="{v2.map_name}"' in picture.svg
    assert "<use href=" in picture.svg
    on_page = figure_map_svg(tambon, values, figure="surplus")
    assert f">{v1.map_name}</text>" in on_page.svg and "<use href=" not in on_page.svg
    assert [e.area.code for e in picture.entries] == [V1, V2]
    assert picture.entries[1].colour == NEGATIVE_COLOUR
    assert picture.entries[0].text == "฿121" and picture.entries[1].text == "-฿40"
    assert any(item.colour == NEGATIVE_COLOUR for item in picture.legend)


def test_figure_map_classes_many_values_into_five(world):
    tambon = Area.objects.get(code=TAMBON)
    village = Area.objects.get(code=V1)
    values = [ChildValue(area=village, value=Decimal(v), reporting=6) for v in range(1, 21)]
    values.append(ChildValue(area=village, value=None, reporting=None))
    picture = figure_map_svg(tambon, values, figure="income")
    assert len(picture.legend) == 6  # five classes and "no data"
    assert picture.legend[-1].label == "ไม่มีข้อมูล" and picture.unit == "บาทต่อครัวเรือนต่อเดือน"
    assert len({e.colour for e in picture.entries}) == 6
    assert picture.legend[0].label == "ไม่เกิน ฿4"  # Thai, the default language


def test_format_value_units():
    assert format_value(Decimal("1234.5"), "money_phm") == "฿1,235"
    assert format_value(Decimal("0.1234"), "share") == "12.3%"
    assert format_value(12, "count") == "12"
    assert format_value(None, "money") == "—"


# --- the span and the figure key ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("from=2567-01&to=2567-03", Month(2024, 1), Month(2024, 3)),  # Buddhist Era
        ("from=2024-03&to=2024-01", Month(2024, 1), Month(2024, 3)),  # swapped
        ("to=2024-02", Month(2023, 3), Month(2024, 2)),
        ("from=2023-06", Month(2023, 6), Month(2024, 3)),  # ends with the last month with data
        ("from=1990-01&to=2024-03", Month(2014, 4), Month(2024, 3)),  # at most ten years
        ("from=junk&to=also-junk", Month(2023, 4), Month(2024, 3)),  # the default
    ],
)
def test_span_from_params(world, query, start, end):
    span = span_from(QueryDict(query), TAMBON)
    assert (span.start, span.end) == (start, end)


def test_span_without_data_ends_last_month(world):
    """No accounts at all: the default month is last month (``area_default_month``, the
    one definition), never the current month still open."""
    with time_machine.travel(dt.datetime(2024, 4, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        span = span_from(QueryDict(""), "34010101")
    assert span.end == Month(2024, 3)
    assert span.months == 12


def test_parse_figure():
    assert parse_figure(QueryDict("figure=category:C08")) == ("category", "C08")
    assert parse_figure(QueryDict("figure=income&category=C08")) == ("income", None)
    assert parse_figure(QueryDict("figure=debt&category=D01")) == ("debt", "D01")
