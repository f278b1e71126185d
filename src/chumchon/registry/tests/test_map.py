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


def test_draw_fits_points_and_has_no_text():
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
    assert page.count("<circle") == 2
    assert "/households/" not in page.split("<main>")[1]
    # The village of three is hidden, and the one of six with it: the tambon's nine
    # minus six would give the three back (complementary suppression).
    assert ": –<" in page and ": 6<" not in page and ": 3<" not in page


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
