"""``chumchon demo``: users and scopes, data where the demo users look, encryption,
reproducibility, --if-empty, --reset, --json, seasonality and proportions; the registry
side: verification, the needs survey and its flags, organisations, duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q, Sum
from django.utils import timezone

from chumchon.access.models import Action, Assignment, AuditEvent, Role, User
from chumchon.areas.models import Area, Level
from chumchon.core import national_id
from chumchon.core.thai import Month, months_between
from chumchon.demo.common import apportion
from chumchon.demo.debts import DebtPlan
from chumchon.demo.households import OCCUPATION_SHARES, HouseholdPlan, household_plan, village_surnames
from chumchon.demo.ledger import debt_payments, household_lines, income_lines
from chumchon.demo.needs import cash_income, income_per_person, survey_answers
from chumchon.demo.places import village_names
from chumchon.demo.records import Drive, drives_plan, misspelt, record_plan
from chumchon.demo.users import DEMO_USERNAMES
from chumchon.ledgers.models import Enterprise, EntrySource, LedgerEntry
from chumchon.ledgers.rollups import rollups_verify
from chumchon.ledgers.statements import enterprise_pnls
from chumchon.registry.models import (
    Debt,
    DuplicateCandidate,
    Household,
    HouseholdIndicator,
    Member,
    Organisation,
    OrganisationMembership,
)
from chumchon.registry.selectors import households_in_period_by_child
from chumchon.registry.services.duplicates import name_similarity
from chumchon.registry.services.indicators import dimensions_recompute

pytestmark = pytest.mark.django_db

SMALL = ("--households", "60", "--months", "3", "--end", "2024-03", "--seed", "7")
# Amnat Charoen: first district 3701, its first tambon 370101; second district 3702,
# its first tambon 370201.
EXPECTED_SCOPES = {
    "demo-province": [(Role.PROVINCE_COORDINATOR, "37")],
    "demo-district": [(Role.DISTRICT_COORDINATOR, "3701")],
    "demo-tambon": [(Role.TAMBON_STAFF, "370101")],
    "demo-tambon-other": [(Role.TAMBON_STAFF, "370201")],
    "demo-volunteer": [(Role.VOLUNTEER, "37010101")],
    "demo-agency": [(Role.AGENCY, "37")],
    "demo-admin": [(Role.ADMIN, None)],
}


@pytest.fixture(autouse=True)
def fast_hasher(settings: object) -> None:
    # PBKDF2's million rounds are for real passwords; tests only need the round trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


HOUSEHOLD_FIELDS = (
    "tambon_code", "code", "village_id", "house_no", "occupation_group", "welfare_card", "lat", "lon",
    "members_count", "status", "housing", "land_tenure", "origin", "verification", "verified_at",
    "verified_by__username", "consent", "consent_at", "fails_health", "fails_living", "fails_education",
    "fails_income", "fails_access", "dimensions_failed", "is_target",
)  # fmt: skip
MEMBER_FIELDS = (
    "household__code", "title", "first_name", "last_name", "birth_date", "relation", "national_id_hash",
    "education", "occupation", "disability", "chronic_illness", "bedridden", "elderly_living_alone", "status",
)  # fmt: skip


def digest(province: str = "37") -> str:
    """A fingerprint of everything generated, independent of primary keys and timestamps."""
    h = hashlib.sha256()
    for row in (
        Household.objects.filter(province_code=province).order_by("tambon_code", "code").values_list(*HOUSEHOLD_FIELDS)
    ):
        h.update(repr(row).encode())
    for row in (
        Member.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "-is_head", "national_id_hash", "first_name")
        .values_list(*MEMBER_FIELDS)
    ):
        h.update(repr(row).encode())
    for row in (
        Debt.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "source")
        .values_list("household__code", "source", "principal", "interest_rate", "monthly_payment", "as_of")
    ):
        h.update(repr(row).encode())
    for row in (
        LedgerEntry.objects.filter(province_code=province)
        .order_by("tambon_code", "household__code", "date", "category_id", "amount", "item")
        .values_list("tambon_code", "household__code", "date", "category_id", "amount", "item", "enterprise__name")
    ):
        h.update(repr(row).encode())
    for row in (
        Enterprise.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "name")
        .values_list("household__code", "name", "kind", "season", "area_rai", "starts_on", "ends_on")
    ):
        h.update(repr(row).encode())
    for row in (
        HouseholdIndicator.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "indicator__code")
        .values_list("household__tambon_code", "household__code", "indicator__code", "failed", "recorded_at",
                     "recorded_by__username")
    ):  # fmt: skip
        h.update(repr(row).encode())
    for row in (
        OrganisationMembership.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "organisation__kind")
        .values_list("organisation__name", "organisation__registered_on", "household__code", "joined_on", "left_on")
    ):
        h.update(repr(row).encode())
    for row in sorted(
        (a.household.code, a.first_name, b.household.code, b.first_name, str(c.score), c.reason)
        for c in DuplicateCandidate.objects.filter(tambon_code__startswith=province).select_related(
            "member_a__household", "member_b__household"
        )
        if (a := c.member_a) is not None and (b := c.member_b) is not None
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_demo_users_have_exactly_their_scopes_and_log_in_with_demo() -> None:
    demo(*SMALL)
    for username, expected in EXPECTED_SCOPES.items():
        user = User.objects.get(username=username)
        got = sorted((a.role, a.area_id) for a in Assignment.objects.filter(user=user))
        assert got == expected, username
        assert authenticate(username=username, password="demo") == user
        assert authenticate(username=username, password="wrong") is None
    assert sorted(User.objects.filter(username__startswith="demo-").values_list("username", flat=True)) == sorted(
        DEMO_USERNAMES
    )


def test_demo_users_areas_hold_households_and_months_of_accounts() -> None:
    demo(*SMALL)
    months = {"2024-01", "2024-02", "2024-03"}
    for field, code, minimum in (
        ("tambon_code", "370101", 40),
        ("tambon_code", "370201", 40),
        ("village_id", "37010101", 20),
    ):
        households = Household.objects.filter(**{field: code})
        assert households.count() >= minimum, code
        for h in households:
            dates = list(LedgerEntry.objects.filter(household=h).values_list("date", flat=True))
            if h.status == "active":
                assert {d.strftime("%Y-%m") for d in dates} == months, h.code
            else:  # found gone: the accounts stop before the day of the visit
                assert h.verified_at is not None and h.left_on == timezone.localdate(h.verified_at), h.code
                assert all(d < h.left_on for d in dates), h.code


def test_no_household_has_accounts_after_it_left_nor_any_if_it_never_existed() -> None:
    demo("--households", "600", "--months", "12", "--end", "2024-03")
    gone = Household.objects.exclude(status="active")
    assert gone.count() >= 10 and gone.filter(status="not_found").exists()
    assert not Household.objects.filter(status="active", left_on__isnull=False).exists()
    assert not gone.filter(left_on__isnull=True).exists()
    assert not LedgerEntry.objects.filter(household__status="not_found").exists()
    late = [
        h.code
        for h in gone.exclude(status="not_found")
        if LedgerEntry.objects.filter(household=h, date__gte=h.left_on).exists()
    ]
    assert late == []
    # So no village reports more households than it has in any month.
    for tambon in ("370101", "370201"):
        for m in months_between(Month(2023, 4), Month(2024, 3)):
            for code, row in households_in_period_by_child(tambon, "village", m, m).items():
                assert row.reporting <= row.registered, (code, m)


def test_one_household_still_fills_the_demo_areas() -> None:
    out = demo("--households", "1", "--months", "1", "--end", "2024-03")
    assert Household.objects.filter(tambon_code="370101").count() == 40
    assert Household.objects.filter(village_id="37010101").count() == 20
    assert Household.objects.filter(tambon_code="370201").count() == 40
    assert Household.objects.filter(province_code="37").count() == 80
    assert LedgerEntry.objects.filter(village_id="37010101").exists()
    assert "demo-volunteer" in out


def test_villages_for_every_tambon() -> None:
    demo(*SMALL)
    tambons = list(Area.objects.filter(province_code="37", level=Level.TAMBON))
    assert len(tambons) == 56
    for tambon in tambons:
        villages = list(Area.objects.filter(parent=tambon, level=Level.VILLAGE).order_by("code"))
        assert 6 <= len(villages) <= 16, tambon.code
        assert [v.village_no for v in villages] == list(range(1, len(villages) + 1))
        assert len({v.name_th for v in villages}) == len(villages)
        for v in villages:
            assert v.code == f"{tambon.code}{v.village_no:02d}"
            assert (v.province_code, v.district_code, v.tambon_code, v.village_code) == (
                "37",
                tambon.district_code,
                tambon.code,
                v.code,
            )
            assert v.name_th.startswith("บ้าน")
            assert v.lat is not None and v.lon is not None
            assert Decimal("15.6") <= v.lat <= Decimal("16.2") and Decimal("104.4") <= v.lon <= Decimal("105.1")


def test_national_ids_are_valid_unique_and_stored_only_encrypted() -> None:
    demo(*SMALL)
    members = list(Member.objects.filter(household__province_code="37").values())
    assert members
    without = [m for m in members if not m["national_id_encrypted"]]
    assert all(m["national_id_hash"] is None for m in without)
    field = set(Household.objects.filter(origin="field").values_list("pk", flat=True))
    # recorded twice, or (in a household found on the ground) a card not at hand that day
    assert all(m["relation"] == "ญาติ" or (m["household_id"] in field and not m["is_head"]) for m in without)
    ids = []
    for m in members:
        if not m["national_id_encrypted"]:
            continue
        nid = national_id.decrypt(m["national_id_encrypted"])
        assert len(nid) == 13 and nid.isdigit() and national_id.checksum_ok(nid)
        assert m["national_id_hash"] == national_id.lookup_hash(nid)
        assert all(nid not in str(value) for value in m.values()), "a clear national ID is stored"
        ids.append(nid)
    assert len(set(ids)) == len(ids)


def test_every_household_has_exactly_one_head_and_consistent_rows() -> None:
    demo(*SMALL)
    for h in Household.objects.filter(province_code="37").prefetch_related("members"):
        members = list(h.members.all())
        assert sum(m.is_head for m in members) == 1
        assert h.members_count == len(members)
        assert 1 <= len([m for m in members if m.national_id_hash or m.relation != "ญาติ"]) <= 7
        assert h.village.tambon_code == h.tambon_code
        assert h.code.startswith(f"{h.village.village_no:02d}-")
    entries = LedgerEntry.objects.filter(province_code="37")
    assert not entries.filter(amount__lte=0).exists()
    assert not entries.exclude(source=EntrySource.DEMO).exists()
    assert not entries.filter(created_by__isnull=False).exists()
    assert not entries.filter(Q(date__lt=dt.date(2024, 1, 1)) | Q(date__gt=dt.date(2024, 3, 31))).exists()
    mismatched = entries.exclude(
        tambon_code=F("household__tambon_code"),
        district_code=F("household__district_code"),
        province_code=F("household__province_code"),
        village_id=F("household__village_id"),
    )
    assert not mismatched.exists()
    assert all(a == a.quantize(Decimal("0.01")) for a in entries.values_list("amount", flat=True))
    per_month = entries.count() / Household.objects.filter(province_code="37").count() / 3
    assert 20 <= per_month <= 35


def test_first_month_debt_lines_follow_the_debt_rows() -> None:
    """Interest (F02) is the balance × rate / 12; principal (F01) the rest of the payment."""
    demo(*SMALL)
    for h in Household.objects.filter(province_code="37", status="active").prefetch_related("debts"):
        interest = principal = Decimal(0)
        for d in h.debts.all():
            assert d.as_of == dt.date(2024, 1, 1)
            if d.monthly_payment:
                i = (d.principal * d.interest_rate / 1200).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                interest += i
                principal += min(max(d.monthly_payment - i, Decimal(0)), d.principal)
        january = LedgerEntry.objects.filter(household=h, date__month=1)
        assert (january.filter(category_id="F02").aggregate(s=Sum("amount"))["s"] or 0) == interest, h.code
        assert (january.filter(category_id="F01").aggregate(s=Sum("amount"))["s"] or 0) == principal, h.code


def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    demo(*SMALL)
    first = digest()
    demo(*SMALL, "--reset")
    assert digest() == first
    demo("--households", "60", "--months", "3", "--end", "2567-03", "--seed", "8", "--reset")
    assert digest() != first


def test_if_empty_does_nothing_the_second_time() -> None:
    demo(*SMALL)
    before = (digest(), AuditEvent.objects.count(), Assignment.objects.count())
    out = demo(*SMALL, "--if-empty")
    assert (digest(), AuditEvent.objects.count(), Assignment.objects.count()) == before
    assert "demo-tambon-other" in out and "demo" in out


def test_without_reset_existing_demo_data_is_refused() -> None:
    demo(*SMALL)
    with pytest.raises(CommandError) as err:
        demo(*SMALL)
    assert err.value.returncode == 3


def test_reset_regenerates_and_keeps_the_audit_log() -> None:
    demo(*SMALL)
    assert rollups_verify() == []  # the demo's lines are in the totals
    old_ids = set(Household.objects.filter(province_code="37").values_list("pk", flat=True))
    count = len(old_ids)
    audit = AuditEvent.objects.count()
    demo(*SMALL, "--reset")
    new_ids = set(Household.objects.filter(province_code="37").values_list("pk", flat=True))
    assert len(new_ids) == count and not (old_ids & new_ids)
    assert not Member.objects.filter(household_id__in=old_ids).exists()
    assert not LedgerEntry.objects.filter(household_id__in=old_ids).exists()
    assert AuditEvent.objects.count() > audit
    assert AuditEvent.objects.filter(action=Action.DELETE, object_type="demo", object_id="37").count() == 1
    assert rollups_verify() == []  # the old lines left the totals with them
    for username, expected in EXPECTED_SCOPES.items():
        got = sorted((a.role, a.area_id) for a in Assignment.objects.filter(user__username=username))
        assert got == expected


def json_run(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    """--json: the command's stdout holds one JSON document and nothing else."""
    capsys.readouterr()
    out = demo(*args, "--json")
    assert capsys.readouterr().out == ""
    assert out.count("\n") == 1
    document: dict[str, object] = json.loads(out)
    return document


