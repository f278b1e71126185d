"""Areas: Thailand loaded from geothai, ancestry on every row, villages, zones, pages."""

import geothai
import pytest
from django.db.models import F
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.selectors import area_search_for_user
from chumchon.access.services import Actor, village_create, zone_save
from chumchon.areas.models import Area, Level, Zone, under_q
from chumchon.areas.selectors import area_stats, normalize_area_query
from chumchon.areas.services import AreaError, areas_load_thailand
from tests import factories

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


def test_all_of_thailand_is_loaded_with_official_codes():
    stats = area_stats()
    assert (stats.provinces, stats.districts, stats.tambons) == (77, 928, 7436)
    # Independent count straight from the package data.
    assert stats.tambons == sum(
        len(geothai.subdistricts(d.code)) for p in geothai.provinces() for d in geothai.districts(p.code)
    )
    amnat = Area.objects.get(code="37")
    assert (amnat.name_th, amnat.name_en, amnat.level) == ("อำนาจเจริญ", "Amnat Charoen", Level.PROVINCE)


def test_every_row_carries_its_ancestry():
    assert not Area.objects.tambons().exclude(district_code=F("parent_id")).exists()
    assert not Area.objects.districts().exclude(province_code=F("parent_id")).exists()
    bung = Area.objects.get(code="370101")
    assert (bung.province_code, bung.district_code, bung.tambon_code, bung.village_code) == (
        "37",
        "3701",
        "370101",
        None,
    )
    # "Everything under X" is one equality filter on the column of X's level.
    assert str(under_q("3701")) == str(under_q("3701", prefix=""))
    under_district = Area.objects.filter(under_q("3701")).exclude(code="3701")
    assert under_district.count() == len(geothai.subdistricts("3701"))


def test_loading_again_changes_nothing():
    assert (areas_load_thailand().created, areas_load_thailand().updated) == (0, 0)


def test_village_create_checks_its_input():
    tambon = Area.objects.get(code="370101")
    village = village_create(actor=ACTOR, tambon=tambon, village_no=3, name_th="  บ้าน  นาแต้ ")
    assert (village.code, village.name_th, village.village_no, village.tambon_code, village.village_code) == (
        "37010103", "บ้าน นาแต้", 3, "370101", "37010103",
    )  # fmt: skip
    assert village.display_name == "หมู่ 3 บ้าน นาแต้"
    before = Area.objects.count()
    for no, name, message in [(3, "ซ้ำ", "มีอยู่แล้ว"), (0, "x", "1 ถึง 99"), (100, "x", "1 ถึง 99"), (4, "  ", "ชื่อหมู่บ้าน")]:
        with pytest.raises(AreaError, match=message):
            village_create(actor=ACTOR, tambon=tambon, village_no=no, name_th=name)
    with pytest.raises(AreaError):
        village_create(actor=ACTOR, tambon=Area.objects.get(code="3701"), village_no=1, name_th="x")
    assert Area.objects.count() == before


def test_zones_group_districts_or_tambons_of_one_province():
    province = Area.objects.get(code="27")  # Sa Kaeo runs four zones
    zone = zone_save(actor=ACTOR, province=province, name="โซน 1", member_codes=["2701", "2702"])
    assert sorted(zone.members.values_list("code", flat=True)) == ["2701", "2702"]
    with pytest.raises(AreaError, match="อยู่แล้ว"):
        zone_save(actor=ACTOR, province=province, name="โซน 1", member_codes=["2703"])
    with pytest.raises(AreaError, match="ไม่ใช่อำเภอหรือตำบลของ"):
        zone_save(actor=ACTOR, province=province, name="โซน 2", member_codes=["3701"])
    with pytest.raises(AreaError, match="ไม่พบ"):
        zone_save(actor=ACTOR, province=province, name="โซน 2", member_codes=["9999"])
    assert Zone.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "expected"), [("ต.ไก่คำ", "ไก่คำ"), ("จังหวัด อำนาจเจริญ", "อำนาจเจริญ"), ("  อ.พนา ", "พนา"), ("ต.", "ต.")]
)
def test_search_ignores_the_words_officials_put_before_names(query, expected):
    assert normalize_area_query(query) == expected


