"""Registry services: households and members, verification, needs, privacy, duplicates."""

import datetime as dt
import json

import pytest
from django.db import connection

from chumchon.access.models import AuditEvent, Role
from chumchon.access.services import Actor
from chumchon.core import national_id
from chumchon.registry.models import (
    DuplicateCandidate,
    Household,
    HouseholdChange,
    Member,
    Organisation,
    Origin,
    Verification,
)
from chumchon.registry.selectors import (
    needs_summary_for_user,
    verification_report_for_user,
    welfare_fund_share_for_user,
)
from chumchon.registry.services import (
    HouseholdInput,
    MemberInput,
    RegistryError,
    duplicate_resolve,
    duplicates_scan,
    household_consent_record,
    household_create,
    household_erase,
    household_export,
    household_indicators_record,
    household_update,
    household_verify,
    member_update,
    national_id_reveal,
    organisation_create,
    organisation_membership_set,
)
from tests import factories

pytestmark = pytest.mark.django_db
NID = "1101700203450"
NID2 = "1101700203468"


@pytest.fixture
def staff():
    return Actor(user=factories.user(Role.TAMBON_STAFF, "370101", username="staff"), ip="127.0.0.1")


@pytest.fixture
def village():
    return factories.village("370101", 1, "บ้านบุ่ง")


def make(actor, village, code="01-001", nid=NID, **kw):
    members = [
        MemberInput(first_name="สมศรี", last_name="ใจดี", national_id=nid, is_head=True, birth_date=dt.date(1970, 5, 1))
    ]
    return household_create(actor=actor, data=HouseholdInput(code=code, village=village, members=members, **kw))


def test_create_stores_the_national_id_encrypted_only(staff, village):
    household = make(staff, village, welfare_card=True)
    member = household.members.get()
    assert member.national_id_masked == "1-1017-xxxxx-xx-0"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_member")
        raw = json.dumps([list(map(str, row)) for row in cursor.fetchall()])
    assert NID not in raw and "1-1017-00203-45-0" not in raw
    assert HouseholdChange.objects.get(household=household).kind == "create"
    assert AuditEvent.objects.filter(action="create", object_type="household", object_id=str(household.pk)).exists()


def test_one_national_id_in_two_households_is_refused_clearly(staff, village):
    first = make(staff, village)
    with pytest.raises(RegistryError, match=f"มีอยู่แล้วในครัวเรือน {first.code}"):
        make(staff, village, code="01-002", nid="1-1017-00203-45-0")
    assert Household.objects.count() == 1


def test_the_refusal_names_no_household_outside_the_users_scope(staff, village):
    other_tambon = factories.village("370102", 1)
    factories_actor = Actor(user=factories.user(Role.TAMBON_STAFF, "370102"))
    make(factories_actor, other_tambon, code="X-1")
    with pytest.raises(RegistryError) as caught:
        make(staff, village, code="01-002")
    assert "นอกพื้นที่ของท่าน" in str(caught.value) and "X-1" not in str(caught.value)


def test_bad_national_id_and_out_of_scope_writes_change_nothing(staff, village):
    with pytest.raises(RegistryError, match="หลักตรวจสอบ"):
        make(staff, village, nid="1101700203451")
    with pytest.raises(RegistryError, match="ไม่มีสิทธิ์"):
        make(staff, factories.village("370102", 2))
    assert Household.objects.count() == 0 and Member.objects.count() == 0


def test_changes_keep_history_with_before_and_after(staff, village):
    household = make(staff, village)
    household_update(
        actor=staff, household=household, changes={"house_no": "12/3", "housing": "needs_repair"}, note="สำรวจ"
    )
    change = household.changes.filter(kind="update").get()
    assert (change.before, change.after, change.note, change.by) == (
        {"house_no": household.house_no, "housing": ""}, {"house_no": "12/3", "housing": "needs_repair"}, "สำรวจ", staff.user,
    )  # fmt: skip
    member = household.members.get()
    member_update(actor=staff, member=member, changes={"national_id": NID2, "education": "primary"})
    history = household.changes.filter(kind="member").get()
    assert history.after == {"member": member.pk, "national_id": "(ใหม่)", "education": "primary"}
    assert NID2 not in json.dumps(history.after)
    member.refresh_from_db()
    assert national_id.decrypt(member.national_id_encrypted) == NID2


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("verified", "active"), ("moved", "moved"), ("not_found", "not_found"), ("deceased", "dissolved")],
)
def test_verification_outcomes(staff, village, outcome, status):
    household = make(staff, village)
    household_verify(actor=staff, household=household, outcome=outcome, note="ลงพื้นที่")
    household.refresh_from_db()
    assert (household.verification, household.status, household.verified_by) == (outcome, status, staff.user)
    assert household.changes.filter(kind="verify").get().after["verification"] == outcome


