"""Learning forums and community plans for the demo tambon, drawn from its own accounts.

Each village of the demo tambon meets on each of the last two months of data (the
village committee or the community organisation council, at the village's sala),
reads the pack of the month before and turns the pack's questions into problems
(:func:`chumchon.plans.services.problem_from_question`), each with one cause and one
option. One or two villages have not met yet on the latest month, so the tambon's page
shows who met and who did not.

Every village then writes its plan for the fiscal year after the data, with items of
all four actors of seed 001:142: households that cut spending on drink and tobacco
(the households whose accounts show it), a group (the village that buys the most eggs
proposes an egg-laying group, the egg figure as its evidence), the local government
(a village water supply or a farm road) and an agency (training). The forum certifies
each village plan's data. The tambon gathers the villages' water items into one
tambon item (provenance kept) and carries one agency item up; the province's people's
plan for the five years around it has a vision and numbered strategic issues, some
included in the official provincial development plan and some related to it.

Everything goes through :mod:`chumchon.plans.services` as the system (the demo's own
actor), seeded like the rest of the demo. A run first removes what an earlier demo run
created here (found by the audit log's record of who created it); anything else stays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from chumchon.access.models import Action, AuditEvent
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months
from chumchon.demo.common import baht, rng_for
from chumchon.demo.names import FEMALE_MIDDLE, MALE_MIDDLE, SURNAMES
from chumchon.ledgers.models import LedgerEntry
from chumchon.plans import figures, services
from chumchon.plans.models import (
    STATUS_ORDER,
    Adoption,
    Certification,
    Domain,
    Finding,
    Forum,
    Kind,
    Mechanism,
    Plan,
    PlanItem,
    Status,
)
from chumchon.plans.models import Actor as Who
from chumchon.plans.services import ForumInput, ItemInput, OtherEvidenceInput
from chumchon.registry.models import Household, HouseholdStatus

EGGS = "C02"
DRINK_AND_TOBACCO = ("C08", "C09")
QUESTION_KEYS = ("local_food", "avoidable", "occupation")  # the pack's questions the forums take up
ROUNDS = 2  # forums on the last two months of data
WATER_TITLE = "ระบบประปาหมู่บ้าน"
ROAD_TITLE = "ซ่อมถนนเข้าไร่"
EGG_TITLE = "กลุ่มเลี้ยงไก่ไข่"
HOUSEHOLD_TITLE = "ลดรายจ่ายเหล้าบุหรี่"
TAMBON_WATER_TITLE = "ระบบประปาตำบล"

# A cause and an option for a problem, by the pack question and its category.
CAUSE_OPTION: dict[str, tuple[str, str]] = {
    "local_food:C01": (
        "ขายข้าวเปลือกหมดตอนราคาดีหลังเกี่ยว แล้วต้องซื้อข้าวสารกินช่วงปลายปี",
        "ตั้งธนาคารข้าวของหมู่บ้าน แต่ละบ้านเก็บข้าวไว้กินให้พอทั้งปีก่อนขาย",
    ),
    "local_food:C02": (
        "ในหมู่บ้านแทบไม่มีใครเลี้ยงไก่ไข่ ซื้อไข่จากรถเร่และร้านในเมืองทุกวัน",
        "รวมกลุ่มเลี้ยงไก่ไข่ ทำอาหารไก่เองจากรำและปลายข้าว ขายไข่ในหมู่บ้าน",
    ),
    "local_food:C03": (
        "หน้าแล้งไม่มีน้ำรดผัก หลายบ้านเลิกปลูกผักสวนครัว",
        "ปลูกผักสวนครัวรั้วกินได้ ใช้น้ำจากบ่อตื้นร่วมกัน แลกผักกันในหมู่บ้าน",
    ),
    "local_food:C04": (
        "หนองน้ำสาธารณะตื้นเขิน ปลาธรรมชาติลดลง ต้องซื้อเนื้อและปลาจากตลาด",
        "ขุดลอกหนอง ปล่อยพันธุ์ปลา และเลี้ยงปลากับกบในบ่อของครัวเรือน",
    ),
    "avoidable:C08": (
        "งานบุญ งานศพ และวงเหล้าหลังเลิกงานมีเหล้าแทบทุกสัปดาห์",
        "ชวนครัวเรือนตั้งใจลดเหล้า จัดงานบุญปลอดเหล้า และบันทึกรายจ่ายให้เห็นทุกเดือน",
    ),
    "avoidable:C09": (
        "ผู้ชายวัยทำงานสูบบุหรี่ซองทุกวัน บางบ้านสูบหลายคน",
        "ชวนผู้สูบเข้าคลินิกเลิกบุหรี่ของ รพ.สต. และเก็บเงินค่าบุหรี่เข้ากลุ่มออม",
    ),
    "avoidable:C10": (
        "ซื้อหวยทุกงวดหวังเงินก้อน หลายบ้านซื้อหวยใต้ดินด้วย",
        "เปลี่ยนเงินซื้อหวยเป็นเงินออมสัจจะวันละบาท ฝากกลุ่มออมทรัพย์ของหมู่บ้าน",
    ),
    "occupation": (
        "ต้นทุนปุ๋ย ยา และค่าจ้างรถไถสูง แต่ราคาข้าวและมันสำปะหลังตกต่ำ",
        "ลดต้นทุนด้วยปุ๋ยหมักและการลงแขก ทำบัญชีต้นทุนการผลิตทุกแปลง",
    ),
    "other": (
        "ครัวเรือนที่ทำบัญชียังมีน้อย ข้อมูลของหมู่บ้านจึงยังไม่ครบ",
        "อาสาสมัครช่วยบ้านที่ยังไม่ได้ทำบัญชี และอ่านบัญชีร่วมกันทุกเดือนในเวที",
    ),
}
# A group item from a village's local-food problem (eggs are the egg village's alone).
GROUP_BY_FOOD: dict[str, tuple[str, str, int]] = {
    "C01": ("ธนาคารข้าวหมู่บ้าน", "กลุ่มธนาคารข้าว", 30_000),
    "C03": ("ปลูกผักปลอดสารรั้วกินได้", "กลุ่มปลูกผักปลอดสาร", 15_000),
    "C04": ("กลุ่มเลี้ยงปลาและกบในบ่อ", "กลุ่มเลี้ยงปลา", 25_000),
}
AGENCY_ITEMS = (
    # title, domain, cost range (baht)
    ("อบรมอาชีพทำปุ๋ยหมักลดต้นทุนการผลิต", Domain.ECONOMY, (20_000, 45_000)),
    ("ฝึกทำบัญชีครัวเรือนและบัญชีต้นทุน", Domain.EDUCATION, (12_000, 30_000)),
    ("อบรมอาชีพเพาะเห็ดและแปรรูปอาหาร", Domain.ECONOMY, (25_000, 50_000)),
)
AGENCY_STATUSES = (Status.FUNDED, Status.ADOPTED_IN_PRINCIPLE, Status.UNDER_CONSIDERATION)
ROAD_STATUSES = (Status.IN_LOCAL_PLAN, Status.FUNDED, Status.DONE, Status.UNDER_CONSIDERATION)
DECLINED_REASON = "งบประมาณด้านฝึกอบรมของหน่วยงานปีนี้จัดสรรครบแล้ว ให้เสนอใหม่ในปีงบประมาณหน้า"


@dataclass
class People:
    """Thai names for facilitators, item owners and teams, none drawn twice: the
    owners' rule (one main item each) then holds except where the demo breaks it."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def one(self) -> str:
        while True:
            female = self.rng.random() < 0.5
            title = self.rng.choice(("นาง", "นางสาว")) if female else "นาย"
            first = self.rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
            name = f"{title}{first} {self.rng.choice(SURNAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def many(self, n: int) -> list[str]:
        return [self.one() for _ in range(n)]


