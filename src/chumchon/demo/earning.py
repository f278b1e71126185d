"""Monthly income and the running costs that go with it, by occupation group.

Crop-year farming (rice, cassava, sugarcane) is in :mod:`chumchon.demo.seasons`;
this module covers what comes every week or month: day labour (more work at planting
and harvest, cane cutting in the dry season), factory and office pay, rubber tapping
(stopped in the hot months), fishing (better in the rains), livestock, small trade,
state transfers and money sent home by children working away.
"""

from __future__ import annotations

from chumchon.demo.common import Book, baht, satang
from chumchon.demo.households import HouseholdPlan
from chumchon.registry.models import OccupationGroup as OG

# Day-labour days a week and the usual job, by month.
LABOUR: dict[int, tuple[float, str]] = {
    1: (4.5, "ตัดอ้อย"),
    2: (4.5, "ตัดอ้อย"),
    3: (4.0, "ก่อสร้าง"),
    4: (3.0, "รายวัน"),
    5: (4.0, "ไถนา หว่านข้าว"),
    6: (5.0, "ดำนา"),
    7: (5.0, "ดำนา"),
    8: (3.5, "ก่อสร้าง"),
    9: (3.5, "รายวัน"),
    10: (3.5, "ก่อสร้าง"),
    11: (5.5, "เกี่ยวข้าว"),
    12: (5.5, "ขนข้าว"),
}


def day_labour(book: Book, plan: HouseholdPlan, *, weeks: int, factor: float = 1.0) -> None:
    """Day wages, paid at the end of each week worked."""
    per_week, job = LABOUR[book.month.month]
    earners = plan.traits.earners
    who = f" {earners} คน" if earners > 1 else ""
    for day in book.weeks(weeks):
        days = max(1, min(7, round(book.rng.gauss(per_week * factor, 1.0)))) * earners
        book.add(day, "I01", f"ค่าจ้าง{job}{who} {days} วัน", baht(days * plan.traits.day_rate))


def monthly_pay(book: Book, amount: int, item: str) -> None:
    book.add(book.day(25, 31), "I01", item, baht(amount))
    if book.chance(0.25):
        book.add(book.day(25, 31), "I01", "ค่าล่วงเวลา (OT)", baht(book.rng.uniform(500, 2500), 10))


def wage_work(book: Book, plan: HouseholdPlan) -> None:
    t = plan.traits
    if plan.occupation == OG.SALARIED:
        book.add(book.day(25, 31), "I01", "เงินเดือน", baht(t.monthly_wage))
    elif plan.occupation == OG.WAGE:
        if t.wage_weekly:
            day_labour(book, plan, weeks=4 if book.chance(0.85) else 3)
        else:
            monthly_pay(book, t.monthly_wage, book.rng.choice(("ค่าจ้างรายเดือน", "เงินเดือนพนักงานร้าน")))
    elif plan.occupation == OG.WAGE_PLUS:
        day_labour(book, plan, weeks=3 if book.chance(0.7) else 2, factor=0.85)
    elif plan.occupation == OG.RICE_PLUS and t.trade == "wage" and book.month.month in (1, 2, 3, 4, 10):
        day_labour(book, plan, weeks=book.rng.choice((2, 3, 4)))
    elif plan.occupation == OG.RICE and book.month.month in (2, 3, 4) and book.chance(0.3):
        day_labour(book, plan, weeks=book.rng.choice((1, 2)))  # odd jobs after the harvest


