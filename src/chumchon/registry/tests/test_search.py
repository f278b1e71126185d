"""Finding households and people: by name (Thai typing variants), house number,
household code or a whole national ID, always within the reader's scope — in the
selector, the API (``GET /api/households?q=``) and the top search box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor, token_issue
from chumchon.core import national_id
from chumchon.registry.models import Household, Member
from chumchon.registry.selectors import (
    household_search_hits,
    households_search_for_user,
    masked_query,
    search_key,
    search_terms,
)
from tests import factories

pytestmark = pytest.mark.django_db

# Mine: tambon 370101; the other tambon of the same district, and another district.
MINE, SIBLING, FAR = "370101", "370102", "370201"


def _person(
    household: Household, first: str, last: str, *, title: str = "นาง", head: bool = False
) -> tuple[Member, str]:
    nid = factories.new_national_id()
    member = Member.objects.create(
        household=household,
        is_head=head,
        title=title,
        first_name=first,
        last_name=last,
        national_id_encrypted=national_id.encrypt(nid),
        national_id_hash=national_id.lookup_hash(nid),
    )
    return member, nid


@pytest.fixture
def world():
    """The same kind of household three times: in my tambon, the next tambon, another district."""
    out = {}
    for tag, tambon in (("mine", MINE), ("sibling", SIBLING), ("far", FAR)):
        village = factories.village(tambon, 3)
        h = factories.household(village, code=f"{tag.upper()}-0042", members=0, house_no="77/3")
        member, nid = _person(h, "สมศักดิ์", f"น้ำใจ{tag}", title="นาย", head=True)
        out[tag] = (h, member, nid)
    return out


@pytest.fixture
def officer():
    return factories.user(Role.TAMBON_STAFF, MINE)


def ids(user, text, **kw):
    return {h.pk for h in households_search_for_user(user, text, **kw)}


def test_search_key_drops_tone_marks_spaces_and_typing_variants():
    assert search_key("สมศักดิ์") == search_key("สมศักดิ") == search_key("สม ศักดิ์")
    assert search_key("นํ้าใจ") == search_key("น้ำใจ") == search_key("นำใจ")  # nikhahit + sara aa
    assert search_key("เเสงดี") == search_key("แสงดี")  # two sara e typed for sara ae
    assert search_key("สม\u200bชาย ใจ ดี") == "สมชายใจดี"
    assert search_key("John SMITH") == "johnsmith"


@pytest.mark.parametrize(
    "query",
    [
        "สมศักดิ์",  # first name
        "สมศักดิ",  # without thanthakhat
        "ศักดิ์",  # part of the first name
        "นํ้าใจ",  # the last name typed with nikhahit + sara aa
        "น้ำใจmine",  # the whole last name
        "สมศักดิ์ น้ำใจ",  # first and last
        "น้ำใจ สมศักดิ์",  # the other way round
        "นายสมศักดิ์",  # with the title
        "MINE-0042",  # the household code
        "mine-00",  # part of it
        "77/3",  # the house number
        "๗๗/๓",  # in Thai digits
        "77/3 สมศักดิ์",  # house number and name together
    ],
)
def test_each_key_finds_the_household_in_scope_and_never_the_ones_outside(world, officer, query):
    mine = world["mine"][0].pk
    found = ids(officer, query)
    assert mine in found
    assert found == {mine}  # the same name, house number and code in the other tambons: never found
    admin = factories.admin()
    expected_everywhere = {w[0].pk for w in world.values()} if "mine" not in query.lower() else {mine}
    assert ids(admin, query) == expected_everywhere  # they do exist: scope is what hides them


def test_a_whole_national_id_finds_its_household_only_in_scope(world, officer):
    for tag in ("mine", "sibling", "far"):
        _h, _member, nid = world[tag]
        formatted = national_id.format_full(nid)
        thai_digits = nid.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        for query in (nid, formatted, formatted.replace("-", " "), thai_digits):
            expected = {world["mine"][0].pk} if tag == "mine" else set()
            assert ids(officer, query) == expected, (tag, query)
    # The district coordinator above both tambons of the district finds the sibling's.
    district = factories.user(Role.DISTRICT_COORDINATOR, "3701")
    assert ids(district, world["sibling"][2]) == {world["sibling"][0].pk}
    assert ids(district, world["far"][2]) == set()


def test_part_of_a_national_id_finds_nothing(world, officer):
    nid = world["mine"][2]
    for part in (nid[:12], nid[1:], nid[:5], nid[-6:], nid[:12] + "x"):
        assert ids(officer, part) == set(), part
    wrong = nid[:12] + str((int(nid[12]) + 1) % 10)
    terms = search_terms(wrong)
    assert terms.invalid_national_id and not terms.searchable
    assert ids(officer, wrong) == set()


def test_aggregate_only_readers_find_no_one(world):
    agency = factories.user(Role.AGENCY, "37")
    for query in ("สมศักดิ์", "MINE-0042", "77/3", world["mine"][2]):
        assert ids(agency, query) == set()


def test_hits_name_the_member_found(world, officer):
    h, head, _nid = world["mine"]
    spouse, spouse_id = _person(h, "บุญมี", "น้ำใจmine")
    [hit] = household_search_hits(households_search_for_user(officer, "บุญมี").prefetch_related("members"), "บุญมี")
    assert hit.members == [spouse] and hit.head == head
    [by_id] = household_search_hits(
        households_search_for_user(officer, spouse_id).prefetch_related("members"), spouse_id
    )
    assert by_id.members == [spouse]
    code = "MINE-0042"
    [by_code] = household_search_hits(households_search_for_user(officer, code).prefetch_related("members"), code)
    assert by_code.members == []


def test_hits_name_the_members_the_most_words_name(officer):
    h = factories.household(factories.village(MINE, 6), members=0)
    saman, _ = _person(h, "สมาน", "คำวงศ์", title="นาย", head=True)
    _person(h, "สุกัญญา", "คำวงศ์")
    [hit] = household_search_hits(households_search_for_user(officer, "สมาน คำ").prefetch_related("members"), "สมาน คำ")
    assert hit.members == [saman]


def test_an_exact_code_or_house_number_comes_first(officer):
    village = factories.village(MINE, 4)
    later = factories.household(village, code="A-12", house_no="5")
    exact = factories.household(village, code="B-1", house_no="12")
    first = factories.household(village, code="12", house_no="9")
    assert [h.pk for h in households_search_for_user(officer, "12")] == [first.pk, exact.pk, later.pk]


def test_erased_households_are_not_found(world, officer):
    h = world["mine"][0]
    Household.objects.filter(pk=h.pk).update(erased_at="2024-01-01T00:00:00+07:00")
    assert ids(officer, "MINE-0042") == set()


def test_masked_query_never_holds_a_whole_id(world):
    nid = world["mine"][2]
    assert masked_query(nid) == national_id.mask(nid)
    assert masked_query(national_id.format_full(nid)) == national_id.mask(nid)
    assert nid not in masked_query(f"สมชาย {nid}")
    assert masked_query(f"สมชาย {national_id.format_full(nid)} 12/3") == f"สมชาย {national_id.mask(nid)} 12/3"
    assert masked_query("สมชาย 77/3") == "สมชาย 77/3"


# --- the API ------------------------------------------------------------------------


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user, actor=Actor(user=user))}"}


BRIEF_KEYS = {
    "id", "code", "village", "village_name", "tambon", "house_no", "head_name", "occupation_group",
    "welfare_card", "status", "dimensions_failed", "is_target",
}  # fmt: skip


def test_api_q_answers_the_contract_shape_within_scope(client, world, officer):
    headers = _bearer(officer)
    h, _head, nid = world["mine"]
    answer = client.get("/api/households", {"q": "สมศักดิ"}, **headers)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"items", "count"} and body["count"] == 1
    [item] = body["items"]
    assert set(item) == BRIEF_KEYS
    assert (item["id"], item["code"], item["village"], item["tambon"], item["house_no"], item["head_name"]) == (
        h.pk, "MINE-0042", h.village_id, MINE, "77/3", "นายสมศักดิ์ น้ำใจmine",
    )  # fmt: skip
    assert client.get("/api/households", {"q": nid}, **headers).json()["count"] == 1
    assert client.get("/api/households", {"q": world["far"][2]}, **headers).json() == {"items": [], "count": 0}
    assert client.get("/api/households", {"q": "น้ำใจfar"}, **headers).json() == {"items": [], "count": 0}
    # With an area: in scope narrows, out of scope is 404 as if it did not exist.
    assert client.get("/api/households", {"q": "สมศักดิ", "area": MINE}, **headers).json()["count"] == 1
    assert client.get("/api/households", {"q": "สมศักดิ", "area": h.village_id}, **headers).json()["count"] == 1
    factories.village(MINE, 1)
    assert client.get("/api/households", {"q": "สมศักดิ", "area": "37010101"}, **headers).json()["count"] == 0
    missing = client.get("/api/households", {"q": "สมศักดิ", "area": SIBLING}, **headers)
    assert (missing.status_code, missing.json()) == (404, {"detail": "ไม่พบข้อมูล (Not found)"})
    # An aggregate-only reader gets an empty page, even by a whole ID.
    agency = _bearer(factories.user(Role.AGENCY, "37"))
    assert client.get("/api/households", {"q": nid}, **agency).json() == {"items": [], "count": 0}
    assert client.get("/api/households", {"q": "สมศักดิ", "area": MINE}, **agency).json() == {"items": [], "count": 0}
    assert client.get("/api/households", {"q": "สมศักดิ"}).status_code == 401


def test_api_q_is_validated_and_paged(client, officer):
    headers = _bearer(officer)
    village = factories.village(MINE, 5)
    for _ in range(53):
        factories.household(village, members=1)  # heads are all "สมชาย<n>"
    first = client.get("/api/households", {"q": "สมชาย"}, **headers).json()
    second = client.get("/api/households", {"q": "สมชาย", "page": 2}, **headers).json()
    assert first["count"] == second["count"] == 53
    assert len(first["items"]) == 50 and len(second["items"]) == 3
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert client.get("/api/households", {"q": "x" * 101}, **headers).status_code == 422
    assert client.get("/api/households", {"q": "a\x00b"}, **headers).status_code == 422
    bad = client.get("/api/households", {"q": "1101700203451"}, **headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "q"]
    assert client.get("/api/households", {"q": "ส"}, **headers).json()["count"] == 0  # too short: nothing


def test_the_openapi_document_describes_q():
    from chumchon.api import api

    operation = api.get_openapi_schema(path_prefix="/api/")["paths"]["/api/households"]["get"]
    [q] = [p for p in operation["parameters"] if p["name"] == "q"]
    assert q["in"] == "query" and not q.get("required", False)
    assert "national ID" in operation["description"]
    assert {"200", "401", "404", "422"} <= set(map(str, operation["responses"]))


def test_api_search_is_audited_with_the_id_masked(client, world, officer):
    nid = world["mine"][2]
    client.get("/api/households", {"q": national_id.format_full(nid)}, **_bearer(officer))
    event = AuditEvent.objects.filter(object_type="household_search").get()
    assert (event.action, event.username, event.detail["q"]) == ("view", officer.username, national_id.mask(nid))
    assert nid not in event.path and national_id.format_full(nid) not in event.path
    assert nid not in str(event.detail)


# --- the top search box --------------------------------------------------------------


def test_the_dropdown_shows_areas_and_people_in_scope(client, world, officer):
    client.force_login(officer)
    h, _head, nid = world["mine"]
    page = client.get(reverse("registry:search"), {"q": "สมศักดิ"}, HTTP_HX_REQUEST="true").content.decode()
    assert "นายสมศักดิ์ น้ำใจmine" in page and reverse("registry:detail", args=[h.pk]) in page
    assert "น้ำใจsibling" not in page and "น้ำใจfar" not in page
    assert "<html" not in page  # a fragment for the dropdown
    areas = client.get(reverse("registry:search"), {"q": "บุ่ง"}, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("areas:detail", args=[MINE]) in areas
    by_id = client.get(reverse("registry:search"), {"q": nid}).content.decode()
    assert "นายสมศักดิ์ น้ำใจmine" in by_id
    # The number is only where it was typed (the box, the page's own address), never
    # in the title or the results.
    results = by_id[by_id.index('id="household-results"') :]
    assert nid not in results and nid not in by_id[: by_id.index("</title>")] and f'value="{nid}"' in by_id
    other = client.get(reverse("registry:search"), {"q": world["far"][2]}).content.decode()
    assert "สมศักดิ์" not in other
    wrong = client.get(reverse("registry:search"), {"q": nid[:12] + str((int(nid[12]) + 1) % 10)}).content.decode()
    assert "หลักตรวจสอบไม่ตรง" in wrong
    event = AuditEvent.objects.filter(object_type="household_search").order_by("id").last()
    assert event is not None and event.detail["q"] == national_id.mask(nid) and nid not in event.path


def test_the_results_page_is_paged_and_agencies_see_areas_only(client, world):
    agency = factories.user(Role.AGENCY, "37")
    client.force_login(agency)
    page = client.get(reverse("registry:search"), {"q": "สมศักดิ์"}).content.decode()
    assert "สมศักดิ์ น้ำใจ" not in page
    assert not AuditEvent.objects.filter(object_type="household_search").exists()
    by_id = client.get(reverse("registry:search"), {"q": world["mine"][2]}).content.decode()
    assert "น้ำใจmine" not in by_id


def test_every_page_has_the_search_box(client, officer):
    client.force_login(officer)
    home = client.get(reverse("areas:home")).content.decode()
    assert f'action="{reverse("registry:search")}"' in home and 'hx-get="/households/search/"' in home