def test_json_prints_one_document_with_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    document = json_run(capsys, *SMALL)
    assert document["generated"] is True
    assert document["province"] == "37"
    assert document["households"] == Household.objects.filter(province_code="37").count()
    assert document["members"] == Member.objects.filter(household__province_code="37").count()
    assert document["debts"] == Debt.objects.filter(household__province_code="37").count()
    assert document["ledger_entries"] == LedgerEntry.objects.filter(province_code="37").count()
    assert document["villages"] == Area.objects.filter(province_code="37", level=Level.VILLAGE).count()
    assert document["users"] == 7
    assert document["organisations"] == Organisation.objects.filter(tambon__province_code="37").count() > 0
    assert document["target"] == Household.objects.filter(province_code="37", is_target=True).count() > 0
    assert (
        document["surveyed"]
        == Household.objects.filter(province_code="37", indicators__isnull=False).distinct().count()
    )
    assert document["duplicates"] == DuplicateCandidate.objects.filter(tambon_code__startswith="37").count() > 0
    logins = document["logins"]
    assert isinstance(logins, list)
    assert [login["username"] for login in logins] == list(EXPECTED_SCOPES)
    assert {login["password"] for login in logins} == {"demo"}
    again = json_run(capsys, *SMALL, "--if-empty")
    assert again["generated"] is False and again["households"] == document["households"]