def test_corrected_needs_and_applies_the_corrections(staff, village):
    household = make(staff, village)
    with pytest.raises(RegistryError, match="ต้องระบุสิ่งที่แก้ไข"):
        household_verify(actor=staff, household=household, outcome="corrected")
    household_verify(actor=staff, household=household, outcome="corrected", corrections={"house_no": "99"})
    household.refresh_from_db()
    assert (household.verification, household.house_no) == ("corrected", "99")


def test_needs_survey_sets_dimensions_and_target(staff, village):
    household = make(staff, village, welfare_card=True)
    household = household_indicators_record(
        actor=staff, household=household, answers={"H1": False, "L1": True, "I3": True}
    )
    assert (household.fails_living, household.fails_income, household.fails_health) == (True, True, False)
    assert (household.dimensions_failed, household.is_target) == (2, True)
    household = household_indicators_record(actor=staff, household=household, answers={"L1": False, "I3": False})
    assert (household.dimensions_failed, household.is_target) == (0, False)
    with pytest.raises(RegistryError, match="ไม่มีตัวชี้วัดรหัส Z9"):
        household_indicators_record(actor=staff, household=household, answers={"Z9": True})


def test_needs_summary_against_an_independent_count(staff, village):
    answers = [{"H1": True}, {"H1": True, "E2": True}, {"L2": False}, {"I1": True}, {}, {"A1": True, "H2": True}]
    for i, a in enumerate(answers):
        h = make(staff, village, code=f"01-{i}", nid=factories.new_national_id(), welfare_card=i % 2 == 0)
        if a:
            household_indicators_record(actor=staff, household=h, answers=a)
    summary = needs_summary_for_user(staff.user, "370101")
    assert (summary.households, summary.surveyed) == (6, 5)
    expected = {"health": 3, "living": 0, "education": 1, "income": 1, "access": 1}
    assert summary.by_dimension == expected
    assert {i.code: n for i, n in summary.by_indicator}["H1"] == 2
    # target = fails something and holds a card: households 0 (H1) and 4 (none) -> only 0; 2 passes; so 1
    assert summary.target == sum(1 for i, a in enumerate(answers) if i % 2 == 0 and any(a.values()))
    # An agency officer sees the same figures with cells under 5 suppressed.
    agency = factories.user(Role.AGENCY, "37")
    hidden = needs_summary_for_user(agency, "370101")
    assert hidden.households == 6
    assert hidden.by_dimension == {"health": None, "living": 0, "education": None, "income": None, "access": None}


def test_verification_report_krabi_figure(staff, village):
    for i in range(4):
        make(staff, village, code=f"R{i}", nid=factories.new_national_id(), origin=Origin.WELFARE_REGISTRY)
    found = make(staff, village, code="F1", nid=factories.new_national_id(), origin=Origin.FIELD)
    registered = list(Household.objects.filter(origin=Origin.WELFARE_REGISTRY).order_by("code"))
    household_verify(actor=staff, household=registered[0], outcome="verified")
    household_verify(actor=staff, household=registered[1], outcome="corrected", corrections={"house_no": "1"})
    household_verify(actor=staff, household=registered[2], outcome="not_found")
    report = verification_report_for_user(staff.user, "370101")
    assert (
        report.registered,
        report.verified,
        report.corrected,
        report.newly_found,
        report.not_found,
        report.unverified,
    ) == (4, 2, 1, 1, 1, 1)
    assert report.real == 3  # two verified + one found on the ground
    assert found.verification == Verification.VERIFIED
    (row,) = report.villages
    assert (row.households, row.verified, row.unverified, row.not_found) == (5, 3, 1, 1)
    assert row.stale == 1  # the one never checked


