"""Household enterprises of a tambon: medians of cost per rai of rice and profit by kind
against an independent computation from the raw lines, the small-cell rule for
readers of aggregates, the tambon and village block, and the forum pack section."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.access.models import Role
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.insights.enterprises import enterprise_figures, relative_diff
from chumchon.insights.forum.pack.enterprises import enterprise_section
from chumchon.ledgers.models import LedgerEntry
from chumchon.ledgers.services import (
    EnterpriseInput,
    LineInput,
    enterprise_create,
    enterprise_tag_entries,
    ledger_entries_add,
    ledger_entry_reverse,
)
from tests import factories

pytestmark = pytest.mark.django_db

TAMBON, V1, V2 = "370101", "37010101", "37010102"
END = Month(2024, 12)
CENT = Decimal("0.01")
# Revenue and cost categories (income, production, consumption) and ones that are
# neither (a loan received, principal repaid, savings): not part of the profit.
REVENUE, COSTS, NEITHER = ("I01", "I03", "I05"), ("P01", "P02", "P05", "P09", "C01"), ("F05", "F01", "F03")


@pytest.fixture
def tambon():
    """V1: seven rice farms and two shops; V2: three rice farms and five pig farms.
    Each enterprise has random lines of 2024, a line of 2023 (outside the window), an
    untagged line, and one of its lines reversed."""
    rng = random.Random(2567)
    actor = Actor.system("test")
    plan = {V1: [("rice", 7), ("shop", 2)], V2: [("rice", 3), ("livestock", 5)]}
    for code, kinds in plan.items():
        village = factories.village(TAMBON, int(code[6:]))
        for kind, count in kinds:
            for _ in range(count):
                household = factories.household(village)
                lines = [
                    LineInput(
                        date=dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                        category=rng.choice(REVENUE + COSTS + NEITHER),
                        amount=Decimal(rng.randint(1000, 900_000)) / 100,
                    )
                    for _ in range(rng.randint(4, 12))
                ]
                lines.append(LineInput(date=dt.date(2023, 6, 1), category="P02", amount=Decimal(777)))
                entries = ledger_entries_add(actor=actor, household=household, lines=lines)
                rai = Decimal(rng.randint(300, 2500)) / 100 if kind == "rice" else None
                enterprise = enterprise_create(
                    actor=actor, household=household,
                    data=EnterpriseInput(name=f"{kind} {household.pk}", kind=kind, area_rai=rai),
                )  # fmt: skip
                enterprise_tag_entries(actor=actor, enterprise=enterprise, tag=[e.pk for e in entries[1:]])
                # a correction: the reversal follows its line's tag, so the line counts for nothing
                ledger_entry_reverse(actor=actor, entry=entries[2], reason="เขียนผิด")


def expected(village: str | None, kind: str) -> tuple[int, Decimal | None, Decimal | None]:
    """(enterprises, median profit, median cost per rai) straight from the raw lines."""
    profit: dict[int, Decimal] = defaultdict(Decimal)
    costs: dict[int, Decimal] = defaultdict(Decimal)
    rows = LedgerEntry.objects.filter(
        enterprise__kind=kind, date__gte=dt.date(2024, 1, 1), date__lte=dt.date(2024, 12, 31)
    ).select_related("enterprise")
    if village:
        rows = rows.filter(village_id=village)
    rai: dict[int, Decimal] = {}
    counted: dict[int, int] = defaultdict(int)
    for e in rows:
        if e.category_id in REVENUE + COSTS:
            counted[e.enterprise_id] += -1 if e.reverses_id else 1
        if e.category_id in REVENUE:
            profit[e.enterprise_id] += e.amount
        elif e.category_id in COSTS:
            profit[e.enterprise_id] -= e.amount
            costs[e.enterprise_id] += e.amount
        rai[e.enterprise_id] = e.enterprise.area_rai
    ids = sorted(i for i, n in counted.items() if n > 0)
    if not ids:
        return 0, None, None

    def med(values: list[Decimal]) -> Decimal | None:
        return Decimal(statistics.median(values)).quantize(CENT, rounding=ROUND_HALF_UP) if values else None

    per_rai = [(costs[i] / rai[i]).quantize(CENT, rounding=ROUND_HALF_UP) for i in ids if rai.get(i)]
    return len(ids), med([profit[i] for i in ids]), med(per_rai)


def test_medians_match_an_independent_computation_for_staff(tambon):
    staff = factories.user(Role.TAMBON_STAFF, TAMBON)
    f = enterprise_figures(Area.objects.get(code=TAMBON), END, user=staff)
    assert f is not None and f.kinds == ("rice", "livestock", "shop")
    assert f.start == Month(2024, 1) and not f.protected
    for kind in f.kinds:
        n, profit, per_rai = expected(None, kind)
        k = f.tambon.kinds[kind]
        assert (k.enterprises, k.profit) == (n, profit)
        assert k.cost_per_rai == (per_rai if kind == "rice" else None)
    by_village = {v.area.code: v for v in f.villages}
    for code in (V1, V2):
        n, profit, per_rai = expected(code, "rice")
        rice = by_village[code].kinds["rice"]
        assert (rice.enterprises, rice.profit, rice.cost_per_rai) == (n, profit, per_rai)
    assert by_village[V1].kinds["rice"].enterprises == 7 and by_village[V2].kinds["rice"].enterprises == 3


def test_aggregate_readers_get_no_value_fewer_than_five_enterprises_stand_behind(tambon):
    agency = factories.user(Role.AGENCY, "37")
    f = enterprise_figures(Area.objects.get(code=TAMBON), END, user=agency)
    assert f is not None and f.protected
    whole = f.tambon.kinds
    # the tambon: ten rice farms and five pig farms are shown, with their counts; two shops are not
    assert whole["rice"].enterprises == 10 and whole["rice"].profit == expected(None, "rice")[1]
    assert whole["livestock"].enterprises == 5 and not whole["livestock"].hidden
    assert whole["shop"].hidden and whole["shop"].profit is None and whole["shop"].enterprises is None
    v1, v2 = ({v.area.code: v for v in f.villages}[c] for c in (V1, V2))
    # a village's median is shown with 5 or more enterprises behind it, never its count
    assert v1.kinds["rice"].profit == expected(V1, "rice")[1] and v1.kinds["rice"].enterprises is None
    assert v2.kinds["rice"].hidden and v2.kinds["rice"].profit is None and v2.kinds["rice"].cost_per_rai is None
    assert v2.kinds["livestock"].profit == expected(V2, "livestock")[1]
    # no count below the tambon is shown, so none can be had by subtraction (10 − 7 = 3)
    assert all(k.enterprises is None for v in f.villages for k in v.kinds.values())


def test_the_block_on_the_tambon_and_village_pages(tambon):
    client = Client()
    client.force_login(factories.user(Role.AGENCY, "37"))
    page = client.get(reverse("areas:detail", args=[TAMBON])).content.decode()
    assert reverse("insights:enterprises", args=[TAMBON]) in page  # loaded into the tambon page
    block = client.get(reverse("insights:enterprises", args=[TAMBON]) + "?to=2024-12", HTTP_HX_REQUEST="true")
    html = block.content.decode()
    assert block.status_code == 200 and html.lstrip().startswith('<div id="enterprises-block"')
    assert "ต้นทุนทำนาต่อไร่" in html and "ปกปิด" in html and "ค่ามัธยฐาน" in html
    cost = expected(None, "rice")[2]
    assert cost is not None and f"฿{cost.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}" in html
    village = client.get(reverse("insights:enterprises", args=[V1]) + "?to=2024-12")
    assert village.status_code == 200 and "<html" in village.content.decode()
    assert village.context["rows"][0][0].code == V1
    assert client.get(reverse("insights:enterprises", args=["37"])).status_code == 404
    outside = Client()
    outside.force_login(factories.user(Role.TAMBON_STAFF, "370102"))
    assert outside.get(reverse("insights:enterprises", args=[TAMBON])).status_code == 404


def test_the_forum_pack_section_is_public_unless_internal(tambon):
    village = Area.objects.get(code=V1)
    section = enterprise_section(village, END, internal=False)
    here, kinds = section.blocks[0].table, section.blocks[1].table
    assert here is not None and kinds is not None
    rows = {row[0]: row for row in here.rows}
    _n, v1_profit, v1_cost = expected(V1, "rice")
    _n, t_profit, t_cost = expected(None, "rice")
    cost_row = rows["ต้นทุนทำนาต่อไร่"]
    assert (cost_row[1].value, cost_row[2].value, cost_row[3]) == (v1_cost, t_cost, relative_diff(v1_cost, t_cost))
    assert (rows["กำไร: ทำนา"][1].value, rows["กำไร: ทำนา"][2].value) == (v1_profit, t_profit)
    shop = rows["กำไร: ร้านค้าในหมู่บ้าน"]
    assert shop[1].value is None and shop[2].value is None  # two shops: hidden in a public pack
    internal = enterprise_section(village, END, internal=True)
    shop = {row[0]: row for row in internal.blocks[0].table.rows}["กำไร: ร้านค้าในหมู่บ้าน"]
    assert shop[1].value == expected(V1, "shop")[1] and shop[2].value == expected(None, "shop")[1]
    tambon_pack = enterprise_section(Area.objects.get(code=TAMBON), END, internal=False)
    villages = tambon_pack.blocks[-1].table
    assert villages is not None and [r[0] for r in villages.rows] == [
        Area.objects.get(code=V1).display_name,
        Area.objects.get(code=V2).display_name,
    ]
    assert villages.rows[1][1].value is None  # three rice farms in V2
    assert villages.total[1].value == t_cost and villages.total[3].value == t_profit