def test_output_ends_with_the_logins_table_in_thai_or_english() -> None:
    lines = demo(*SMALL).strip().splitlines()
    assert lines[0].startswith("สร้างข้อมูลสาธิต จ.อำนาจเจริญ")
    table = [line for line in lines if line.strip().startswith("demo-")]
    assert [line.split()[0] for line in table] == list(EXPECTED_SCOPES)
    assert all(line.split()[1] == "demo" for line in table)
    assert "ต.บุ่ง" in next(line for line in table if line.split()[0] == "demo-tambon")
    english = demo(*SMALL, "--if-empty", "--lang", "en")
    assert "Tambon staff: Bung" in english


def test_bad_options_are_refused() -> None:
    with pytest.raises(CommandError) as err:
        demo("--end", "2099-01")
    assert err.value.returncode == 3
    with pytest.raises(CommandError) as err:
        demo("--province", "99")
    assert err.value.returncode == 3
    with pytest.raises(CommandError):
        demo("--months", "0")
    assert not Household.objects.exists()


def test_rice_farming_is_seasonal() -> None:
    demo("--households", "80", "--months", "12", "--end", "2024-03", "--seed", "3")
    rice = LedgerEntry.objects.filter(household__occupation_group="O01")

    def total(category: str, months: tuple[int, ...]) -> Decimal:
        return rice.filter(category_id=category, date__month__in=months).aggregate(s=Sum("amount"))["s"] or Decimal(0)

    assert total("P02", (5, 6, 7, 8)) > 10 * total("P02", (12, 1, 2))
    assert total("I02", (11, 12, 1, 2)) > 10 * total("I02", (6, 7, 8))
    assert total("P01", (5, 6)) > 0 and total("P01", (9, 10, 11, 12, 1, 2, 3)) == 0
    assert total("C18", (4,)) > total("C18", (2,))  # Songkran merit-making