def test_search_by_thai_english_or_code_within_scope():
    user = factories.user(Role.PROVINCE_COORDINATOR, "37")
    assert [a.code for a in area_search_for_user(user, "ต.ไก่คำ")] == ["370102"]
    assert [a.code for a in area_search_for_user(user, "kai kham")] == ["370102"]
    assert [a.code for a in area_search_for_user(user, "3702")][:1] == ["3702"]
    assert area_search_for_user(user, "เมืองกระบี่") == []  # Krabi is out of scope
    # Provinces and districts come before tambons of the same name.
    assert [a.level for a in area_search_for_user(factories.admin(), "อำนาจเจริญ")][:1] == ["province"]


def test_drill_down_pages(client):
    village = factories.village("370101", 1, "บ้านบุ่ง")
    factories.household(village)
    factories.household(village)
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    home = client.get(reverse("areas:home")).content.decode()
    assert 'href="/areas/370101/"' in home and "ต.บุ่ง" in home and "2 ครัวเรือน" in home
    tambon = client.get(reverse("areas:detail", args=["370101"])).content.decode()
    assert 'href="/areas/37010101/"' in tambon and "หมู่ 1 บ้านบุ่ง" in tambon
    # The breadcrumb names the district and province but does not link to them (out of scope).
    assert "อ.เมืองอำนาจเจริญ" in tambon and 'href="/areas/3701/"' not in tambon
    page = client.get(reverse("areas:detail", args=["37010101"])).content.decode()
    assert "หมู่ 1 บ้านบุ่ง" in page and 'href="/households/area/37010101/"' in page
    assert '<span class="num">2</span>' in page
    assert client.get(reverse("areas:detail", args=["370102"])).status_code == 404


def test_search_page_and_htmx_partial(client):
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    full = client.get(reverse("areas:search"), {"q": "ไก่คำ"})
    assert full.status_code == 200 and "<html" in full.content.decode() and "/areas/370102/" in full.content.decode()
    partial = client.get(reverse("areas:search"), {"q": "ไก่คำ"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "/areas/370102/" in partial.content.decode()


def test_tambon_staff_add_a_village_from_the_page(client):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    response = client.post(
        reverse("areas:village_add", args=["370101"]), {"village_no": 5, "name_th": "บ้านโนนงาม"}, follow=True
    )
    assert "เพิ่ม หมู่ 5 บ้านโนนงาม แล้ว" in response.content.decode()
    response = client.post(
        reverse("areas:village_add", args=["370101"]), {"village_no": 5, "name_th": "ซ้ำ"}, follow=True
    )
    assert "หมู่ที่ 5 มีอยู่แล้วในตำบลนี้" in response.content.decode()
    assert Area.objects.get(code="37010105").name_th == "บ้านโนนงาม"


def test_zone_page_for_province_coordinator_only(client):
    client.force_login(factories.user(Role.DISTRICT_COORDINATOR, "2701"))
    assert client.get(reverse("areas:zone_add", args=["27"])).status_code == 404
    client.force_login(factories.user(Role.PROVINCE_COORDINATOR, "27"))
    response = client.post(reverse("areas:zone_add", args=["27"]), {"name": "โซนเหนือ", "members": ["2701", "2705"]})
    assert response.status_code == 302
    page = client.get(reverse("areas:detail", args=["27"])).content.decode()
    assert "โซนเหนือ" in page and "อ.เมืองสระแก้ว" in page


def test_english_switch_and_buddhist_era_dates(client):
    village = factories.village("370101", 1)
    household = factories.household(village)
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    thai = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert "สมาชิก" in thai and "เลขประจำตัวประชาชน" in thai
    assert "15 ม.ค. 2513" in thai  # head born 15 Jan 1970 = 2513 BE
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert 'lang="en"' in english and "Members" in english and "National ID" in english
    assert "15 Jan 2513" in english


def test_not_found_page_is_thai_and_reveals_nothing(client):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    response = client.get("/areas/99/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ท่านต้องการ" in response.content.decode()
    assert "99" not in response.content.decode().split("<main>")[1]


def test_thai_even_when_the_browser_asks_for_english(client):
    client.force_login(factories.user(Role.TAMBON_STAFF, "370101"))
    page = client.get(reverse("areas:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="th"' in page.content.decode() and page["Content-Language"] == "th"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("areas:home")).content.decode()


def test_display_names_follow_the_language():
    from django.utils import translation

    tambon = Area.objects.get(code="370102")
    with translation.override("th"):
        assert tambon.display_name == "ต.ไก่คำ"
    with translation.override("en"):
        assert tambon.display_name == "Kai Kham Subdistrict"
        assert Area.objects.get(code="3701").display_name == "Mueang Amnat Charoen District"
        assert Area.objects.get(code="37").display_name == "Amnat Charoen"
