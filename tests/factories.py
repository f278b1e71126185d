"""Factories for tests: users with roles, villages, households with members and debts."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from chumchon.access.models import Assignment, Role, User
from chumchon.areas.models import Area
from chumchon.areas.services import village_add
from chumchon.core import national_id
from chumchon.registry.models import Debt, Household, Member

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)
_rng = random.Random(20240101)


def user(
    role: str | None = None, area: Area | str | None = None, *, username: str | None = None, **assignment: object
) -> User:
    n = next(_seq)
    u = User.objects.create_user(username=username or f"user{n}", password=PASSWORD)
    if role is not None:
        area_obj = Area.objects.get(code=area) if isinstance(area, str) else area
        Assignment.objects.create(user=u, role=role, area=area_obj, **assignment)  # type: ignore[arg-type]
    return u


def admin(username: str | None = None) -> User:
    return user(Role.ADMIN, None, username=username)


def village(tambon_code: str, no: int | None = None, name: str = "บ้านทดสอบ") -> Area:
    tambon = Area.objects.get(code=tambon_code)
    if no is None:
        taken = set(Area.objects.filter(parent=tambon).values_list("village_no", flat=True))
        no = next(i for i in range(1, 100) if i not in taken)
    code = f"{tambon.code}{no:02d}"
    existing = Area.objects.filter(code=code).first()
    if existing:
        return existing
    return village_add(tambon, no, name)


def new_national_id() -> str:
    while True:
        first12 = str(_rng.randint(1, 8)) + "".join(str(_rng.randint(0, 9)) for _ in range(11))
        nid = national_id.with_check_digit(first12)
        if not Member.objects.filter(national_id_hash=national_id.lookup_hash(nid)).exists():
            return nid


def household(
    village_area: Area, *, code: str | None = None, members: int = 2, debts: int = 0, **fields: object
) -> Household:
    n = next(_seq)
    if fields.get("status", "active") != "active":  # a household gone has the day it left
        fields.setdefault("left_on", dt.date(2024, 1, 15))
    h = Household.objects.create(
        code=code or f"H{n:05d}",
        village=village_area,
        province_code=village_area.province_code,
        district_code=village_area.district_code or "",
        tambon_code=village_area.tambon_code or "",
        house_no=str(fields.pop("house_no", n)),
        occupation_group=fields.pop("occupation_group", "O01"),  # type: ignore[arg-type]
        welfare_card=fields.pop("welfare_card", False),  # type: ignore[arg-type]
        members_count=members,
        **fields,  # type: ignore[arg-type]
    )
    for i in range(members):
        nid = new_national_id()
        Member.objects.create(
            household=h,
            is_head=i == 0,
            title="นาย" if i == 0 else "นาง",
            first_name=f"สมชาย{n}" if i == 0 else f"สมหญิง{n}",
            last_name="ใจดี",
            national_id_encrypted=national_id.encrypt(nid),
            national_id_hash=national_id.lookup_hash(nid),
            birth_date=dt.date(1970 + i, 1, 15),
            sex="M" if i == 0 else "F",
            relation="หัวหน้าครัวเรือน" if i == 0 else "คู่สมรส",
        )
    for i in range(debts):
        Debt.objects.create(
            household=h,
            source="D01",
            principal=Decimal("50000.00") + i,
            interest_rate=Decimal("7.00"),
            monthly_payment=Decimal("1500.00"),
            as_of=dt.date(2024, 1, 1),
        )
    return h
