"""Target groups over the registry: a programme for houses needing repair of welfare-card
holders pays only items where such households live, says why under the small-cell rule,
and is read from the import's ``กลุ่มเป้าหมาย`` column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chumchon.access.scope import SYSTEM
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.matching.imports import programmes_import
from chumchon.matching.models import Programme
from chumchon.matching.rules import reasons
from chumchon.matching.selectors import match_inputs_for
from chumchon.matching.tests.test_imports import THAI, _write
from chumchon.matching.tests.test_match import YEAR, _item, _programme
from chumchon.registry.models import Household
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    v1, v2 = factories.village("370101", 1), factories.village("370101", 2)
    factories.household(v1, housing="needs_repair", welfare_card=True)
    factories.household(v1, housing="secure", welfare_card=True)
    factories.household(v2, housing="needs_repair", welfare_card=False)
    factories.household(v2, housing="needs_repair", welfare_card=True, status="moved")  # gone: not counted
    codi = _programme("CODI-06", 100_000, actors=("agency",), domains=("housing",), kind="codi")
    codi.target_group = ["house_needs_repair", "welfare_card"]
    codi.save()
    return {
        "v1": _item(v1, "ซ่อมบ้าน หมู่ 1", actor="agency", cost=20_000, households=1, domain="housing"),
        "v2": _item(v2, "ซ่อมบ้าน หมู่ 2", actor="agency", cost=20_000, households=1, domain="housing"),
        "codi": codi,
    }


def test_only_items_where_the_target_group_lives_are_candidates(world):
    inputs = match_inputs_for(SYSTEM, Area.objects.get(code="370101"), YEAR)
    assert {i for i, _p in inputs.eligible} == {world["v1"].pk}
    assert inputs.target_counts[world["codi"].pk] == {"37010101": 1, "37010102": 0}
    held = {r.rule: r for r in inputs.reasons(world["v1"].pk, world["codi"].pk)}["target"]
    # One household: the count is not told (the small-cell rule).
    assert held.ok and "น้อยกว่า 5 ครัวเรือน" in held.th and "บ้านต้องซ่อมแซม และ ถือบัตรสวัสดิการแห่งรัฐ" in held.th
    broken = {r.rule: r for r in reasons(world["v2"], world["codi"])}["target"]
    assert not broken.ok and broken.th.startswith("ไม่มีครัวเรือนกลุ่มเป้าหมาย")
    assert any("ไม่มีครัวเรือนกลุ่มเป้าหมาย" in w for w in inputs.why_not[world["v2"].pk])
    # Five in the village: now the count is told.
    for _ in range(4):
        factories.household(Area.objects.get(code="37010101"), housing="needs_repair", welfare_card=True)
    held = {r.rule: r for r in reasons(world["v1"], world["codi"])}["target"]
    expected = Household.objects.filter(village_id="37010101", housing="needs_repair", welfare_card=True,
                                        status="active").count()  # fmt: skip
    assert expected == 5 and "5 ครัวเรือน" in held.th and "น้อยกว่า" not in held.th


def test_the_import_reads_target_groups_by_code_or_thai_name_and_refuses_others(tmp_path):
    factories.village("370101", 1)
    province = Area.objects.get(code="37")
    header = [*THAI, "กลุ่มเป้าหมาย"]
    good = ["CODI-06", "สถาบันพัฒนาองค์กรชุมชน", "พอช.", "บ้านพอเพียง", "CODI06", "2568", "400000", "50", "agency",
            "housing", "", "บ้านต้องซ่อมแซม, welfare_card"]  # fmt: skip
    result = programmes_import(actor=Actor.system("t"), province=province, path=_write(tmp_path / "a.csv", header,
                                                                                       [good]), filename="a.csv")  # fmt: skip
    assert result.completed
    assert Programme.objects.get(code="CODI-06").target_group == ["house_needs_repair", "welfare_card"]
    bad = [*good[:-1], "คนจนทุกคน"]
    bad[0] = "CODI-07"
    result = programmes_import(actor=Actor.system("t"), province=province, path=_write(tmp_path / "b.csv", header,
                                                                                      [bad]), filename="b.csv")  # fmt: skip
    assert not result.completed
    (error,) = result.report.errors
    assert (error.row, error.column) == (2, "กลุ่มเป้าหมาย") and not Programme.objects.filter(code="CODI-07").exists()
    assert Decimal(Programme.objects.get(code="CODI-06").budget) == Decimal(400_000)
