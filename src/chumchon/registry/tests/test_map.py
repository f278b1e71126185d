"""Maps: points for tambon staff, bubbles for everyone else, uploaded boundaries."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.areas.models import Area
from chumchon.core import maps
from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, 15.8], [104.7, 15.8], [104.7, 15.9], [104.6, 15.9], [104.6, 15.8]]],
}


def located(village, n, lat="15.85", lon="104.65", **kw):
    return [factories.household(village, members=1, lat=Decimal(lat), lon=Decimal(lon), **kw) for _ in range(n)]


def test_draw_fits_points_and_has_no_text_without_labels():
    picture = maps.draw(
        points=[maps.Point(104.6, 15.8, "#000"), maps.Point(104.7, 15.9, "#111")], width=200, height=100
    )
    assert picture.svg.count("<circle") == 2 and "<text" not in picture.svg
    assert maps.draw().empty
    assert maps.geometry_is_valid(SQUARE) and not maps.geometry_is_valid({"type": "Point", "coordinates": [1, 2]})
    assert maps.centroid(SQUARE) == pytest.approx((104.64, 15.84))
    assert maps.bubble_radius(25, 100, max_radius=20) == pytest.approx(10)


def test_tambon_staff_see_household_points_coloured_by_dimensions(client):
    village = factories.village("370101", 1)
    homes = located(village, 3)
    homes[0].dimensions_failed = 2
    homes[0].save()
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    page = client.get(reverse("registry:map", args=["370101"])).content.decode()
    assert page.count("<circle") == 3
    assert f'href="/households/{homes[0].pk}/"' in page
    assert maps.DIMENSION_COLOURS[2] in page and maps.DIMENSION_COLOURS[0] in page


def test_agency_sees_village_bubbles_without_people(client):
    village = factories.village("370101", 1)
    located(village, 3)
    other = factories.village("370101", 2)
    located(other, 6, lat="15.9", lon="104.7")
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("registry:map", args=["370101"])).content.decode()
    assert page.count('fill-opacity="0.85"') == 2
    # the villages' names on the map; no scale of the bubbles, whose largest would be
    # a hidden count
    assert f">{village.map_name}</text>" in page and f">{other.map_name}</text>" in page
    assert 'fill="none" stroke="#5b6a72"' not in page and ">6</text>" not in page
    assert "/households/" not in page.split("<main>")[1]
    # The village of three is hidden, and the one of six with it: the tambon's nine
    # minus six would give the three back (complementary suppression).
    assert ": –<" in page and ": 6<" not in page and ": 3<" not in page
    # hidden is hatched and named in the legend, not drawn as a village with no target households
    assert page.count(f'fill="{maps.HIDDEN_FILL}"') == 2 and "ปกปิดตามกฎเซลล์เล็ก" in page


def test_the_bubbles_have_a_scale_of_the_counts_shown(client):
    located(factories.village("370101", 1), 6)
    located(factories.village("370101", 2), 7, lat="15.9", lon="104.7")
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("registry:map", args=["370101"])).content.decode()
    assert ": 6<" in page and ": 7<" in page
    # a round value not above the largest bubble (7), and a smaller one
    assert page.count('fill="none" stroke="#5b6a72"') == 2 and ">6</text>" in page and ">1</text>" in page


def test_boundaries_upload_matches_codes_and_ignores_the_rest(client):
    factories.village("370101", 1)
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"ADM4_PCODE": "TH37010101"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"code": "37020101"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE},
        ],
    }
    upload = SimpleUploadedFile("b.geojson", json.dumps(document).encode(), content_type="application/geo+json")
    page = client.post(reverse("registry:boundaries", args=["370101"]), {"file": upload}).content.decode()
    assert Area.objects.get(code="37010101").boundary == SQUARE
    assert Area.objects.get(code="37010101").lat == Decimal("15.840000")
    assert Area.objects.filter(boundary__isnull=False).count() == 1
    assert "1" in page
    bad = SimpleUploadedFile("b.geojson", b"not json")
    assert "GeoJSON" in client.post(reverse("registry:boundaries", args=["370101"]), {"file": bad}).content.decode()
    map_page = client.get(reverse("registry:map", args=["370101"])).content.decode()
    assert map_page.count("<path") == 1


def test_boundaries_upload_is_refused_out_of_scope(client):
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    assert client.get(reverse("registry:boundaries", args=["370101"])).status_code == 404


def test_labels_are_text_on_a_page_and_outlines_for_a_pdf_and_never_overlap():
    points = [
        maps.Point(104.60, 15.80, "#000", radius=6, label="หมู่ 1 บ้านน้ำเที่ยง"),
        maps.Point(104.60001, 15.80001, "#111", radius=6, label="หมู่ 2 บ้านป่าก่อ"),  # on top of the first
        maps.Point(104.90, 15.95, "#222", radius=6, label="ม.3 ผู้ใหญ่"),
        maps.Point(104.40, 15.60, "#333", radius=6),  # corners without names, so the rest sit inside
        maps.Point(105.10, 16.10, "#333", radius=6),
    ]
    page = maps.draw(points=points, width=400, height=300)
    assert page.svg.count("<text") == 3  # the second goes beside the first, not over it
    pdf = maps.draw(points=points, width=400, height=300, text_as_paths=True)
    assert "<text" not in pdf.svg and pdf.svg.count('class="label"') == 3
    # every glyph used is defined once, and each <use> points at one that is
    import re

    defined = set(re.findall(r'<path id="([rb]\d+)"', pdf.svg))
    used = set(re.findall(r'<use href="#([rb]\d+)"', pdf.svg))
    assert used and used <= defined
    crowded = [maps.Point(104.6, 15.8, "#000", radius=6, label="หมู่บ้านชื่อยาวมากจริง ๆ") for _ in range(12)]
    assert maps.draw(points=crowded, width=200, height=120).svg.count("<text") < 12  # left out, not overlapped


def test_bubble_scale_values_are_round_and_area_true():
    assert maps.scale_values(137) == [100.0, 20.0, 6.0]
    assert maps.scale_values(6, smallest=1) == [6.0, 1.0]
    assert maps.scale_values(499.6) == [400.0, 100.0, 20.0]
    assert maps.nice_floor(0.35) == pytest.approx(0.3)
    scale = maps.BubbleScale(title="ขนาด", circles=(maps.ScaleCircle(radius=20, text="100"),))
    picture = maps.draw(points=[maps.Point(104.6, 15.8, "#000", radius=20)], scale=scale, width=300, height=200)
    assert 'viewBox="0 0 300 ' in picture.svg and 'r="20.0" fill="none"' in picture.svg and ">100</text>" in picture.svg