@dataclass
class VillageForums:
    village: Area
    forums: list[Forum] = field(default_factory=list)
    problems: dict[str, Finding] = field(default_factory=dict)  # of the latest forum, by question key
    egg_problem: Finding | None = None


def demo_plans_delete(province_code: str, actor: Actor) -> None:
    """Remove the forums, plans and items an earlier demo run (``actor``) created in the
    province, as the audit log records them; items others made stay, unlinked."""
    made = AuditEvent.objects.filter(path=actor.path, action=Action.CREATE, area_code__startswith=province_code)

    def ids(kind: str) -> list[int]:
        return [int(pk) for pk in made.filter(object_type=kind).values_list("object_id", flat=True)]

    items = PlanItem.objects.filter(pk__in=ids("plan_item"))
    PlanItem.objects.filter(merged_into__in=items).update(merged_into=None)
    items.delete()
    Plan.objects.filter(pk__in=ids("plan"), items__isnull=True).delete()
    Forum.objects.filter(pk__in=ids("forum")).delete()


def community_plans_insert(*, seed: int, tambon: Area, province: Area, months: Sequence[Month], actor: Actor) -> None:
    """The demo tambon's forums and plans, its tambon plan and the province's people's
    plan (see the module's doc). ``months`` are the months of accounts, oldest first.
    A tambon that holds forums or plans the demo did not make is left alone, and so is
    a people's provincial plan of the period."""
    demo_plans_delete(province.province_code, actor)
    if Forum.objects.filter(tambon_code=tambon.code).exists() or Plan.objects.filter(tambon_code=tambon.code).exists():
        return
    with_households = set(
        Household.objects.filter(tambon_code=tambon.code).values_list("village_id", flat=True).distinct()
    )
    villages = [v for v in Area.objects.filter(parent_id=tambon.code).order_by("code") if v.code in with_households]
    if not villages or not months:
        return
    end = months[-1]
    year = fiscal_year(end.next().first_day)  # the plans are for the year after the data
    # The fiscal year of the data, whole: a published period, so the printed plan (public,
    # the small-cell rule) shows the figures it cites.
    fy = fiscal_year_months(fiscal_year(end.first_day))
    span = (fy[0], fy[-1])
    eggs = egg_purchases(tambon.code, *span)
    egg_village = max(villages, key=lambda v: (eggs.get(v.code, Decimal(0)), v.code)).code
    people = People(rng_for(seed, "plans-people", tambon.code))
    rounds = _rounds(seed, tambon, villages, months, keep=egg_village)
    met = [_village_forums(seed, actor, v, rounds[v.code], people, egg=v.code == egg_village) for v in villages]
    drinkers = drinkers_by_village(tambon.code, *span)
    items = [
        _village_plan(seed, actor, vf, i, year, span, people, egg=vf.village.code == egg_village, drinkers=drinkers)
        for i, vf in enumerate(met)
    ]
    _exceptions(actor, items)
    tambon_items = _tambon_plan(seed, actor, tambon, year, items, people)
    first = int(local_plan_years(year).split("-")[0])
    if not Plan.objects.filter(area=province, zone__isnull=True, fiscal_year=first).exists():
        _provincial_plan(actor, province, year, tambon_items, items)


