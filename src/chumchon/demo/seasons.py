"""The farming year of a household that grows rice, cassava or sugarcane.

Isan grows one rain-fed rice crop a year: ploughing and sowing in May–June with the
first rains (seed, tractor hire, herbicide), fertiliser in June–August (16-20-0 at
sowing or transplanting, urea 46-0-0 when the panicles form), the harvest in
November–December (combine hire), and the paddy sold from November to February, a
little kept in the granary and sold before the next planting. Cassava and sugarcane
are planted or fertilised in the early rains and harvested December–March.

A crop year runs from May to the next April. Each crop year of a household is drawn
from its own random stream, so a month's lines do not depend on how many months are
generated.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from chumchon.core.thai import Month
from chumchon.demo.common import Line, baht, day_in, rng_for, weighted
from chumchon.demo.households import HouseholdPlan
from chumchon.registry.models import OccupationGroup as OG


@dataclass
class Season:
    """The crop-year lines of a household, by month, and when it sold most of its crop."""

    lines: dict[Month, list[Line]] = field(default_factory=dict)
    main_sale: Month | None = None

    def add(self, month: Month, rng: random.Random, category: str, item: str, amount: float, step: int = 10) -> None:
        self.lines.setdefault(month, []).append((day_in(month, rng), category, item, baht(amount, step)))


def crop_year(month: Month) -> int:
    """The crop year a month belongs to: May–April, named after the year it starts."""
    return month.year if month.month >= 5 else month.year - 1


def season_plan(seed: int, plan: HouseholdPlan, year: int) -> Season:
    rng = rng_for(seed, "season", plan.key, year)
    if plan.occupation in (OG.RICE, OG.RICE_PLUS):
        return rice_season(rng, plan, year)
    if plan.occupation == OG.ORCHARD and plan.traits.crop in ("cassava", "sugarcane"):
        return field_crop_season(rng, plan, year)
    return Season()


def _sacks(rai: int, rai_per_sack: float, rng: random.Random) -> int:
    return max(1, math.ceil(rai / rai_per_sack * rng.uniform(0.8, 1.2)))


def rice_season(rng: random.Random, plan: HouseholdPlan, year: int) -> Season:
    rai = plan.traits.rai
    s = Season()
    may, jun, jul, aug, sep = (Month(year, m) for m in (5, 6, 7, 8, 9))
    transplant = rng.random() < 0.25  # most broadcast the seed; some still transplant
    hom_mali = rng.random() < 0.65
    variety = "ข้าวหอมมะลิ" if hom_mali else "ข้าวเหนียว"

    # Land preparation and seed.
    s.add(may, rng, "P05", f"ค่ารถไถดะ {rai} ไร่", rai * rng.uniform(300, 400))
    if rng.random() < 0.5:
        s.add(may, rng, "P03", "ซื้อยาฆ่าหญ้า", rng.uniform(250, 600) * math.ceil(rai / 10))
    if rng.random() < 0.4:
        q = _sacks(rai, 3, rng)
        s.add(may, rng, "P02", f"ซื้อปุ๋ยคอก {q} กระสอบ", q * rng.uniform(120, 200))
    if rng.random() < 0.6:
        kg = max(5, round(rai * (8 if transplant else rng.uniform(15, 20)) / 5) * 5)
        s.add(may if rng.random() < 0.3 else jun, rng, "P01", f"ซื้อพันธุ์{variety} {kg} กก.", kg * rng.uniform(25, 32))
    if rng.random() < 0.7:
        s.add(jun, rng, "P05", f"ค่ารถไถแปร หว่านข้าว {rai} ไร่", rai * rng.uniform(250, 350))

    # Planting and fertiliser.
    sowing = jul if transplant else jun
    if transplant:
        s.add(jul, rng, "P05", f"ค่าจ้างดำนา {rai} ไร่", rai * rng.uniform(500, 650))
    q = _sacks(rai, 4, rng)
    s.add(sowing, rng, "P02", f"ซื้อปุ๋ยสูตร 16-20-0 {q} กระสอบ", q * rng.uniform(780, 950))
    if rng.random() < 0.5:
        q = _sacks(rai, 6, rng)
        s.add(jul, rng, "P02", f"ซื้อปุ๋ยสูตร 15-15-15 {q} กระสอบ", q * rng.uniform(850, 1000))
    q = _sacks(rai, 6, rng)
    s.add(aug, rng, "P02", f"ซื้อปุ๋ยยูเรีย 46-0-0 {q} กระสอบ", q * rng.uniform(800, 1000))
    if rng.random() < 0.6:
        s.add(jul, rng, "P03", "ซื้อยาคุมหญ้า ยาฆ่าแมลง", rng.uniform(250, 800) * math.ceil(rai / 10))
    if rng.random() < 0.3:
        s.add(aug, rng, "P03", "ซื้อยากำจัดเพลี้ย", rng.uniform(200, 600))
    for month in (jul, aug, sep):
        if rng.random() < 0.2:
            s.add(month, rng, "P06", "น้ำมันเครื่องสูบน้ำเข้านา", rng.uniform(150, 450))

    # Harvest and sales.
    harvest = Month(year, 11) if rng.random() < 0.7 else Month(year, 12)
    s.add(harvest, rng, "P05", f"ค่ารถเกี่ยวข้าว {rai} ไร่", rai * rng.uniform(450, 600))
    s.add(harvest, rng, "P09", "ค่ากระสอบ ค่าขนข้าวขึ้นยุ้ง", rng.uniform(200, 800))
    if rng.random() < 0.5:
        s.add(harvest, rng, "P06", "น้ำมันรถขนข้าว", rng.uniform(200, 500))
    rice_sales(rng, s, plan, year, harvest, "หอมมะลิ" if hom_mali else "เหนียว")
    if rng.random() < 0.3:
        bales = rng.randint(50, 200)
        s.add(harvest.next(), rng, "I02", f"ขายฟางข้าว {bales} ก้อน", bales * rng.uniform(20, 30))
    return s


def rice_sales(rng: random.Random, s: Season, plan: HouseholdPlan, year: int, harvest: Month, kind: str) -> None:
    """Paddy sold in one to three lots from harvest to February; some kept for later."""
    rai = plan.traits.rai
    sell_share = rng.uniform(0.7, 0.85) if plan.occupation == OG.RICE else rng.uniform(0.5, 0.7)
    kg_total = rai * rng.uniform(350, 480) * sell_share
    price = rng.uniform(12_000, 15_500) if kind == "หอมมะลิ" else rng.uniform(10_000, 13_000)  # baht a ton
    candidates = [m for m in (Month(year, 11), Month(year, 12), Month(year + 1, 1), Month(year + 1, 2)) if m >= harvest]
    lots = min(len(candidates), weighted(rng, ((1, 0.35), (2, 0.45), (3, 0.2))))
    months = sorted(rng.sample(candidates, lots))
    shares = [rng.uniform(0.5, 1.0) for _ in months]
    shares[0] += 0.6  # most goes in the first sale
    leftover = rng.random() < 0.25
    granary = kg_total * rng.uniform(0.05, 0.15) if leftover else 0.0
    biggest = 0.0
    for month, share in zip(months, shares, strict=True):
        kg = max(100, round((kg_total - granary) * share / sum(shares) / 10) * 10)
        amount = kg * price / 1000
        s.add(month, rng, "I02", f"ขายข้าวเปลือก{kind} {kg:,} กก.", amount, step=1)
        if amount > biggest:
            biggest, s.main_sale = amount, month
    if leftover:
        kg = max(100, round(granary / 10) * 10)
        month = Month(year + 1, rng.choice((3, 4)))
        s.add(month, rng, "I02", f"ขายข้าวเปลือกที่เหลือในยุ้ง {kg:,} กก.", kg * price / 1000, step=1)


def field_crop_season(rng: random.Random, plan: HouseholdPlan, year: int) -> Season:
    """Cassava or sugarcane: inputs in the early rains, harvest and sale December–March."""
    rai = plan.traits.rai
    s = Season()
    may, jun, jul = Month(year, 5), Month(year, 6), Month(year, 7)
    if plan.traits.crop == "cassava":
        name, per_rai, price, cut = "มันสำปะหลังสด", (3.0, 4.5), (2300, 3200), ("ค่าจ้างขุดมัน", 300, 400)
        s.add(may, rng, "P01", f"ซื้อท่อนพันธุ์มันสำปะหลัง {rai} ไร่", rai * rng.uniform(500, 800))
        s.add(may, rng, "P05", f"ค่ารถไถ {rai} ไร่", rai * rng.uniform(300, 400))
        q = _sacks(rai, 3, rng)
        s.add(jun, rng, "P02", f"ซื้อปุ๋ยสูตร 15-15-15 {q} กระสอบ", q * rng.uniform(850, 1000))
    else:
        name, per_rai, price, cut = "อ้อย", (9.0, 12.0), (1050, 1400), ("ค่าจ้างตัดอ้อย", 250, 300)
        q = _sacks(rai, 2, rng)
        s.add(may if rng.random() < 0.5 else jun, rng, "P02", f"ซื้อปุ๋ยอ้อย {q} กระสอบ", q * rng.uniform(750, 900))
    s.add(jul, rng, "P03", "ซื้อยาฆ่าหญ้า", rng.uniform(300, 700) * math.ceil(rai / 8))
    tons_total = rai * rng.uniform(*per_rai)
    candidates = [Month(year, 12), Month(year + 1, 1), Month(year + 1, 2), Month(year + 1, 3)]
    months = sorted(rng.sample(candidates, rng.randint(1, 3)))
    unit = rng.uniform(*price)
    biggest = 0.0
    for month in months:
        tons = round(tons_total / len(months) * rng.uniform(0.8, 1.2), 1)
        amount = tons * unit
        s.add(month, rng, "I02", f"ขาย{name} {tons:.1f} ตัน", amount, step=1)
        s.add(month, rng, "P05", f"{cut[0]} {tons:.1f} ตัน", tons * rng.uniform(cut[1], cut[2]))
        if amount > biggest:
            biggest, s.main_sale = amount, month
    return s


def season_lines(seed: int, plan: HouseholdPlan, month: Month, cache: dict[int, Season]) -> tuple[list[Line], Season]:
    """The crop-year lines due in ``month`` (the season is drawn once per crop year)."""
    year = crop_year(month)
    if year not in cache:
        cache[year] = season_plan(seed, plan, year)
    season = cache[year]
    return season.lines.get(month, []), season
