"""Everyday spending: what a rural Isan household buys in a month, and when.

Prices are 2024 village prices. Rice farmers seldom buy rice (they eat their own) and
buy fewer vegetables; drinking, smoking and the lottery belong to some households
only; merit-making peaks at Songkran (April), the rocket festival (May–June),
Buddhist Lent (July) and its end with the kathin season (October–November); school
terms start in May and November; electricity bills climb in the hot months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from chumchon.core.thai import MONTHS_TH_SHORT
from chumchon.demo.common import Book, baht, satang
from chumchon.demo.debts import FARMING
from chumchon.demo.households import HouseholdPlan
from chumchon.registry.models import OccupationGroup as OG


@dataclass(frozen=True)
class Goods:
    """Something bought: ``item`` may hold ``{q}``, the quantity; the price is per unit."""

    item: str
    low: int
    high: int
    quantities: tuple[int, ...] = (1,)
    step: int = 1

    def draw(self, rng: random.Random) -> tuple[str, Decimal]:
        q = rng.choice(self.quantities)
        unit = baht(rng.uniform(self.low, self.high), self.step)
        return self.item.format(q=q), unit * q


G = Goods
CATALOG: dict[str, tuple[Goods, ...]] = {
    "C01": (G("ซื้อข้าวสาร {q} กก.", 28, 42, (5, 5, 10, 15)), G("ซื้อข้าวเหนียว {q} กก.", 25, 34, (5, 10)),
            G("ข้าวสารถุง 5 กก.", 150, 210, step=5)),
    "C02": (G("ซื้อไข่ไก่ {q} แผง", 108, 130, (1, 1, 2)), G("ไข่ไก่ครึ่งแผง", 55, 65),
            G("ซื้อไข่เป็ด 10 ฟอง", 45, 60, step=5)),
    "C03": (G("ซื้อผักที่ตลาด", 30, 120, step=5), G("ผักบุ้ง ผักกาด", 20, 50, step=5),
            G("ซื้อพริก หอม กระเทียม", 20, 60, step=5), G("ซื้อมะละกอ {q} ลูก", 15, 25, (1, 2)),
            G("ซื้อกล้วย {q} หวี", 20, 40, (1, 2), step=5), G("ซื้อผลไม้", 40, 150, step=5)),
    "C04": (G("ซื้อหมู {q} กก.", 130, 160, (1, 1, 2)), G("ซื้อไก่ {q} กก.", 70, 95, (1, 2, 2)),
            G("ซื้อปลานิล {q} กก.", 70, 100, (1, 2)), G("ซื้อปลาทู {q} เข่ง", 25, 40, (2, 3, 4), step=5),
            G("ซื้อเนื้อวัว 1 กก.", 250, 320, step=10), G("ซื้อลูกชิ้น", 30, 60, step=5),
            G("ซื้อปลาดุก {q} กก.", 60, 80, (1, 2)), G("ซื้อกับข้าวที่ตลาดนัด", 100, 300, step=10)),
    "C05": (G("กับข้าวถุง {q} ถุง", 20, 35, (2, 3, 4), step=5), G("ซื้อส้มตำ ไก่ย่าง", 60, 150, step=5),
            G("ก๋วยเตี๋ยว {q} ชาม", 40, 50, (1, 2, 3), step=5), G("ข้าวมันไก่ {q} จาน", 40, 50, (1, 2), step=5),
            G("ซื้อขนมให้หลาน", 20, 60, step=5), G("ซื้อกับข้าวถุงที่ตลาดนัด", 60, 150, step=10)),
    "C06": (G("ซื้อปลาร้า", 40, 100, step=5), G("น้ำปลา ผงชูรส", 30, 70, step=5),
            G("น้ำมันพืช {q} ขวด", 45, 60, (1, 2)), G("ซื้อน้ำตาล เกลือ", 25, 50, step=5),
            G("ซื้อแก๊สหุงต้ม 1 ถัง", 380, 430, step=10)),
    "C07": (G("ซื้อน้ำดื่ม {q} แพ็ก", 40, 65, (1, 2)), G("กาแฟ เครื่องดื่มชูกำลัง", 20, 60, step=5),
            G("ซื้อน้ำแข็ง", 10, 20, step=5), G("น้ำอัดลม {q} ขวด", 15, 30, (1, 2))),
    "C08": (G("ซื้อเหล้าขาว {q} ขวด", 110, 130, (1, 1, 2)), G("ซื้อเบียร์ {q} ขวด", 60, 70, (2, 3, 4, 6)),
            G("เหล้าขาวแบน", 55, 65)),
    "C09": (G("ซื้อยาเส้น", 20, 40, step=5), G("ซื้อบุหรี่ {q} ซอง", 65, 80, (1, 1, 2))),
    "C13": (G("เติมน้ำมันรถ", 100, 300, step=50), G("เติมน้ำมันรถมอเตอร์ไซค์", 60, 150, step=10),
            G("ค่ารถสองแถวเข้าเมือง", 40, 120, step=10)),
    "C16": (G("ซื้อเสื้อผ้า", 150, 800, step=10), G("ของใช้ส่วนตัว สบู่ ยาสีฟัน", 50, 200, step=5),
            G("ซื้อรองเท้า", 100, 400, step=10)),
    "C17": (G("ผงซักฟอก น้ำยาล้างจาน", 60, 200, step=5), G("ซื้อหม้อ ถังน้ำ", 100, 400, step=10),
            G("ซื้อหลอดไฟ ปลั๊กไฟ", 50, 250, step=5)),
}  # fmt: skip
# Expected lines a month for an average household: (category, expected count).
EVERYDAY: tuple[tuple[str, float], ...] = (
    ("C02", 2.2),
    ("C03", 2.5),
    ("C04", 3.0),
    ("C05", 2.2),
    ("C06", 1.3),
    ("C07", 0.7),
    ("C13", 1.2),
    ("C16", 0.35),
    ("C17", 0.35),
)
RICE_GROWERS = frozenset({OG.RICE, OG.RICE_PLUS, OG.ORCHARD, OG.LIVESTOCK})


def everyday(book: Book, plan: HouseholdPlan) -> None:
    """Food, drink, travel and household goods, scaled by household size."""
    t = plan.traits
    farm = plan.occupation in FARMING
    for category, expected in EVERYDAY:
        scale = min(t.spend, 1.25)  # bigger households buy more at a time, not ever more often
        if category == "C03" and farm:
            scale *= 0.6  # their own garden and paddy-field vegetables
        if category == "C05" and plan.occupation in (OG.WAGE, OG.SALARIED, OG.BUSINESS):
            scale *= 1.5  # no time to cook
        if category == "C16" and book.month.month in (4, 12):
            scale *= 2.5  # Songkran and the new year
        buy(book, category, book.count(expected * scale))
    rice = 0.3 if plan.occupation in RICE_GROWERS else 2.2 * min(t.spend, 1.25)
    buy(book, "C01", book.count(rice))


def buy(book: Book, category: str, count: int) -> None:
    goods = CATALOG[category]
    for day in book.weeks(count):
        item, amount = book.rng.choice(goods).draw(book.rng)
        book.add(day, category, item, amount)


def habits(book: Book, plan: HouseholdPlan) -> None:
    """Alcohol, tobacco and the lottery (the avoidable spending forums talk about)."""
    t = plan.traits
    festive = book.month.month in (4, 5, 10, 12)
    if t.drinks:
        buy(book, "C08", book.count(2.6 * (1.5 if festive else 1.0)))
    if t.smokes:
        buy(book, "C09", book.count(2.4))
    if t.lottery:
        # The government lottery is drawn on the 1st and the 16th; tickets are bought
        # in the days before.
        for first, last in ((12, 16), (26, 31)):
            if not book.chance(0.75):
                continue
            if book.chance(0.6):
                q = book.rng.choice((1, 1, 2, 2, 3, 5))
                book.add(book.day(first, last), "C10", f"ซื้อลอตเตอรี่ {q} ใบ", baht(80 * q))
            else:
                book.add(book.day(first, last), "C10", "ซื้อหวย", baht(book.rng.uniform(40, 300), 10))


def bills(book: Book, plan: HouseholdPlan) -> None:
    """Electricity, water and phone: monthly, for the previous month."""
    month = book.month.month
    previous = MONTHS_TH_SHORT[(month - 2) % 12]
    hot = 1.35 if month in (4, 5, 6) else 1.0  # bills for March–May
    base = 260 + 160 * plan.traits.spend
    book.add(book.day(8, 20), "C11", f"ค่าไฟเดือน {previous}", satang(base * hot * book.rng.uniform(0.8, 1.2)))
    if book.chance(0.75):
        book.add(book.day(8, 25), "C11", "ค่าน้ำประปาหมู่บ้าน", baht(book.rng.uniform(40, 180), 5))
    book.add(book.day(1, 28), "C12", "เติมเงินโทรศัพท์", baht(book.rng.choice((100, 100, 150, 200, 300))))
    if plan.traits.spend > 1.05 and book.chance(0.7):
        book.add(book.day(20, 28), "C12", "ค่าอินเทอร์เน็ตบ้าน", baht(book.rng.choice((399, 499, 599))))


def schooling(book: Book, plan: HouseholdPlan) -> None:
    """School costs at term start (May, November) and pocket money in term months."""
    ref = book.month.first_day
    pupils = [m for m in plan.members if 4 <= m.age_on(ref) <= 17]
    students = [m for m in plan.members if 18 <= m.age_on(ref) <= 21 and m.relation in ("บุตร", "หลาน")]
    month = book.month.month
    if pupils and month in (5, 11):
        what = "ค่าชุดนักเรียน อุปกรณ์การเรียน" if month == 5 else "ค่าบำรุงการศึกษา เทอม 2"
        for n, _pupil in enumerate(pupils, start=1):
            item = f"{what} (คนที่ {n})" if len(pupils) > 1 else what
            book.add(book.day(1, 20), "C14", item, baht(book.rng.uniform(500, 3000), 10))
    if pupils and month not in (4, 10):
        pocket = 20 * 20 * len(pupils) * book.rng.uniform(0.7, 1.3)
        book.add(book.day(1, 5), "C14", "ค่าขนมลูกหลานไปโรงเรียน", baht(pocket, 50))
    if students and plan.traits.spend > 0.9 and month not in (4,):
        book.add(book.day(1, 10), "C14", "ส่งเงินให้ลูกเรียนต่อ", baht(book.rng.uniform(2000, 5000), 500))


def health(book: Book, plan: HouseholdPlan) -> None:
    elderly = sum(1 for m in plan.members if m.age_on(book.month.first_day) >= 60)
    if book.chance(0.2 + 0.1 * elderly):
        item = book.rng.choice(("ค่ายา", "ค่ารักษาที่ รพ.สต.", "ค่ารถไปโรงพยาบาล", "ซื้อยาสามัญประจำบ้าน"))
        book.add(book.day(), "C15", item, baht(book.rng.uniform(30, 500), 10))
    if book.chance(0.02):
        book.add(book.day(), "C15", "ค่านอนโรงพยาบาล", baht(book.rng.uniform(1500, 8000), 100))


# Festivals by month: (item, low, high). Isan's twelve merit-making months (ฮีตสิบสอง).
FESTIVALS: dict[int, tuple[str, int, int]] = {
    3: ("ทำบุญผะเหวด", 100, 500),
    4: ("ทำบุญสงกรานต์ รดน้ำดำหัว", 300, 2000),
    5: ("บุญบั้งไฟ", 100, 500),
    6: ("บุญบั้งไฟ", 100, 300),
    7: ("ทำบุญเข้าพรรษา", 100, 500),
    10: ("ทำบุญออกพรรษา", 200, 1000),
    11: ("ทำบุญกฐิน", 100, 1000),
}


def merit(book: Book, plan: HouseholdPlan) -> None:
    """Merit-making on holy days, festivals, and envelopes at funerals and weddings."""
    for day in book.weeks(book.count(1.0)):
        book.add(day, "C18", "ทำบุญวันพระ", baht(book.rng.uniform(20, 100), 10))
    festival = FESTIVALS.get(book.month.month)
    if festival is not None:
        item, low, high = festival
        book.add(book.day(), "C18", item, baht(book.rng.uniform(low, high) * plan.traits.spend, 50))
    if book.chance(0.3):
        item = book.rng.choice(("ใส่ซองงานศพ", "ใส่ซองงานศพ", "ใส่ซองงานแต่ง", "ใส่ซองงานบวช"))
        book.add(book.day(), "C18", item, baht(book.rng.uniform(100, 500), 100))
    if book.chance(0.08):
        item = book.rng.choice(("ค่าตัดผม", "ค่าใช้จ่ายเบ็ดเตล็ด", "ซื้อของฝาก"))
        book.add(book.day(), "C19", item, baht(book.rng.uniform(60, 400), 10))


def consumption(book: Book, plan: HouseholdPlan) -> None:
    everyday(book, plan)
    habits(book, plan)
    bills(book, plan)
    schooling(book, plan)
    health(book, plan)
    merit(book, plan)