def test_consent_reveal_export_and_erase(staff, village):
    household = make(staff, village)
    household_consent_record(actor=staff, household=household, consent="given", note="ลงนามแบบฟอร์ม")
    member = household.members.get()
    assert national_id_reveal(actor=staff, member=member) == "1-1017-00203-45-0"
    assert AuditEvent.objects.filter(action="reveal", object_id=str(member.pk)).count() == 1
    coordinator = Actor(user=factories.user(Role.DISTRICT_COORDINATOR, "3701"))
    with pytest.raises(RegistryError):
        national_id_reveal(actor=coordinator, member=member)
    document = household_export(actor=staff, household=household)
    assert document["members"][0]["national_id"] == "1-1017-xxxxx-xx-0"
    assert NID not in json.dumps(document, ensure_ascii=False)
    assert document["household"]["consent"] == "given"
    household_erase(actor=staff, household=household, reason="เจ้าของข้อมูลขอลบ")
    household.refresh_from_db()
    assert household.members.count() == 0 and household.code.startswith("ลบแล้ว-")
    assert [c.kind for c in household.changes.all()] == ["erase"]
    assert AuditEvent.objects.filter(action="delete", object_id=str(household.pk)).exists()
    # The number is free again after erasure.
    make(staff, village, code="01-009")


def test_welfare_fund_share_of_target_households(staff, village):
    tambon = village.parent
    fund = organisation_create(actor=staff, tambon=tambon, kind="welfare_fund", name="กองทุนสวัสดิการชุมชนตำบลบุ่ง")
    households = []
    for i in range(4):
        h = make(staff, village, code=f"T{i}", nid=factories.new_national_id(), welfare_card=True)
        households.append(household_indicators_record(actor=staff, household=h, answers={"I3": True}))
    organisation_membership_set(actor=staff, organisation=fund, household=households[0], member=True)
    organisation_membership_set(actor=staff, organisation=fund, household=households[1], member=True)
    organisation_membership_set(actor=staff, organisation=fund, household=households[1], member=False)
    share = welfare_fund_share_for_user(staff.user, "370101")
    assert (share.target, share.target_in_fund, share.percent) == (4, 1, 25)
    assert Organisation.objects.get().memberships.count() == 2  # leaving keeps the row


def test_duplicates_found_by_birth_date_and_similar_names_then_merged(staff, village):
    a = make(staff, village, code="D1", nid=NID)
    b = household_create(
        actor=staff,
        data=HouseholdInput(
            code="D2", village=village,
            members=[MemberInput(first_name="สมสี", last_name="ใจดี", is_head=True, birth_date=dt.date(1970, 5, 1), education="primary")],
        ),
    )  # fmt: skip
    make(staff, village, code="D3", nid=NID2)  # same birth date, same name, but both have IDs: different people
    # D2 (no ID) may be D1 or D3; D1 and D3 both carry IDs, so they are not a pair.
    assert duplicates_scan(area_code="37") == 2
    assert duplicates_scan(area_code="37") == 0  # already queued
    candidate = DuplicateCandidate.objects.get(member_a__household=a)
    keep = a.members.get()
    duplicate_resolve(actor=staff, candidate=candidate, merge=True, keep=keep)
    keep.refresh_from_db()
    assert keep.education == "primary"  # blank filled from the other record
    assert b.members.count() == 0
    candidate.refresh_from_db()
    assert candidate.status == "merged" and candidate.member_b_id is None
    assert DuplicateCandidate.objects.filter(status="open").count() == 0
    with pytest.raises(RegistryError):
        duplicate_resolve(actor=staff, candidate=candidate, merge=False)


def test_a_deployment_edition_can_be_loaded_and_made_current(staff, village, tmp_path, settings):
    from chumchon.registry.models import IndicatorEdition
    from chumchon.registry.services import indicator_edition_activate, indicator_editions_load

    household = make(staff, village, welfare_card=True)
    household_indicators_record(actor=staff, household=household, answers={"H1": True})
    (tmp_path / "local-2568.json").write_text(
        json.dumps(
            {
                "code": "local-2568",
                "name_th": "ชุดตัวชี้วัดของจังหวัด",
                "indicators": [{"code": "X1", "dimension": "income", "name_th": "มีเงินออม"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    settings.INDICATOR_EDITIONS_DIR = str(tmp_path)
    assert indicator_editions_load() == 1
    assert IndicatorEdition.objects.get(is_current=True).code == "tpmap-2562"  # loading does not switch
    assert indicator_edition_activate(actor=staff, code="local-2568") >= 1
    household.refresh_from_db()
    assert (household.fails_health, household.dimensions_failed, household.is_target) == (False, 0, False)
    household = household_indicators_record(actor=staff, household=household, answers={"X1": True})
    assert (household.fails_income, household.is_target) == (True, True)
    with pytest.raises(RegistryError, match="ไม่มีตัวชี้วัดรหัส H1"):
        household_indicators_record(actor=staff, household=household, answers={"H1": True})
    indicator_edition_activate(actor=staff, code="tpmap-2562")
    household.refresh_from_db()
    assert household.fails_health is True