def test_enterprises_keep_the_rice_crop_animals_and_shops_with_their_own_lines() -> None:
    demo("--households", "200", "--months", "12", "--end", "2025-04", "--seed", "2")
    enterprises = list(Enterprise.objects.select_related("household"))
    kinds = Counter(e.kind for e in enterprises)
    assert kinds["rice"] > 20 and kinds["livestock"] > 0 and kinds["shop"] + kinds["food"] > 0
    rice_households = Household.objects.filter(occupation_group__in=("O01", "O02")).count()
    assert 0.5 * rice_households < kinds["rice"] < 0.9 * rice_households  # most keep the crop's account, not all
    for e in enterprises:
        if e.kind == "rice":  # the 2567 crop (May 2567 – April 2568), on the household's rai
            assert (e.name, e.season, e.starts_on, e.ends_on) == (
                "ทำนาปี 2567",
                "2567/68",
                dt.date(2024, 5, 1),
                dt.date(2025, 4, 30),
            )
            assert e.area_rai and e.area_rai >= 3
    tagged = LedgerEntry.objects.filter(enterprise__isnull=False)
    assert not tagged.exclude(household=F("enterprise__household")).exists()  # a household's own lines only
    assert not tagged.filter(enterprise__ends_on__lt=F("date")).exists()
    assert not tagged.filter(enterprise__starts_on__gt=F("date")).exists()
    rice = [p for e in enterprises if e.kind == "rice" for p in enterprise_pnls(e.household, [e])]
    # a whole season: seed, fertiliser, tractor and combine hire, and the paddy sold
    assert all({"P02", "P05"} <= {line.code for line in p.production_lines} for p in rice)
    assert sum(1 for p in rice if p.revenue > 0) > 0.8 * len(rice)
    costs = sorted(p.cost_per_rai for p in rice if p.cost_per_rai is not None)
    assert Decimal(1000) < costs[len(costs) // 2] < Decimal(6000)  # baht a rai, as Isan rice costs
    pigs = [e for e in enterprises if e.name.startswith("เลี้ยงหมูขุน")]
    for e in pigs:
        items = set(LedgerEntry.objects.filter(enterprise=e).values_list("item", flat=True))
        assert all(i.startswith(("ขายหมูขุน", "ซื้อลูกหมู", "อาหารหมู")) for i in items)
    shops = [e for e in enterprises if e.kind == "shop"]
    assert all(LedgerEntry.objects.filter(enterprise=e, category_id="I05").exists() for e in shops)


# --- planning, without the database -----------------------------------------------


def _villages(n: int) -> list[Area]:
    return [
        Area(
            code=f"3701{t:02d}{v:02d}",
            level=Level.VILLAGE,
            province_code="37",
            district_code="3701",
            tambon_code=f"3701{t:02d}",
            village_no=v,
        )
        for t in range(1, n // 10 + 2)
        for v in range(1, 11)
    ][:n]


def test_occupation_welfare_size_and_debt_shares_match_the_targets() -> None:
    ref = dt.date(2024, 3, 31)
    plans = [
        household_plan(seed=11, village=v, number=n, ref=ref, surnames=village_surnames(11, v))
        for v in _villages(300)
        for n in range(1, 11)
    ]
    total = len(plans)
    shares = Counter(p.occupation for p in plans)
    for code, target in OCCUPATION_SHARES:
        assert abs(shares[code] / total - target) < 0.02, code
    assert abs(sum(p.welfare_card for p in plans) / total - 0.40) < 0.04
    assert abs(sum(bool(p.debts) for p in plans) / total - 0.70) < 0.04
    assert abs(sum(len(p.members) for p in plans) / total - 3.3) < 0.15
    assert all(sum(m.is_head for m in p.members) == 1 and p.members[0].is_head for p in plans)
    sources = Counter(d.source for p in plans for d in p.debts)
    assert sources.most_common(2)[0][0] in {"D01", "D02"} and sources.most_common(2)[1][0] in {"D01", "D02"}
    informal = [d for p in plans for d in p.debts if d.source == "D05"]
    assert informal and all(20 <= d.rate <= 60 for d in informal)
    assert sources["D05"] / total < 0.15


def test_plans_are_pure_functions_of_seed_and_key() -> None:
    v = _villages(1)[0]
    ref = dt.date(2024, 3, 31)
    a = household_plan(seed=5, village=v, number=3, ref=ref, surnames=village_surnames(5, v))
    b = household_plan(seed=5, village=v, number=3, ref=ref, surnames=village_surnames(5, v))
    assert a == b


def test_village_names_are_distinct_isan_names() -> None:
    import random

    names = village_names(random.Random(1), 16)
    assert len(set(names)) == 16
    assert all(n.startswith("บ้าน") for n in names)


def test_apportion_is_exact_and_proportional() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(7, [2.0, 0.0, 1.0]) == [5, 0, 2]
    assert sum(apportion(1044, [0.5 + i / 100 for i in range(600)])) == 1044


def test_debt_payments_split_interest_and_principal_and_stop_when_paid() -> None:
    from chumchon.demo.common import Book
    from chumchon.demo.households import HouseholdPlan, Traits

    debt = DebtPlan(
        source="D02",
        principal=Decimal("1000.00"),
        rate=Decimal("6.00"),
        monthly_payment=Decimal("600.00"),
        due_day=5,
    )
    plan = HouseholdPlan(
        key="x", village=_villages(1)[0], number=1, occupation="O01", welfare_card=False,
        members=[], debts=[debt], traits=Traits(),
    )  # fmt: skip
    balances = [debt.principal]
    lines = []
    month = Month(2024, 1)
    for _ in range(3):
        book = Book(month, __import__("random").Random(0))
        debt_payments(book, plan, balances)
        lines += book.lines
        month = month.next()
    assert [(d.isoformat(), c, a) for d, c, _, a in lines] == [
        ("2024-01-05", "F02", Decimal("5.00")),
        ("2024-01-05", "F01", Decimal("595.00")),
        ("2024-02-05", "F02", Decimal("2.03")),
        ("2024-02-05", "F01", Decimal("405.00")),
    ]
    assert balances == [Decimal("0.00")]


# --- the registry side: verification, needs survey, organisations, duplicates -------------


def test_dimension_flags_and_target_are_what_the_indicator_service_computes() -> None:
    demo(*SMALL)
    households = list(Household.objects.filter(province_code="37"))
    fields = ("fails_health", "fails_living", "fails_education", "fails_income", "fails_access")
    flagged = 0
    for h in households:
        stored = tuple(getattr(h, f) for f in (*fields, "dimensions_failed", "is_target"))
        dimensions_recompute(h)
        assert tuple(getattr(h, f) for f in (*fields, "dimensions_failed", "is_target")) == stored, h.code
        flagged += h.dimensions_failed > 0
    assert flagged > 0


def test_surveys_answer_every_indicator_within_the_last_year() -> None:
    demo(*SMALL)
    answers = HouseholdIndicator.objects.filter(household__province_code="37")
    per_household = Counter(answers.values_list("household_id", flat=True))
    assert set(per_household.values()) == {17}
    assert not answers.exclude(household__status="active").exists()
    recorded = list(answers.values_list("recorded_at", flat=True))
    end = dt.datetime(2024, 3, 31, 23, 59, tzinfo=dt.UTC)
    assert all(end - dt.timedelta(days=366) <= r <= end for r in recorded)
    in_tambon = Household.objects.filter(tambon_code="370101", status="active")
    assert in_tambon.filter(indicators__isnull=False).distinct().count() >= 0.9 * in_tambon.count()
    # demo-tambon's visits and surveys are signed by demo-tambon
    users = set(answers.filter(household__tambon_code="370101").values_list("recorded_by__username", flat=True))
    assert users <= {"demo-tambon", None}
    unsafe = answers.filter(indicator__code="L1", household__housing__in=["unsafe", "none"])
    assert unsafe.exists() and not unsafe.filter(failed=False).exists()


def test_verification_in_the_demo_tambon_and_status_follows_it() -> None:
    demo(*SMALL)
    tambon = Household.objects.filter(tambon_code="370101")
    total = tambon.count()
    listed = tambon.exclude(origin="field")
    shares = {v: n / listed.count() for v, n in Counter(listed.values_list("verification", flat=True)).items()}
    assert 0.45 <= shares.get("verified", 0) + shares.get("corrected", 0) <= 0.9, shares
    assert 0.05 <= shares.get("unverified", 0) <= 0.45, shares
    assert tambon.filter(origin="field").count() <= 0.25 * total
    assert not tambon.filter(origin="field").exclude(verification="verified").exists()
    assert {"welfare_registry", "tambon"} <= set(tambon.values_list("origin", flat=True))
    assert tambon.filter(consent="given").count() > total / 2
    status = {"verified": "active", "corrected": "active", "unverified": "active", "moved": "moved",
              "not_found": "not_found", "deceased": "dissolved"}  # fmt: skip
    province = Household.objects.filter(province_code="37")
    for verification, household_status in status.items():
        assert not province.filter(verification=verification).exclude(status=household_status).exists()
    assert not province.filter(verification="unverified", verified_at__isnull=False).exists()
    assert not province.exclude(verification="unverified").filter(verified_at__isnull=True).exists()
    assert not Member.objects.filter(household__status="moved").exclude(status="moved").exists()
    assert not Member.objects.filter(household__status="dissolved").exclude(status="deceased").exists()
    verified = tambon.exclude(verified_at=None)
    assert set(verified.values_list("verified_by__username", flat=True)) == {"demo-tambon"}
    end = dt.datetime(2024, 3, 31, 23, 59, tzinfo=dt.UTC)
    ages = [(end - v).days for v in province.exclude(verified_at=None).values_list("verified_at", flat=True)]
    assert max(ages) <= 548 and any(a > 365 for a in ages)  # some visits are stale


def test_members_facts_follow_age_and_household() -> None:
    demo(*SMALL)
    ref = dt.date(2024, 3, 31)
    for m in Member.objects.filter(household__province_code="37").select_related("household"):
        age = ref.year - m.birth_date.year - ((ref.month, ref.day) < (m.birth_date.month, m.birth_date.day))
        if age < 3:
            assert m.education == "", m
        elif age <= 5:
            assert m.education in ("preschool", "none"), m
        elif age <= 14:
            assert m.education in ("primary", "lower_secondary"), m
        if m.bedridden:
            assert age >= 60 and m.chronic_illness
        if m.elderly_living_alone:
            assert age >= 60
            assert not m.household.members.exclude(pk=m.pk).filter(status="here").exists()
        if m.status == "away":
            assert 18 <= age <= 45 and not m.is_head


def test_organisations_of_the_demo_tambon_and_their_members() -> None:
    demo(*SMALL)
    orgs = {o.kind: o for o in Organisation.objects.filter(tambon_id="370101")}
    assert orgs["council"].name == "สภาองค์กรชุมชนตำบลบุ่ง"
    assert orgs["welfare_fund"].name == "กองทุนสวัสดิการชุมชนตำบลบุ่ง"
    for org in orgs.values():
        assert org.registered_on is not None and 2551 <= org.registered_on.year + 543 <= 2562
        assert org.memberships.exists()
    tambons = set(Household.objects.filter(province_code="37").values_list("tambon_code", flat=True))
    assert set(Organisation.objects.filter(tambon__province_code="37").values_list("tambon_id", flat=True)) == tambons
    # fund members are the households paying the monthly contribution in their accounts
    paying = set(
        LedgerEntry.objects.filter(province_code="37", item__startswith="สมทบกองทุนสวัสดิการชุมชน").values_list(
            "household_id", flat=True
        )
    )
    members = set(
        OrganisationMembership.objects.filter(
            organisation__kind="welfare_fund", household__province_code="37", household__status="active"
        ).values_list("household_id", flat=True)
    )
    assert members == paying & set(Household.objects.filter(status="active").values_list("pk", flat=True))
    share = len(members) / Household.objects.filter(province_code="37", status="active").count()
    assert 0.3 <= share <= 0.7


def test_the_duplicates_queue_holds_the_planted_pairs() -> None:
    demo(*SMALL)
    for tambon in ("370101", "370201"):
        pairs = DuplicateCandidate.objects.filter(tambon_code=tambon).select_related("member_a", "member_b")
        assert 3 <= pairs.count() <= 6, tambon
        for c in pairs:
            a, b = c.member_a, c.member_b
            assert a is not None and b is not None
            assert (a.national_id_hash is None) != (b.national_id_hash is None)
            assert a.birth_date == b.birth_date and a.household_id != b.household_id
            assert a.first_name != b.first_name and name_similarity(a.first_name, b.first_name) >= 0.7
    planted = Member.objects.filter(household__province_code="37", relation="ญาติ", national_id_hash=None)
    assert DuplicateCandidate.objects.count() >= planted.count() >= 6


def test_reset_never_removes_a_real_household() -> None:
    demo(*SMALL)
    village = Household.objects.filter(province_code="37").first().village  # type: ignore[union-attr]
    real = [  # the office's own: one that left without a line, one active without lines
        Household.objects.create(
            code=f"REAL-{i}",
            village=village,
            province_code="37",
            district_code=village.district_code or "",
            tambon_code=village.tambon_code or "",
            status=status,
            left_on=dt.date(2026, 3, 1) if status != "active" else None,
        )
        for i, status in enumerate(["not_found", "active"])
    ]
    assert Household.objects.filter(province_code="37", is_demo=True).exists()
    demo(*SMALL, "--reset")
    assert Household.objects.filter(pk__in=[h.pk for h in real]).count() == 2
    assert not Household.objects.filter(province_code="37", is_demo=False).exclude(code__startswith="REAL-").exists()


def test_reset_removes_the_registry_rows_and_leaves_no_empty_pairs() -> None:
    demo(*SMALL)
    organisations = set(Organisation.objects.values_list("pk", flat=True))
    demo(*SMALL, "--reset")
    assert not DuplicateCandidate.objects.filter(member_a=None).exists()
    assert not DuplicateCandidate.objects.filter(member_b=None).exists()
    households = set(Household.objects.values_list("pk", flat=True))
    assert set(HouseholdIndicator.objects.values_list("household_id", flat=True)) <= households
    assert set(Organisation.objects.values_list("pk", flat=True)) == organisations  # kept, and reused
    assert DuplicateCandidate.objects.exists()


# --- the registry side, without the database -----------------------------------------


def _planned(n: int, drive: Drive, ref: dt.date) -> list[HouseholdPlan]:
    plans = []
    for v in _villages(n // 10):
        for k in range(1, 11):
            plan = household_plan(seed=11, village=v, number=k, ref=ref, surnames=village_surnames(11, v))
            record_plan(11, plan, drive, first=ref.replace(day=1) - dt.timedelta(days=330), ref=ref)
            plans.append(plan)
    return plans


def test_registry_shares_match_the_targets() -> None:
    ref = dt.date(2024, 3, 31)
    plans = _planned(3000, Drive(checked=0.75, found=0.09, surveyed=0.98, verifier="x", demo=True), ref)
    total = len(plans)
    housing = Counter(p.record.housing for p in plans)
    assert abs(housing["needs_repair"] / total - 0.20) < 0.03
    assert abs(housing["unsafe"] / total - 0.05) < 0.015
    assert abs(housing["none"] / total - 0.02) < 0.01
    poor = [p for p in plans if p.welfare_card]
    assert (
        sum(p.record.housing != "secure" for p in poor) / len(poor)
        > sum(p.record.housing != "secure" for p in plans) / total
    )
    farmers = [p for p in plans if p.occupation in ("O01", "O02")]
    assert sum(p.record.land_tenure == "own" for p in farmers) / len(farmers) > 0.7
    labourers = [p for p in plans if p.occupation == "O06"]
    assert sum(p.record.land_tenure == "none" for p in labourers) / len(labourers) > 0.45
    listed = [p for p in plans if p.record.origin != "field"]
    outcome = Counter(p.record.verification for p in listed)
    assert abs(outcome["verified"] / len(listed) - 0.60) < 0.04
    assert abs(outcome["corrected"] / len(listed) - 0.08) < 0.02
    assert abs(outcome["not_found"] / len(listed) - 0.04) < 0.015
    assert abs(outcome["moved"] / len(listed) - 0.02) < 0.012
    assert 0.003 < outcome["deceased"] / len(listed) < 0.02
    assert abs(outcome["unverified"] / len(listed) - 0.25) < 0.04
    assert 0.07 < (total - len(listed)) / len(listed) < 0.13  # about one found for every ten listed
    people = [(m, m.age_on(ref)) for p in plans for m in p.members]
    elderly = [m for m, a in people if a >= 60]
    assert 0.24 < sum(m.facts.chronic_illness for m in elderly) / len(elderly) < 0.36
    assert 0.005 < sum(m.facts.bedridden for m in elderly) / len(elderly) < 0.03
    assert 0.015 < sum(m.facts.disability for m, _ in people) / len(people) < 0.035
    old = [m for m in elderly if m.age_on(ref) >= 70]
    assert sum(m.facts.education in ("primary", "none") for m in old) / len(old) > 0.9
    young = [m for m, a in people if 20 <= a < 35]
    secondary = sum(m.facts.education in ("lower_secondary", "upper_secondary") for m in young)
    assert secondary > len(young) / 2
    assert 0.03 < sum(m.facts.status == "away" for m, _ in people) / len(people) < 0.12

    def working_away(group: list[HouseholdPlan]) -> float:
        return sum(any(m.facts.status == "away" and not m.facts.in_school for m in p.members) for p in group) / len(
            group
        )

    # the children working away are those who send money home
    sending = [p for p in plans if p.traits.remittance]
    assert working_away(sending) > 4 * working_away([p for p in plans if not p.traits.remittance])


def test_verification_elsewhere_is_patchy() -> None:
    villages = [
        Area(code=f"37{d:02d}{t:02d}{v:02d}", level=Level.VILLAGE, tambon_code=f"37{d:02d}{t:02d}", village_no=v)
        for d in (1, 2)
        for t in range(1, 31)
        for v in range(1, 11)
    ]
    drives = drives_plan(seed=3, villages=villages, demo_tambons={"370101": "demo-tambon"})
    assert all(d.demo and d.verifier == "demo-tambon" for c, d in drives.items() if c.startswith("370101"))
    by_tambon: dict[str, list[float]] = {}
    for code, d in drives.items():
        if not code.startswith("370101"):
            assert not d.demo and not d.verifier and 0 <= d.checked <= 0.5
            by_tambon.setdefault(code[:6], []).append(d.checked)
    levels = [sum(v) / len(v) for v in by_tambon.values()]
    assert min(levels) == 0 and 0.1 < sum(levels) / len(levels) < 0.25 and max(levels) <= 0.4
    assert any(max(v) - min(v) > 0.1 for v in by_tambon.values())  # villages of a tambon differ


def test_income_lines_are_the_accounts_income_lines() -> None:
    ref = dt.date(2024, 3, 31)
    months = months_between(Month(2023, 4), Month(2024, 3))
    for plan in _planned(30, Drive(checked=0, found=0, surveyed=1), ref):
        everything = household_lines(seed=11, plan=plan, months=months)
        assert income_lines(seed=11, plan=plan, months=months) == [x for x in everything if x[1].startswith("I")]


def test_needs_survey_shares_are_those_of_a_real_province() -> None:
    """About a third fail a dimension; income and living standard most often."""
    ref = dt.date(2024, 3, 31)
    months = months_between(Month(2023, 4), Month(2024, 3))
    plans = _planned(400, Drive(checked=0.75, found=0.09, surveyed=1.0, demo=True), ref)
    dims = {"H": 0, "L": 0, "E": 0, "I": 0, "A": 0}
    failing = 0
    for plan in plans:
        income = income_per_person(plan, cash_income(income_lines(seed=11, plan=plan, months=months)))
        failed = {code[0] for code, fails in survey_answers(11, plan, ref, income).items() if fails}
        failing += bool(failed)
        for d in failed:
            dims[d] += 1
    n = len(plans)
    assert 0.22 <= failing / n <= 0.42, failing / n
    assert dims["I"] >= dims["E"] and dims["L"] >= dims["E"]
    assert 0.02 <= dims["H"] / n <= 0.12 and 0.005 <= dims["A"] / n <= 0.07, dims


def test_misspellings_sound_alike() -> None:
    assert misspelt("บุญมี") == "บุนมี"
    assert misspelt("ศรีสุข") == "สีสุข"
    assert misspelt("สมชาย") == ""
    assert name_similarity("บุญมี", misspelt("บุญมี")) >= 0.85
