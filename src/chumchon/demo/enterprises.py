"""The demo households' enterprises (business and crop-season accounts) and which of
their lines belong to each.

A household that farms, keeps animals or runs a shop keeps that enterprise's profit
and loss apart (seed 002's second factor of a strong tambon): the crop year's rice
on its rai (most rice households, not all: a share keep the separate account), the
cassava or sugarcane field, the pigs, cattle or chickens, the village shop or food
stall. The lines are the ones the household already writes — the season's lines of
:mod:`chumchon.demo.seasons` (recomputed from their own random stream, so nothing
else moves), the rent of the paddy, the animals' feed and sales, the shop's stock
and takings — tagged to the enterprise, as an officer does on the enterprise page.

Deterministic by seed: whether a household keeps the account is drawn from its own
stream (``rng_for(seed, "enterprise", key)``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from chumchon.core.thai import Month
from chumchon.demo.common import Line, rng_for
from chumchon.demo.households import HouseholdPlan
from chumchon.demo.seasons import season_plan
from chumchon.ledgers.models import EnterpriseKind as EK
from chumchon.registry.models import OccupationGroup as OG

KEEPS_RICE_ACCOUNT = 0.7  # share of rice households keeping the crop's account apart

# The item each animal or trade writes (demo.earning), as the start of the line's item.
ANIMAL_ITEMS = {
    "cattle": ("ขายวัว", "ซื้อฟางข้าว", "อาหารข้นวัว", "ขายปุ๋ยขี้วัว", "ค่ายาถ่ายพยาธิ วัคซีนวัว"),
    "chickens": ("ขายไก่บ้าน", "ขายไข่ไก่", "อาหารไก่"),
    "pigs": ("ขายหมูขุน", "ซื้อลูกหมู", "อาหารหมู"),
}
ANIMAL_NAMES = {"cattle": "เลี้ยงวัว", "chickens": "เลี้ยงไก่บ้าน ไก่ไข่", "pigs": "เลี้ยงหมูขุน"}
TRADE_ITEMS = {
    "grocery": ("ซื้อของเข้าร้านที่แม็คโคร", "ยอดขายร้านค้า", "น้ำมันรถไปซื้อของเข้าร้าน"),
    "food": ("ซื้อวัตถุดิบทำอาหารขาย", "ขายส้มตำ ไก่ย่าง", "ค่าแก๊ส ถ่าน"),
    "market": ("ซื้อผักผลไม้ไปขายตลาดนัด", "ขายของตลาดนัด", "ค่าที่ตลาดนัด"),
}
TRADE = {
    "grocery": ("ร้านขายของชำ", EK.SHOP),
    "food": ("ร้านส้มตำ ไก่ย่าง", EK.FOOD),
    "market": ("ขายของตลาดนัด", EK.FOOD),
}


@dataclass
class EnterprisePlan:
    """One enterprise of a demo household and the lines that are its own."""

    name: str
    kind: str
    season: str = ""
    area_rai: Decimal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    lines: frozenset[Line] = frozenset()  # exact lines (a crop season's)
    items: tuple[str, ...] = ()  # or lines whose item starts so, within the dates
    rent_item: str = ""  # the rent of the land, paid at the sale of this crop year
    pk: int | None = field(default=None, compare=False)

    def owns(self, line: Line) -> bool:
        day, _category, item, _amount = line
        if (self.starts_on and day < self.starts_on) or (self.ends_on and day > self.ends_on):
            return False
        if line in self.lines:
            return True
        if self.rent_item and item.startswith(self.rent_item):
            return True
        return any(item.startswith(prefix) for prefix in self.items)


def crop_year_of(months: Sequence[Month]) -> int:
    """The crop year (May–April) whose sowing is the latest the months hold, else the first month's."""
    mays = [m.year for m in months if m.month == 5]
    if mays:
        return max(mays)
    first = months[0]
    return first.year if first.month >= 5 else first.year - 1


def _season(seed: int, plan: HouseholdPlan, year: int, name: str, kind: str, rent: str) -> EnterprisePlan:
    season = season_plan(seed, plan, year)
    return EnterprisePlan(
        name=name,
        kind=kind,
        season=f"{year + 543}/{(year + 544) % 100:02d}",
        area_rai=Decimal(plan.traits.rai),
        starts_on=dt.date(year, 5, 1),
        ends_on=dt.date(year + 1, 4, 30),
        lines=frozenset(line for lines in season.lines.values() for line in lines),
        rent_item=rent,
    )


def enterprises_plan(seed: int, plan: HouseholdPlan, months: Sequence[Month]) -> list[EnterprisePlan]:
    """The household's enterprises over the demo's months (none for most households,
    and none for one that left or was never there: its lines stop at the day it left)."""
    if plan.record.left_on is not None:
        return []
    t = plan.traits
    first = months[0].first_day
    if plan.occupation in (OG.RICE, OG.RICE_PLUS) and t.rai:
        if rng_for(seed, "enterprise", plan.key).random() >= KEEPS_RICE_ACCOUNT:
            return []
        year = crop_year_of(months)
        return [_season(seed, plan, year, f"ทำนาปี {year + 543}", EK.RICE, "ค่าเช่านา")]
    if plan.occupation == OG.ORCHARD and t.crop in ("cassava", "sugarcane") and t.rai:
        year = crop_year_of(months)
        crop = "มันสำปะหลัง" if t.crop == "cassava" else "อ้อย"
        return [_season(seed, plan, year, f"ไร่{crop} {year + 543}", EK.FIELD_CROP, "ค่าเช่าที่ไร่")]
    if plan.occupation == OG.LIVESTOCK and t.livestock in ANIMAL_ITEMS:
        unit = "ตัว"
        return [
            EnterprisePlan(
                name=f"{ANIMAL_NAMES[t.livestock]} {t.herd} {unit}",
                kind=EK.LIVESTOCK,
                starts_on=first,
                items=ANIMAL_ITEMS[t.livestock],
            )
        ]
    if plan.occupation == OG.BUSINESS and t.trade in TRADE:
        name, kind = TRADE[t.trade]
        return [EnterprisePlan(name=name, kind=kind, starts_on=first, items=TRADE_ITEMS[t.trade])]
    return []


def enterprise_of(enterprises: Sequence[EnterprisePlan], line: Line) -> int | None:
    """The saved enterprise a line belongs to, if any."""
    for e in enterprises:
        if e.owns(line):
            return e.pk
    return None