def side_line(book: Book, plan: HouseholdPlan) -> None:
    """Weaving, snacks or mushrooms besides the main work (O02, O07)."""
    trade, rng, month = plan.traits.trade, book.rng, book.month.month
    if trade == "weaving":
        if book.chance(0.7):
            q = rng.randint(1, 3)
            book.add(book.day(), "I05", f"ขายผ้าไหมมัดหมี่ {q} ผืน", q * baht(rng.uniform(1200, 2500), 100))
        if book.chance(0.5):
            book.add(book.day(), "P09", "ซื้อเส้นไหม ด้าย สีย้อม", baht(rng.uniform(300, 1200), 10))
    elif trade == "snacks":
        for day in book.weeks(book.count(2.5)):
            book.add(day, "I05", "ขายขนม", baht(rng.uniform(300, 1200), 10))
        for day in book.weeks(2):
            book.add(day, "P08", "ซื้อแป้ง น้ำตาล มะพร้าว", baht(rng.uniform(150, 500), 5))
    elif trade == "mushrooms":
        rainy = 1.5 if month in (6, 7, 8, 9, 10) else 1.0
        for day in book.weeks(book.count(2.5)):
            kg = max(2, round(rng.uniform(5, 15) * rainy))
            book.add(day, "I02", f"ขายเห็ดนางฟ้า {kg} กก.", kg * baht(rng.uniform(60, 80), 5))
        if month % 3 == 0:
            q = rng.randint(2, 5) * 100
            book.add(book.day(), "P09", f"ซื้อก้อนเชื้อเห็ด {q} ก้อน", q * baht(rng.uniform(7, 9)))


def business(book: Book, plan: HouseholdPlan) -> None:
    """A grocery, a food stall or a market stall: stock bought weekly, takings weekly."""
    trade, rng = plan.traits.trade, book.rng
    if trade == "grocery":
        stock, margin, buy_item, sell_item = (2000, 7000), (1.2, 1.3), "ซื้อของเข้าร้านที่แม็คโคร", "ยอดขายร้านค้า"
    elif trade == "food":
        stock, margin, buy_item, sell_item = (800, 2500), (1.6, 2.0), "ซื้อวัตถุดิบทำอาหารขาย", "ขายส้มตำ ไก่ย่าง"
    else:
        stock, margin, buy_item, sell_item = (600, 1800), (1.35, 1.6), "ซื้อผักผลไม้ไปขายตลาดนัด", "ขายของตลาดนัด"
    bought = 0.0
    for day in book.weeks(3):  # stock up about every ten days
        cost = rng.uniform(*stock) * 4 / 3
        bought += cost
        book.add(day, "P08", buy_item, satang(cost) if trade == "grocery" else baht(cost, 10))
    for week, day in enumerate(book.weeks(4), start=1):
        book.add(day, "I05", f"{sell_item} สัปดาห์ที่ {week}", baht(bought / 4 * rng.uniform(*margin), 10))
    if trade == "grocery":
        book.add(book.day(), "P06", "น้ำมันรถไปซื้อของเข้าร้าน", baht(rng.uniform(300, 600), 10))
    elif trade == "food":
        for day in book.weeks(2):
            book.add(day, "P09", "ค่าแก๊ส ถ่าน", baht(rng.uniform(200, 450), 10))
    else:
        book.add(book.day(), "P09", "ค่าที่ตลาดนัด", baht(4 * rng.uniform(20, 50), 10))


def rubber(book: Book, plan: HouseholdPlan) -> None:
    """Cup lump rubber sold a few times a month; tapping stops in the hot months."""
    rng, month, rai = book.rng, book.month.month, plan.traits.rai
    if month not in (3, 4, 5):
        price = round(rng.uniform(18, 26) * 2) / 2
        for day in book.weeks(rng.randint(2, 3)):
            kg = max(20, round(rai * rng.uniform(8, 12)))
            book.add(day, "I02", f"ขายยางก้อนถ้วย {kg} กก. กก.ละ {price:g} บาท", satang(kg * price))
        book.add(book.day(), "P09", "ซื้อกรดฟอร์มิก ถ้วยยาง", baht(rng.uniform(150, 500), 10))
    if month in (5, 10):
        q = max(1, round(rai / 3))
        book.add(book.day(), "P02", f"ซื้อปุ๋ยยาง {q} กระสอบ", q * baht(rng.uniform(800, 950), 10))
    if month in (6, 9) and book.chance(0.6):
        book.add(book.day(), "P03", "ซื้อยาฆ่าหญ้าในสวนยาง", baht(rng.uniform(300, 800), 10))