def egg_purchases(tambon_code: str, start: Month, end: Month) -> dict[str, Decimal]:
    """Eggs (C02) bought by each village of the tambon over the span, from the lines."""
    rows = (
        LedgerEntry.objects.filter(
            tambon_code=tambon_code, category_id=EGGS, date__gte=start.first_day, date__lte=end.last_day
        )
        .values_list("village_id")
        .annotate(total=Sum("amount"))
    )
    return {code: total or Decimal(0) for code, total in rows}


def _rounds(
    seed: int, tambon: Area, villages: list[Area], months: Sequence[Month], keep: str
) -> dict[str, list[Month]]:
    """The months whose pack each village's forums read: the last two, and one or two
    villages (never ``keep``, the village whose proposal the demo follows) not yet on the
    latest. Each forum freezes its pack, the demo's costliest step, so the rounds are few."""
    rng = rng_for(seed, "plans-rounds", tambon.code)
    out = {v.code: list(months[-ROUNDS:]) for v in villages}
    others = [v.code for v in villages if v.code != keep]
    for code in rng.sample(others, min(len(others), 2 if len(villages) >= 6 else 1)):
        out[code] = [m for m in out[code] if m != months[-1]]
    return out


def _held_on(month: Month, rng: random.Random) -> dt.date:
    """A forum reads a month's pack early in the month after (never after today)."""
    after = month.next()
    return min(dt.date(after.year, after.month, rng.randint(3, 15)), timezone.localdate())


