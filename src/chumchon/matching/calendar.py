"""The local budget calendar (issue 13 §2; DOMAIN-PLANS.md §2).

The Ministry of Interior's regulations put a project in the local development plan
before it can enter the annual budget ordinance; the draft ordinance goes to the council
by 15 August, the council decides by 15 September and the fiscal year begins on
1 October. Proposals therefore need to be through the plan amendment by about the end of
June. These are the defaults; a local government's own dates (``BudgetCalendar``) take
their place, since practice differs and the dates are to be confirmed locally.

An item of fiscal year Y asking the อปท. must be in its local development plan by the
plan-amendment date and in the draft budget ordinance by the draft's date; an item
asking an agency must have been put to the body of a programme that could pay for it by
that programme's own request deadline. A step not reached by its date is late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chumchon.core.thai import to_ce

# (month, day) in the calendar year before the fiscal year begins.
DEFAULTS = {
    "plan_amended_by": (6, 30),
    "draft_to_council_by": (8, 15),
    "council_by": (9, 15),
    "starts_on": (10, 1),
}
STEP_LABELS = {
    "plan_amended_by": "บรรจุในแผนพัฒนาท้องถิ่น (เพิ่มเติม/เปลี่ยนแปลงแผน)",
    "draft_to_council_by": "บรรจุในร่างข้อบัญญัติงบประมาณที่เสนอสภา",
    "council_by": "สภาท้องถิ่นพิจารณาร่างข้อบัญญัติ",
    "starts_on": "เริ่มปีงบประมาณ",
    "request": "ยื่นขอต่อหน่วยงาน",
}


def default_dates(fiscal_year_be: int) -> dict[str, dt.date]:
    """The regulation's dates for the budget of fiscal year ``fiscal_year_be`` (BE)."""
    year = to_ce(fiscal_year_be) - 1
    return {key: dt.date(year, month, day) for key, (month, day) in DEFAULTS.items()}


@dataclass(frozen=True)
class Calendar:
    """One local government's dates for one fiscal year."""

    body_id: int
    body_name: str
    fiscal_year: int
    plan_amended_by: dt.date
    draft_to_council_by: dt.date
    council_by: dt.date
    starts_on: dt.date
    note: str = ""
    configured: bool = False  # False: the regulation's defaults

    def dates(self) -> list[tuple[str, dt.date]]:
        return [(key, getattr(self, key)) for key in DEFAULTS]


@dataclass(frozen=True)
class Due:
    """A step an item must pass by a date."""

    item_id: int
    title: str
    village_code: str
    fiscal_year: int
    step: str  # a STEP_LABELS key
    on: dt.date
    body: str  # the local government or the programme's body
    programme: str = ""  # the programme's code, for a request
    reached: bool = False

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]

    def late(self, today: dt.date) -> bool:
        return not self.reached and self.on < today


def check_order(plan_amended_by: dt.date, draft: dt.date, council: dt.date, starts_on: dt.date) -> list[str]:
    """What is wrong with a calendar's dates, in Thai (empty when they hold)."""
    out = []
    if not plan_amended_by <= draft:
        out.append("วันที่บรรจุในแผนพัฒนาท้องถิ่นต้องไม่หลังวันเสนอร่างข้อบัญญัติต่อสภา")
    if not draft <= council:
        out.append("วันเสนอร่างข้อบัญญัติต้องไม่หลังวันที่สภาพิจารณา")
    if not council < starts_on:
        out.append("สภาต้องพิจารณาก่อนวันเริ่มปีงบประมาณ")
    if (starts_on - plan_amended_by).days > 366:
        out.append("วันที่ทั้งหมดต้องอยู่ภายในหนึ่งปีก่อนเริ่มปีงบประมาณ")
    return out