def fishing(book: Book, plan: HouseholdPlan) -> None:
    rng = book.rng
    rainy = 1.4 if book.month.month in (7, 8, 9, 10) else 1.0
    for day in book.weeks(rng.randint(3, 4)):
        kg = max(2, round(rng.uniform(8, 25) * rainy))
        fish = rng.choice(("ปลา", "ปลา", "ปลาแม่น้ำโขง", "ปลาตะเพียน", "กุ้งฝอย"))
        book.add(day, "I04", f"ขาย{fish} {kg} กก.", kg * baht(rng.uniform(60, 110), 5))
    for day in book.weeks(2):
        book.add(day, "P06", "น้ำมันเรือ", baht(rng.uniform(150, 400), 10))
    if book.chance(0.15):
        book.add(book.day(), "P09", "ซื้ออวน ซ่อมมอง", baht(rng.uniform(300, 2000), 50))


def livestock(book: Book, plan: HouseholdPlan) -> None:
    t, rng, month = plan.traits, book.rng, book.month.month
    if t.livestock == "cattle":
        if book.chance(0.2 if month in (1, 2, 3, 4) else 0.08):
            q = 1 if book.chance(0.8) else 2
            book.add(book.day(), "I03", f"ขายวัว {q} ตัว", q * baht(rng.uniform(15_000, 32_000), 500))
        if month in (2, 3, 4, 5):
            q = rng.randint(30, 100)
            book.add(book.day(), "P04", f"ซื้อฟางข้าว {q} ก้อน", q * baht(rng.uniform(25, 35)))
        q = max(1, round(t.herd / 5))
        book.add(book.day(), "P04", f"อาหารข้นวัว {q} กระสอบ", q * baht(rng.uniform(350, 450), 5))
        if book.chance(0.4):
            q = rng.randint(5, 20)
            book.add(book.day(), "I03", f"ขายปุ๋ยขี้วัว {q} กระสอบ", q * baht(rng.uniform(30, 50), 5))
        if book.chance(0.1):
            book.add(book.day(), "P09", "ค่ายาถ่ายพยาธิ วัคซีนวัว", baht(rng.uniform(200, 800), 10))
    elif t.livestock == "chickens":
        for day in book.weeks(rng.randint(3, 4)):
            if book.chance(0.5):
                q = max(3, round(t.herd / 15 * rng.uniform(0.6, 1.2)))
                book.add(day, "I03", f"ขายไก่บ้าน {q} ตัว", q * baht(rng.uniform(150, 200), 5))
            else:
                q = max(3, round(t.herd / 12 * rng.uniform(0.6, 1.2)))
                book.add(day, "I03", f"ขายไข่ไก่ {q} แผง", q * baht(rng.uniform(95, 110)))
        for day in book.weeks(rng.randint(2, 3)):
            q = max(1, round(t.herd / 100 * rng.uniform(0.8, 1.5)))
            book.add(day, "P04", f"อาหารไก่ {q} กระสอบ", q * baht(rng.uniform(450, 560), 5))
    else:
        cycle = (month + plan.number) % 4  # each farm on its own fattening cycle
        if cycle == 0:
            q = max(2, round(t.herd * rng.uniform(0.3, 0.5)))
            book.add(book.day(), "I03", f"ขายหมูขุน {q} ตัว", q * baht(rng.uniform(7000, 9500), 100))
        if cycle == 1:
            q = max(2, round(t.herd * rng.uniform(0.3, 0.5)))
            book.add(book.day(), "P01", f"ซื้อลูกหมู {q} ตัว", q * baht(rng.uniform(1800, 2500), 50))
        for day in book.weeks(rng.randint(3, 4)):
            q = max(1, round(t.herd / 4 * rng.uniform(0.7, 1.3)))
            book.add(day, "P04", f"อาหารหมู {q} กระสอบ", q * baht(rng.uniform(480, 620), 5))