def _place(village: Area, rng: random.Random) -> str:
    no = village.village_no or ""
    return rng.choice(
        (f"ศาลาประชาคมหมู่ {no}", f"ศาลาการเปรียญวัด{village.name_th}", f"ศาลากลางบ้าน หมู่ {no}", f"โรงเรียน{village.name_th}")
    )


def _village_forums(
    seed: int, actor: Actor, village: Area, rounds: list[Month], people: People, *, egg: bool
) -> VillageForums:
    out = VillageForums(village)
    homes = list(
        Household.objects.filter(village_id=village.code, status=HouseholdStatus.ACTIVE)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    facilitators = people.many(2)
    for month in rounds:
        rng = rng_for(seed, "plans-forum", village.code, month.iso())
        attendance = rng.randint(15, 40)
        data = ForumInput(
            held_on=_held_on(month, rng),
            month=month,
            mechanism=rng.choice((Mechanism.VILLAGE_COMMITTEE, Mechanism.COMMUNITY_COUNCIL)),
            place=_place(village, rng),
            facilitators=", ".join(facilitators),
            attendance=attendance,
            households_present=rng.sample(homes, min(len(homes), attendance * 2 // 3)),
        )
        forum = services.forum_record(actor=actor, area=village, data=data)
        questions = {q["key"]: q for q in forum.pack.get("questions", [])}
        keys = [k for k in QUESTION_KEYS if k in questions] or list(questions)[:1]
        out.problems = {key: _problem(actor, forum, key, questions[key]) for key in keys}
        latest_egg = egg and month == rounds[-1]
        if latest_egg:
            out.egg_problem = _egg_problem(actor, forum, village, month)
        # The minutes say what the pack said: written once the pack is frozen.
        minutes = _minutes(forum, month, [questions[k] for k in keys], facilitators[0], egg=latest_egg)
        forum = services.forum_record(actor=actor, area=village, data=replace(data, minutes=minutes), forum=forum)
        out.forums.append(forum)
    return out


def _problem(actor: Actor, forum: Forum, key: str, question: dict[str, str]) -> Finding:
    problem = services.problem_from_question(actor=actor, forum=forum, question_key=key)
    category = question.get("category") or ""
    cause, option = CAUSE_OPTION.get(f"{key}:{category}") or CAUSE_OPTION.get(key) or CAUSE_OPTION["other"]
    services.finding_add(actor=actor, forum=forum, kind=Finding.Kind.CAUSE, text=cause, problem=problem)
    services.finding_add(actor=actor, forum=forum, kind=Finding.Kind.OPTION, text=option, problem=problem)
    return problem


def _egg_problem(actor: Actor, forum: Forum, village: Area, month: Month) -> Finding:
    """The egg row of the pack's local-food table, taken up as a problem of its own."""
    value = figures.figure_value(None, village, month, month, "by_category", EGGS).value or Decimal(0)
    problem = services.finding_add(
        actor=actor,
        forum=forum,
        kind=Finding.Kind.PROBLEM,
        text=f"ไข่ไก่: เดือนนี้ {village.display_name} ซื้อไข่เป็นเงิน {value:,.0f} บาท ทั้งที่เลี้ยงไก่ไข่เองได้",
        question_key="local_food",
    )
    services.evidence_cite(
        actor=actor, finding=problem, figure="by_category", category=EGGS, area=village, start=month, end=month
    )
    cause, option = CAUSE_OPTION[f"local_food:{EGGS}"]
    services.finding_add(actor=actor, forum=forum, kind=Finding.Kind.CAUSE, text=cause, problem=problem)
    services.finding_add(actor=actor, forum=forum, kind=Finding.Kind.OPTION, text=option, problem=problem)
    return problem


def _minutes(forum: Forum, month: Month, questions: list[dict[str, Any]], secretary: str, *, egg: bool) -> str:
    headlines = forum.pack.get("headlines") or [{}]
    reporting = headlines[0].get("value", "–")
    topics = " ".join(str(q["fact"]) for q in questions if q.get("figure"))
    lines = [
        f"อ่านข้อมูลบัญชีครัวเรือนเดือน{month.label()} ร่วมกัน (ครัวเรือนที่ทำบัญชี {reporting})",
        f"ประเด็นจากข้อมูล: {topics}" if topics else "ข้อมูลเดือนนี้ยังน้อย ชวนกันทำบัญชีให้ครบทุกบ้าน",
    ]
    if egg:
        lines.append("ที่ประชุมเห็นว่าค่าไข่เป็นรายจ่ายที่ผลิตเองได้ เสนอตั้งกลุ่มเลี้ยงไก่ไข่")
    lines.append(f"มอบให้{secretary} สรุปข้อเสนอเข้าแผนชุมชนของหมู่บ้าน")
    return "\n".join(lines)


@dataclass
class VillageItems:
    village: Area
    plan: Plan
    forum_day: dt.date | None  # the latest forum's day
    items: list[PlanItem] = field(default_factory=list)
    water: PlanItem | None = None
    agency: PlanItem | None = None
    egg: PlanItem | None = None
    household: PlanItem | None = None


def _walk(actor: Actor, item: PlanItem, target: str, reason: str = "") -> PlanItem:
    """Along the status path one step at a time, so the item's history shows each."""
    if target == Status.DECLINED:
        return services.item_status_set(actor=actor, item=item, status=Status.DECLINED, reason=reason)
    order = [str(s) for s in STATUS_ORDER]
    for status in order[order.index(item.status) + 1 : order.index(target) + 1]:
        item = services.item_status_set(actor=actor, item=item, status=status)
    return item


def drinkers_by_village(tambon_code: str, start: Month, end: Month) -> dict[str, list[int]]:
    """The active households of each village of the tambon whose accounts show drink or
    tobacco over the span (one query, on the lines' tambon and date index)."""
    rows = (
        LedgerEntry.objects.filter(
            tambon_code=tambon_code,
            date__gte=start.first_day,
            date__lte=end.last_day,
            category_id__in=DRINK_AND_TOBACCO,
            household__status=HouseholdStatus.ACTIVE,
        )
        .order_by("village_id", "household__code")
        .values_list("village_id", "household_id")
        .distinct()
    )
    out: dict[str, list[int]] = {}
    for village, household in rows:
        out.setdefault(village, []).append(household)
    return out


def _village_plan(
    seed: int, actor: Actor, vf: VillageForums, index: int, year: int, span: tuple[Month, Month], people: People,
    *, egg: bool, drinkers: dict[str, list[int]],
) -> VillageItems:  # fmt: skip
    """The village's plan: an item of each actor where the data gives one, certified by
    the village's latest forum. ``index``: the village's place in the tambon."""
    village = vf.village
    rng = rng_for(seed, "plans-village", village.code)
    plan = services.plan_get_or_create(
        actor=actor, area=village, fiscal_year=year, title=f"แผนชุมชน{village.display_name} ปีงบประมาณ {year}"
    )
    out = VillageItems(village, plan, vf.forums[-1].held_on if vf.forums else None)
    start, end = span

    def create(data: ItemInput, status: str) -> PlanItem:
        """The item with its main owner and a team of three, walked to ``status``."""
        item = services.item_create(actor=actor, plan=plan, data=replace(data, owner=people.one(), team=people.many(3)))
        out.items.append(item)
        return _walk(actor, item, status)

    # 1. Households that cut drink and tobacco themselves.
    drinking = drinkers.get(village.code, [])
    if drinking:
        committed = sorted(rng.sample(drinking, min(len(drinking), rng.randint(4, 9))))
        avoidable = vf.problems.get("avoidable")
        out.household = create(
            ItemInput(
                title=HOUSEHOLD_TITLE, actor=Who.HOUSEHOLD, domain=Domain.HEALTH, kind=Kind.QUALITY_OF_LIFE,
                households=len(committed), committed=committed, problem_id=avoidable.pk if avoidable else None,
                problem_text="" if avoidable else "ครัวเรือนจ่ายค่าเหล้าและบุหรี่ทุกเดือน",
            ),
            Status.ADOPTED_IN_PRINCIPLE if index % 3 else Status.UNDER_CONSIDERATION,
        )  # fmt: skip
        services.evidence_cite(actor=actor, item=out.household, figure="avoidable", area=village, start=start, end=end)
    # 2. A group: the egg-laying group of the village that buys the most eggs.
    food = vf.problems.get("local_food")
    food_category = str(food.evidence.values_list("category", flat=True).first() or "") if food else ""
    if egg:
        out.egg = create(
            ItemInput(
                title=EGG_TITLE, actor=Who.GROUP, domain=Domain.ECONOMY, kind=Kind.QUALITY_OF_LIFE,
                households=rng.randint(12, 20), cost=baht(rng.uniform(35_000, 60_000), 1000),
                group_name=f"{EGG_TITLE}{village.name_th}",
                problem_id=vf.egg_problem.pk if vf.egg_problem else None,
            ),
            Status.ADOPTED_IN_PRINCIPLE,
        )  # fmt: skip
        services.evidence_cite(
            actor=actor, item=out.egg, figure="by_category", category=EGGS, area=village, start=start, end=end
        )
    elif food is not None and food_category in GROUP_BY_FOOD:
        title, group, cost = GROUP_BY_FOOD[food_category]
        create(
            ItemInput(
                title=title, actor=Who.GROUP, domain=Domain.ECONOMY, kind=Kind.QUALITY_OF_LIFE,
                households=rng.randint(6, 15), cost=baht(cost * rng.uniform(0.8, 1.3), 1000),
                group_name=f"{group}{village.name_th}", problem_id=food.pk,
            ),
            Status.UNDER_CONSIDERATION,
        )  # fmt: skip
    # 3. The local government: the village water supply, or the road to the fields.
    households = Household.objects.filter(village_id=village.code, status=HouseholdStatus.ACTIVE).count()
    if index % 2 == 0:
        out.water = create(
            ItemInput(
                title=WATER_TITLE, actor=Who.LOCAL_GOVERNMENT, domain=Domain.RESOURCES, kind=Kind.INFRASTRUCTURE,
                households=households, cost=baht(rng.uniform(250_000, 600_000), 10_000),
                problem_text="น้ำประปาหมู่บ้านขุ่นและไหลไม่พอใช้ในหน้าแล้ง ถังพักน้ำรั่ว",
            ),
            Status.ADOPTED_IN_PRINCIPLE,
        )  # fmt: skip
    else:
        road = create(
            ItemInput(
                title=ROAD_TITLE, actor=Who.LOCAL_GOVERNMENT, domain=Domain.ECONOMY, kind=Kind.INFRASTRUCTURE,
                households=households, cost=baht(rng.uniform(150_000, 400_000), 10_000),
                problem_text="ถนนดินเข้าไร่นาเป็นหลุมเป็นบ่อ หน้าฝนรถขนผลผลิตเข้าไม่ได้",
            ),
            ROAD_STATUSES[index // 2 % len(ROAD_STATUSES)],
        )  # fmt: skip
        if road.status != Status.UNDER_CONSIDERATION:  # in the อปท.'s local development plan
            services.item_adoption_set(
                actor=actor, item=road, local_plan_years=local_plan_years(year), project_no=str(rng.randint(41, 90))
            )
    # 4. An agency: training, for the occupation group with the least surplus.
    title, domain, (low, high) = AGENCY_ITEMS[index % len(AGENCY_ITEMS)]
    occupation = vf.problems.get("occupation")
    out.agency = create(
        ItemInput(
            title=title, actor=Who.AGENCY, domain=domain, kind=Kind.QUALITY_OF_LIFE,
            households=rng.randint(15, 30), cost=baht(rng.uniform(low, high), 1000),
            problem_id=occupation.pk if occupation else None,
            problem_text="" if occupation else "ครัวเรือนมีรายจ่ายการผลิตสูง รายได้ไม่พอใช้หนี้",
        ),
        AGENCY_STATUSES[index % len(AGENCY_STATUSES)],
    )  # fmt: skip
    if vf.forums:
        last = vf.forums[-1]
        services.certification_add(
            actor=actor,
            plan=plan,
            certified_on=last.held_on,
            by_kind=Certification.By.FORUM,
            by_name=f"เวทีประชาคม{village.display_name}",
            note=f"รับรองข้อมูลบัญชีครัวเรือนและแผนชุมชน ผู้เข้าร่วม {last.attendance} คน",
        )
    return out


def _exceptions(actor: Actor, villages: list[VillageItems]) -> None:
    """What a real tambon's plans show too: one person main owner of two items of one
    village (the Amnat Charoen rule's warning), one agency item declined with its
    reason, one water item resting on other data (a health centre's survey)."""
    first = villages[0]
    a, b = first.items[-2], first.items[-1]
    owner = a.people.get(role="main").name
    team = list(b.people.filter(role="team").values_list("name", flat=True))
    services.item_update(actor=actor, item=b, data=_input_of(b, owner=owner, team=team))
    if len(villages) > 1 and villages[-1].agency is not None:
        villages[-1].agency = _walk(actor, villages[-1].agency, Status.DECLINED, reason=DECLINED_REASON)
    water = next((v for v in villages if v.water is not None), None)
    if water is not None and water.water is not None:
        services.evidence_add_other(
            actor=actor,
            item=water.water,
            data=OtherEvidenceInput(
                title="สำรวจแหล่งน้ำและคุณภาพน้ำประปาหมู่บ้าน",
                source=f"รพ.สต.{water.village.name_th}",
                dated=water.forum_day - dt.timedelta(days=20) if water.forum_day else None,
                coverage=f"{water.village.display_name} ทุกครัวเรือน",
                value_text="น้ำประปาขุ่นเกินเกณฑ์ 7 เดือนต่อปี บ่อบาดาล 1 ใน 2 บ่อใช้การไม่ได้",
                households_covered=water.water.households,
            ),
        )


def _input_of(item: PlanItem, *, owner: str, team: list[str]) -> ItemInput:
    return ItemInput(
        title=item.title, actor=item.actor, domain=item.domain, kind=item.kind, households=item.households,
        cost=item.cost, amount_asked=item.amount_asked, problem_text=item.problem_text, problem_id=item.problem_id,
        group_name=item.group_name, committed=list(item.committed.values_list("pk", flat=True)),
        owner=owner, team=team,
    )  # fmt: skip


def local_plan_years(year: int) -> str:
    """The five-year local development plan holding ``year`` (2566–2570, 2571–2575 …)."""
    start = 2566 + (year - 2566) // 5 * 5
    return f"{start}-{start + 4}"


def _tambon_plan(
    seed: int, actor: Actor, tambon: Area, year: int, villages: list[VillageItems], people: People
) -> list[PlanItem]:
    rng = rng_for(seed, "plans-tambon", tambon.code)
    plan = services.plan_get_or_create(
        actor=actor, area=tambon, fiscal_year=year, title=f"แผนพัฒนา{tambon.display_name}ภาคประชาชน ปีงบประมาณ {year}"
    )
    out: list[PlanItem] = []
    water = [v.water for v in villages if v.water is not None]
    if water:
        item = services.items_merge(
            actor=actor,
            plan=plan,
            sources=water,
            data=ItemInput(
                title=TAMBON_WATER_TITLE, actor=Who.LOCAL_GOVERNMENT, domain=Domain.RESOURCES,
                kind=Kind.INFRASTRUCTURE,
                problem_text=f"{len(water)} หมู่บ้านมีน้ำประปาไม่พอใช้และไม่สะอาด: รวมเป็นระบบประปาของตำบล",
                owner=people.one(), team=people.many(3),
            ),
        )  # fmt: skip
        item = _walk(actor, item, Status.IN_LOCAL_PLAN)
        out.append(
            services.item_adoption_set(
                actor=actor,
                item=item,
                local_plan_years=local_plan_years(year),
                project_no=str(rng.randint(5, 40)),
                provincial=Adoption.INCLUDED,
            )
        )
    carried = next(
        (
            v.agency
            for v in villages
            if v.agency is not None and v.agency.status in (Status.FUNDED, Status.ADOPTED_IN_PRINCIPLE)
        ),
        None,
    )
    if carried is not None:
        item = services.items_merge(
            actor=actor,
            plan=plan,
            sources=[carried],
            data=ItemInput(
                title=f"{carried.title} (ทั้งตำบล)", actor=Who.AGENCY, domain=carried.domain, kind=carried.kind,
                problem_text=carried.problem_text, owner=people.one(), team=people.many(3),
            ),
        )  # fmt: skip
        item = _walk(actor, item, carried.status)  # where the village's item stood
        out.append(services.item_adoption_set(actor=actor, item=item, provincial=Adoption.RELATED))
    return out


def _provincial_plan(
    actor: Actor, province: Area, year: int, tambon_items: list[PlanItem], villages: list[VillageItems]
) -> None:
    """The people's provincial plan of the five years holding ``year``."""
    first, last = (int(y) for y in local_plan_years(year).split("-"))
    plan = services.plan_get_or_create(actor=actor, area=province, fiscal_year=first)
    services.plan_vision_set(
        actor=actor,
        plan=plan,
        title=f"แผนพัฒนาจังหวัดภาคประชาชน {province.display_name} พ.ศ. {first}–{last}",
        vision=(
            f"{province.name_th}เมืองน่าอยู่ ชุมชนจัดการตนเองด้วยข้อมูล ครัวเรือนมีอาหารพอกิน "
            f"รายจ่ายลดลง หนี้นอกระบบหมดไป ภายในปี {last}"
        ),
        target_year=last,
        period_end=last,
    )
    water = [i for i in tambon_items if i.actor == Who.LOCAL_GOVERNMENT]
    training = [i for i in tambon_items if i.actor == Who.AGENCY]
    eggs = [v.egg for v in villages if v.egg is not None]
    households = [v.household for v in villages if v.household is not None]
    issues: list[tuple[str, str, list[PlanItem]]] = [
        ("น้ำสะอาดเพื่อการอุปโภคบริโภคและการเกษตร", Adoption.INCLUDED, water),
        ("เศรษฐกิจฐานราก ลดต้นทุนการผลิต เพิ่มรายได้ครัวเรือน", Adoption.RELATED, training),
        ("ความมั่นคงทางอาหาร ผลิตอาหารกินเองในชุมชน", Adoption.INCLUDED, eggs),
        ("สุขภาวะชุมชน ลดเหล้า บุหรี่ และอบายมุข", Adoption.RELATED, households),
        ("การจัดการหนี้สินครัวเรือนและกองทุนชุมชน", "", []),
    ]
    for number, (title, adoption, items) in enumerate(issues, start=1):
        services.issue_set(
            actor=actor,
            plan=plan,
            number=number,
            title=title,
            description=f"จากแผนชุมชนของหมู่บ้านและตำบลที่มีข้อมูลบัญชีครัวเรือนสนับสนุน ปีงบประมาณ {year}",
            adoption=adoption,
            items=items,
        )
