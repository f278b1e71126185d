"""Which programme may pay for which plan item, and why (``plan-template.md``, Matching).

A programme may pay for an item only when every rule holds: the same fiscal year, the
programme open, the item's actor among those it accepts, the item's domain among its
domains (or it names none), the item's village (or tambon, for the tambon's own item)
at or under one of the areas it covers (or, naming none, in its province), households
of its target group there when it names one (``matching.targets``), and — when
the programme pays at most an amount of one item — that amount above nothing. Each
rule gives its reason, held or broken, in Thai and English, so the page can say for
every item why a programme is a candidate and why the others are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chumchon.matching import targets
from chumchon.matching.models import Programme
from chumchon.plans.models import Actor, Domain, PlanItem
from chumchon.registry.selectors import target_household_counts


@dataclass(frozen=True)
class Reason:
    rule: str  # year | state | actor | domain | area | target | amount
    ok: bool
    th: str
    en: str

    def text(self, lang: str = "th") -> str:
        return self.en if lang == "en" else self.th


def item_place(item: PlanItem) -> str:
    """The code an item stands at: its village, else its tambon, district or province."""
    return item.village_code or item.tambon_code or item.district_code or item.province_code


def reasons(item: PlanItem, programme: Programme, target_count: int | None = None) -> list[Reason]:
    """Every rule of ``programme`` for ``item``, held or broken, in the order above.
    ``target_count``: the households of the programme's target group at the item's place
    when the caller has counted them (a match counts them for every item at once)."""
    out = [
        Reason(
            "year",
            item.fiscal_year == programme.fiscal_year,
            f"ปีงบประมาณ {item.fiscal_year}" + ("" if item.fiscal_year == programme.fiscal_year else
                                                f" แต่โครงการเป็นของปี {programme.fiscal_year}"),
            f"fiscal year {item.fiscal_year}" + ("" if item.fiscal_year == programme.fiscal_year else
                                                 f", the programme's is {programme.fiscal_year}"),
        ),
        Reason(
            "state",
            programme.state == Programme.State.OPEN,
            "เปิดรับข้อเสนอ" if programme.state == Programme.State.OPEN else "ปิดรับข้อเสนอแล้ว",
            "open" if programme.state == Programme.State.OPEN else "closed",
        ),
    ]  # fmt: skip
    actor = Actor(item.actor).label
    ok = item.actor in programme.actors
    out.append(
        Reason(
            "actor",
            ok,
            f"รับรายการประเภท '{actor}'" if ok else f"ไม่รับรายการประเภท '{actor}'",
            f"accepts items that {item.actor}" if ok else f"does not accept items that {item.actor}",
        )
    )
    if programme.domains:
        ok = bool(item.domain) and item.domain in programme.domains
        label = Domain(item.domain).label if item.domain else "ไม่ระบุด้าน"
        out.append(
            Reason(
                "domain",
                ok,
                f"รับด้าน{label}" if ok else f"ไม่รับ{'' if not item.domain else 'ด้าน'}{label}",
                f"accepts the domain {item.domain}" if ok else f"does not accept the domain {item.domain or '(none)'}",
            )
        )
    place = item_place(item)
    covered = programme.areas or [programme.province_code]
    ok = any(place.startswith(code) for code in covered)
    out.append(
        Reason(
            "area",
            ok,
            "อยู่ในพื้นที่ของโครงการ" if ok else "อยู่นอกพื้นที่ของโครงการ",
            "in the programme's areas" if ok else "outside the programme's areas",
        )
    )
    if programme.target_group:
        if target_count is None:
            target_count = target_household_counts([place], targets.criteria(programme.target_group))[place]
        group = targets.describe(programme.target_group)
        ok = target_count > 0
        out.append(
            Reason(
                "target",
                ok,
                f"มีครัวเรือนกลุ่มเป้าหมาย ({group}) ในพื้นที่ {targets.count_text(target_count)}"
                if ok else f"ไม่มีครัวเรือนกลุ่มเป้าหมาย ({group}) ในพื้นที่ของรายการ",
                "households of the target group at the item's place" if ok else "no household of the target group there",
            )
        )  # fmt: skip
    if programme.max_amount is not None and programme.max_amount <= 0:
        out.append(Reason("amount", False, "โครงการไม่จ่ายรายการใดเลย (สูงสุด 0 บาท)", "pays nothing of an item"))
    return out


def eligible(item: PlanItem, programme: Programme) -> bool:
    return all(r.ok for r in reasons(item, programme))


def pair_cap(item: PlanItem, programme: Programme) -> Decimal:
    """The most ``programme`` pays of ``item`` (baht, to the satang, rounded down): its
    share of the item's cost, and no more than its amount per item and its budget."""
    cap = (item.cost * programme.max_share / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    if programme.max_amount is not None:
        cap = min(cap, programme.max_amount)
    return min(cap, programme.budget)