def occupation_income(book: Book, plan: HouseholdPlan) -> None:
    """The weekly and monthly lines of the household's occupation (crop years aside)."""
    wage_work(book, plan)
    if plan.occupation in (OG.RICE_PLUS, OG.WAGE_PLUS) and plan.traits.trade != "wage":
        side_line(book, plan)
    if plan.occupation == OG.BUSINESS:
        business(book, plan)
    elif plan.occupation == OG.ORCHARD and plan.traits.crop == "rubber":
        rubber(book, plan)
    elif plan.occupation == OG.FISHERY:
        fishing(book, plan)
    elif plan.occupation == OG.LIVESTOCK:
        livestock(book, plan)
    if plan.occupation in (OG.RICE, OG.RICE_PLUS) and book.chance(0.2):
        q = book.rng.randint(3, 8)
        book.add(book.day(), "I03", f"ขายไก่บ้าน {q} ตัว", q * baht(book.rng.uniform(150, 200), 5))
    if plan.occupation == OG.OTHER:
        if book.chance(0.25):
            book.add(book.day(), "I02", "ขายผักสวนครัว", baht(book.rng.uniform(100, 400), 10))
        if book.chance(0.15):
            book.add(book.day(), "I09", "ขายของเก่า", baht(book.rng.uniform(50, 300), 5))


def elderly_allowance(age: int) -> int:
    """เบี้ยยังชีพผู้สูงอายุ: the monthly old-age allowance steps up with age."""
    return 1000 if age >= 90 else 800 if age >= 80 else 700 if age >= 70 else 600


def transfers(book: Book, plan: HouseholdPlan) -> None:
    """State transfers, money from children working away, dividends and stipends."""
    t, rng, ref, month = plan.traits, book.rng, book.month.first_day, book.month.month
    ages = [m.age_on(ref) for m in plan.members]
    if plan.welfare_card:
        book.add(book.day(1, 5), "I07", "เงินบัตรสวัสดิการแห่งรัฐ", baht(300))
    elderly = [a for a in ages if a >= 60]
    if elderly:
        item = "เบี้ยยังชีพผู้สูงอายุ" + (f" {len(elderly)} คน" if len(elderly) > 1 else "")
        book.add(book.day(10, 12), "I07", item, baht(sum(elderly_allowance(a) for a in elderly)))
    infants = sum(1 for a in ages if a < 6)
    if infants and plan.welfare_card:
        book.add(book.day(10, 12), "I07", "เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด", baht(600 * infants))
    if t.disability:
        book.add(book.day(10, 12), "I07", "เบี้ยความพิการ", baht(800))
    if t.remittance and book.chance(0.88):
        item = rng.choice(("ลูกโอนเงินมาให้", "ลูกส่งเงินจากกรุงเทพ", "ลูกสาวโอนเงินให้"))
        book.add(book.day(1, 7), "I06", item, baht(t.remittance * rng.uniform(0.8, 1.2), 100))
    if t.remittance and month == 4 and book.chance(0.7):
        book.add(book.day(12, 16), "I06", "ลูกหลานกลับบ้านช่วงสงกรานต์ให้เงิน", baht(rng.uniform(1000, 5000), 500))
    if t.health_volunteer:
        book.add(book.day(5, 15), "I09", "ค่าป่วยการ อสม.", baht(1000))
    members_of_funds = t.saving or any(d.source in ("D02", "D03") for d in plan.debts)
    if month == 12 and members_of_funds and book.chance(0.6):
        book.add(book.day(15, 31), "I08", "เงินปันผลกลุ่มออมทรัพย์", satang(rng.uniform(100, 1500)))
