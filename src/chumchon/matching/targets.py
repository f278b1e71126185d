"""Target groups: a programme's rules over the registry (issue 13 §1).

A programme may name the households it is for — a house needing repair, a TPMAP
dimension failed, a state welfare card, an occupation group — as codes
(``plan-template.md``'s programmes, column ``กลุ่มเป้าหมาย`` / ``target_group``). A
household is in the group when it meets every code given (codes of one kind — two
housing states, two occupation groups — are either-or). The programme then pays only
for items whose village (or tambon, for the tambon's own item) has at least one active
household of the group; the reason says how many, under the small-cell rule.
"""

from __future__ import annotations

from chumchon.core import spreadsheet as ss
from chumchon.registry.models import Dimension, Housing, OccupationGroup
from chumchon.registry.selectors import SMALL_CELL, TargetCriteria

HOUSING = {
    "house_needs_repair": (Housing.NEEDS_REPAIR, "บ้านต้องซ่อมแซม"),
    "house_unsafe": (Housing.UNSAFE, "บ้านไม่มั่นคงปลอดภัย"),
    "no_house": (Housing.NONE, "ไม่มีบ้านของตนเอง"),
}
FAILS = {f"fails_{d.value}": d.value for d in Dimension}
FAILS_TH = {
    "fails_health": "ไม่ผ่านมิติสุขภาพ",
    "fails_living": "ไม่ผ่านมิติความเป็นอยู่",
    "fails_education": "ไม่ผ่านมิติการศึกษา",
    "fails_income": "ไม่ผ่านมิติรายได้",
    "fails_access": "ไม่ผ่านมิติการเข้าถึงบริการรัฐ",
}
WELFARE = {"welfare_card": "ถือบัตรสวัสดิการแห่งรัฐ"}
OCCUPATIONS = {f"occupation_{g.value}": (g.value, f"กลุ่มอาชีพ{g.label}") for g in OccupationGroup}


def label(code: str) -> str:
    """A code's Thai name (the code itself when unknown)."""
    if code in HOUSING:
        return HOUSING[code][1]
    if code in FAILS_TH:
        return FAILS_TH[code]
    if code in WELFARE:
        return WELFARE[code]
    if code in OCCUPATIONS:
        return OCCUPATIONS[code][1]
    return code


CODES = [*HOUSING, *FAILS_TH, *WELFARE, *OCCUPATIONS]
CHOICES = ss.Choices({code: [label(code)] for code in CODES})


def criteria(codes: list[str]) -> TargetCriteria:
    return TargetCriteria(
        housing=tuple(HOUSING[c][0] for c in codes if c in HOUSING),
        fails=tuple(FAILS[c] for c in codes if c in FAILS),
        welfare_card=any(c in WELFARE for c in codes),
        occupations=tuple(OCCUPATIONS[c][0] for c in codes if c in OCCUPATIONS),
    )


def describe(codes: list[str]) -> str:
    return " และ ".join(label(c) for c in codes)


def count_text(n: int) -> str:
    """How many households of the group, as an aggregate reader may be told."""
    if n <= 0:
        return "ไม่มีครัวเรือน"
    return f"{n:,} ครัวเรือน" if n >= SMALL_CELL else f"น้อยกว่า {SMALL_CELL} ครัวเรือน"
