"""``chumchon demo``: users and scopes, data where the demo users look, encryption,
reproducibility, --if-empty, --reset, --json, seasonality and proportions."""

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

from chumchon.access.models import Action, Assignment, AuditEvent, Role, User
from chumchon.areas.models import Area, Level
from chumchon.core import national_id
from chumchon.core.thai import Month
from chumchon.demo.common import apportion
from chumchon.demo.debts import DebtPlan
from chumchon.demo.households import OCCUPATION_SHARES, household_plan, village_surnames
from chumchon.demo.ledger import debt_payments
from chumchon.demo.places import village_names
from chumchon.demo.users import DEMO_USERNAMES
from chumchon.ledgers.models import EntrySource, LedgerEntry
from chumchon.registry.models import Debt, Household, Member

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


def digest(province: str = "37") -> str:
    """A fingerprint of everything generated, independent of primary keys and timestamps."""
    h = hashlib.sha256()
    for row in (
        Household.objects.filter(province_code=province)
        .order_by("tambon_code", "code")
        .values_list("tambon_code", "code", "village_id", "house_no", "occupation_group", "welfare_card", "lat", "lon")
    ):
        h.update(repr(row).encode())
    for row in (
        Member.objects.filter(household__province_code=province)
        .order_by("household__tambon_code", "household__code", "-is_head", "national_id_hash")
        .values_list(
            "household__code", "title", "first_name", "last_name", "birth_date", "relation", "national_id_hash"
        )
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
        .values_list("tambon_code", "household__code", "date", "category_id", "amount", "item")
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
            seen = {d.strftime("%Y-%m") for d in LedgerEntry.objects.filter(household=h).values_list("date", flat=True)}
            assert seen == months, h.code


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
    ids = []
    for m in members:
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
        assert 1 <= len(members) <= 7
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
    for h in Household.objects.filter(province_code="37").prefetch_related("debts"):
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
