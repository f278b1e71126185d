"""Importing community plan items (``chumchon import plans FILE --tambon CODE``).

One row per item of a village's community plan, or of the tambon's own plan when
``หมู่ที่`` / ``village_no`` is blank (``plan-template.md``). Headers in Thai or English, in
any order; unknown columns are ignored with a warning; Thai digits, thousands
separators and ``บาท`` are read in numbers and money (the core spreadsheet toolkit).

The key of a row is its village + title + fiscal year (titles compared as people see
them: spaces collapsed, Latin case ignored). A key repeated inside the file is refused
on its later row. A key already in the database is the same item: its fields are
updated through ``services.item_update`` when the row says something else (a column
absent from the file leaves its field as it is), otherwise the row is accepted
*unchanged* — so importing the same file again writes nothing.

Status: blank means ``under_consideration`` for a new item and "as it is" for an
existing one. Any other status goes through ``services.item_status_set`` after the item
is created or updated, so an import follows exactly the path (and leaves exactly the
history) a person's clicks would: from ``under_consideration`` every status is one
step away, and a re-import may move an item forward, back one step or to ``declined``,
never elsewhere. ``declined`` needs its reason: the optional column ``เหตุผล`` /
``reason`` (an extension of the template) holds it.

Every row is checked by the services themselves, each in a savepoint of one
transaction: all-or-nothing by default (any bad row, and the whole transaction is
rolled back), ``skip_invalid`` keeps the good rows and reports the bad ones.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from chumchon.access.permissions import Write, can
from chumchon.access.scope import SYSTEM
from chumchon.access.services import Actor
from chumchon.areas.models import Area
from chumchon.areas.models import Level as AreaLevel
from chumchon.areas.selectors import villages_of
from chumchon.core import spreadsheet as ss
from chumchon.plans import services
from chumchon.plans.models import ASKING, FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, ItemPerson, Level, Plan, PlanItem, Status
from chumchon.plans.models import Actor as Who
from chumchon.plans.selectors import plan_items_qs_for_user
from chumchon.plans.services import ItemInput, PlanError

ACTORS = ss.Choices({actor.value: str(actor.label) for actor in Who})
DOMAINS = ss.Choices(
    {
        "economy": ["เศรษฐกิจ/อาชีพ", "เศรษฐกิจ", "อาชีพ"],
        "resources": ["ทรัพยากร/สิ่งแวดล้อม", "ทรัพยากร", "สิ่งแวดล้อม"],
        "social": ["สังคม/สวัสดิการ", "สังคม", "สวัสดิการ"],
        "health": ["สุขภาพ"],
        "education": ["การศึกษา"],
        "housing": ["ที่อยู่อาศัย"],
    }
)
KINDS = ss.Choices({"infrastructure": "โครงสร้างพื้นฐาน", "quality_of_life": "คุณภาพชีวิต"})
STATUSES = ss.Choices({status.value: str(status.label) for status in Status})

_YEAR_PREFIX = re.compile(r"^(?:ปีงบประมาณ|ปีงบ|พ\.\s*ศ\.?|พศ\.?|fy)\s*", re.IGNORECASE)


def parse_fiscal_year(value: ss.Cell) -> int | None:
    """A Buddhist Era fiscal year (``2568``, ``๒๕๖๘``, ``พ.ศ. 2568``); a four-digit year
    below 2400 is refused, never guessed to be Common Era."""
    if ss.is_blank(value):
        return None
    cell = _YEAR_PREFIX.sub("", ss.clean_text(value)) if isinstance(value, str) else value
    try:
        year = ss.parse_int(cell)
    except ss.CellError:
        year = None
    shown = ss.clean_text(ss.display(value))
    if year is None or not 1000 <= year <= 9999:
        raise ss.CellError(
            ss.Text(
                f"'{shown}' ไม่ใช่ปีงบประมาณ — ใช้ปี พ.ศ. 4 หลัก เช่น 2568",
                f"'{shown}' is not a fiscal year; use a four-digit Buddhist Era year such as 2568",
            )
        )
    if year < FISCAL_YEAR_MIN:
        raise ss.CellError(
            ss.Text(
                f"ปี {year} ไม่ใช่ปี พ.ศ. — ปีงบประมาณต้องเป็น พ.ศ. เช่น 2568 (ระบบไม่เดาให้: ถ้าเป็น ค.ศ. {year} คือ พ.ศ. {year + 543})",
                f"{year} is not a Buddhist Era year; fiscal years are Buddhist Era, e.g. 2568 "
                f"(it is not guessed: {year} CE would be {year + 543} BE)",
            )
        )
    if year > FISCAL_YEAR_MAX:
        raise ss.CellError(
            ss.Text(
                f"ปีงบประมาณ {year} อยู่นอกช่วงที่รับได้ ({FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX})",
                f"the fiscal year {year} is out of range ({FISCAL_YEAR_MIN}–{FISCAL_YEAR_MAX})",
            )
        )
    return year


PLAN_ITEMS = ss.SheetSpec(
    [
        ss.Column("village_no", "หมู่ที่", "village_no", ss.parse_village_no, aliases=("หมู่",)),
        ss.Column(
            "title",
            "ชื่อโครงการ/กิจกรรม",
            "title",
            partial(ss.parse_text, max_length=300),
            required=True,
            aliases=("ชื่อโครงการ", "ชื่อกิจกรรม", "โครงการ/กิจกรรม", "โครงการ"),
        ),
        ss.Column("problem", "ปัญหา", "problem", partial(ss.parse_text, max_length=2000)),
        ss.Column("actor", "ผู้ดำเนินการ", "actor", ACTORS, required=True),
        ss.Column("domain", "ด้าน", "domain", DOMAINS),
        ss.Column("kind", "ประเภท", "kind", KINDS),
        ss.Column(
            "households",
            "ครัวเรือนเป้าหมาย",
            "households",
            partial(ss.parse_int, min_value=0, max_value=999_999),
            aliases=("จำนวนครัวเรือนเป้าหมาย", "ครัวเรือน"),
        ),
        ss.Column("cost", "งบประมาณ", "cost", ss.parse_money, aliases=("งบประมาณที่ขอ", "budget")),
        ss.Column("fiscal_year", "ปีงบประมาณ", "fiscal_year", parse_fiscal_year, required=True, aliases=("ปีงบ",)),
        ss.Column("owner", "ผู้รับผิดชอบ", "owner", partial(ss.parse_text, max_length=200)),
        ss.Column("status", "สถานะ", "status", STATUSES),
        ss.Column("reason", "เหตุผล", "reason", partial(ss.parse_text, max_length=300), aliases=("status_reason",)),
    ]
)


@dataclass
class PlanImportResult:
    """What an import did. ``completed`` is False when the input was refused and nothing
    was written; when True every accepted row is in the database (created, updated, or
    unchanged because it already said the same)."""

    report: ss.ImportReport = field(default_factory=ss.ImportReport)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    completed: bool = False

    @property
    def rejected(self) -> bool:
        """Input refused and nothing written (the command's exit 3)."""
        return not self.completed

    def to_json(self, lang: str = "th") -> dict[str, Any]:
        body = self.report.to_json(lang)
        return {
            "accepted": body.pop("accepted"),
            "rejected": body.pop("rejected"),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            **body,
        }


Key = tuple[str, int, str]  # village code ("" for the tambon), fiscal year, title as compared


@dataclass
class _Row:
    result: ss.RowResult
    errors: list[ss.RowError] = field(default_factory=list)
    area: Area | None = None
    key: Key | None = None

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.errors

    def value(self, name: str) -> Any:
        return self.result.values[name]

    def has(self, name: str) -> bool:
        """The file has this column (a blank cell in it means "empty", an absent column "as it is")."""
        return name in self.result.columns

    def refuse(self, name: str | None, text: ss.Text) -> None:
        # A column the file lacks is named by its Thai header, as the template prints it.
        column = self.result.columns.get(name, PLAN_ITEMS.column(name).th) if name else ""
        self.errors.append(ss.RowError(self.result.row, column, text, self.result.sheet))


class _Refused(Exception):
    """A row the services refused, with the column to blame (``None``: the whole row)."""

    def __init__(self, name: str | None, text: ss.Text | PlanError) -> None:
        super().__init__(str(text))
        self.name, self.text = name, text if isinstance(text, ss.Text) else ss.Text(str(text))


def plans_import(
    *,
    actor: Actor,
    tambon: Area,
    path: str | os.PathLike[str],
    filename: str | None = None,
    skip_invalid: bool = False,
) -> PlanImportResult:
    """Read ``path`` and write the plan items it lists in ``tambon``; see the module docstring."""
    if tambon.level != AreaLevel.TAMBON:
        raise ValueError(f"{tambon.code} is not a tambon")
    if actor.user is not None and not can(actor.user, Write.PLAN_EDIT, tambon.code):
        raise PermissionDenied(tambon.code)
    result = PlanImportResult()
    report = result.report
    villages = {v.village_no: v for v in villages_of(tambon.code)}
    rows: list[_Row] = []
    try:
        with ss.open_workbook(path, filename=filename) as book:
            reader = book.sheet().read(PLAN_ITEMS)
            report.warn(reader.warnings)
            first: dict[Key, int] = {}
            for parsed in reader:
                row = _Row(parsed)
                if parsed.ok:
                    _check(row, tambon, villages, first)
                rows.append(row)
    except ss.SpreadsheetError as exc:
        report.fail(exc)
        return result

    with transaction.atomic():
        _write(result, actor, tambon, [row for row in rows if row.ok])
        for row in rows:
            if row.ok:
                report.accept()
            else:
                report.reject(row.result, *row.errors)
        if not report.ok and (not skip_invalid or not report.accepted):
            # All-or-nothing, or every row was bad: what the good rows wrote goes back.
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
            return result
    result.completed = True
    return result


def _check(row: _Row, tambon: Area, villages: dict[int | None, Area], first: dict[Key, int]) -> None:
    """The rules a row breaks on its own or against the file's earlier rows, in its columns."""
    number = row.value("village_no")
    if number is not None:
        row.area = villages.get(number)
        if row.area is None:
            row.refuse(
                "village_no",
                ss.Text(
                    f"ไม่พบหมู่ที่ {number} ใน {tambon.display_name} — นำเข้าหรือเพิ่มหมู่บ้านก่อน",
                    f"there is no village no. {number} in {tambon.name_en or tambon.display_name}; "
                    "import or add the village first",
                ),
            )
    else:
        row.area = tambon
    if row.value("status") == Status.DECLINED and not row.value("reason"):
        row.refuse(
            "status",
            ss.Text(
                f"สถานะ '{Status.DECLINED.label}' ต้องมีเหตุผล — กรอกในคอลัมน์ 'เหตุผล'",
                "the status declined needs its reason: fill in the column 'reason'",
            ),
        )
    if row.area is not None:
        row.key = (row.area.village_code or "", row.value("fiscal_year"), ss.canonical(row.value("title")))
        if row.key in first:
            row.refuse(
                "title",
                ss.Text(
                    f"ซ้ำกับแถว {first[row.key]} (หมู่ที่ ชื่อโครงการ/กิจกรรม และปีงบประมาณเดียวกัน)",
                    f"repeats row {first[row.key]} (the same village, title and fiscal year)",
                ),
            )
        elif row.ok:
            first[row.key] = row.result.row


def _key(item: PlanItem) -> Key:
    return (item.village_code, item.fiscal_year, ss.canonical(item.title))


def _write(result: PlanImportResult, actor: Actor, tambon: Area, rows: list[_Row]) -> None:
    """Each row in a savepoint: a row the services refuse is reported, the others stay."""
    years = {row.value("fiscal_year") for row in rows}
    existing = {
        _key(item): item
        for item in plan_items_qs_for_user(actor.user or SYSTEM)
        .filter(tambon_code=tambon.code, plan__zone__isnull=True, plan__level__in=[Level.VILLAGE, Level.TAMBON])
        .filter(fiscal_year__in=years)
        .prefetch_related("committed")
    }
    plans: dict[tuple[str, int], Plan] = {}
    for row in rows:
        assert row.area is not None and row.key is not None  # noqa: S101 (set by _check for every good row)
        where = (row.area.code, row.value("fiscal_year"))
        try:
            with transaction.atomic():
                plan = plans.get(where) or services.plan_get_or_create(
                    actor=actor, area=row.area, fiscal_year=row.value("fiscal_year")
                )
                outcome = _write_row(actor, plan, row, existing.get(row.key), tambon)
        except _Refused as refused:
            row.refuse(refused.name, refused.text)
            continue
        except PlanError as error:
            row.refuse(None, ss.Text(str(error)))
            continue
        plans[where] = plan  # only once its savepoint held: a rolled-back plan is not reused
        setattr(result, outcome, getattr(result, outcome) + 1)


def _needs_cost(who: str, cost: Decimal) -> None:
    """The services' rule, said in the cost column: an item asking others needs its cost."""
    if who in ASKING and not cost:
        raise _Refused(
            "cost",
            ss.Text(
                f"ผู้ดำเนินการ '{Who(who).label}' ต้องระบุงบประมาณ (มากกว่า 0 บาท)",
                f"an item whose actor is {who} needs its cost (more than 0 baht)",
            ),
        )


def _write_row(actor: Actor, plan: Plan, row: _Row, item: PlanItem | None, tambon: Area) -> str:
    status: str | None = row.value("status")
    reason: str = row.value("reason") or ""
    if item is None:
        _needs_cost(row.value("actor"), row.value("cost") or Decimal(0))
        data = ItemInput(
            title=row.value("title"),
            actor=row.value("actor"),
            domain=row.value("domain") or "",
            kind=row.value("kind") or "",
            households=row.value("households") or 0,
            cost=row.value("cost") or Decimal(0),
            problem_text=row.value("problem") or "",
            owner=row.value("owner") or "",
            fiscal_year=row.value("fiscal_year"),
        )
        key = ss.row_fingerprint(
            {"village": row.area.code if row.area else "", "title": data.title, "fiscal_year": data.fiscal_year},
            ["village", "title", "fiscal_year"],
            namespace=f"plan:{tambon.code}",
        )
        try:
            item = services.item_create(actor=actor, plan=plan, data=data, import_key=key)
        except PlanError as error:
            raise _Refused(None, error) from error
        _status(actor, item, status, reason)
        return "created"
    data, changed = _update(row, item)
    _needs_cost(data.actor, data.cost)
    if changed:
        try:
            item = services.item_update(actor=actor, item=item, data=data)
        except PlanError as error:
            raise _Refused(None, error) from error
    moved = _status(actor, item, status, reason)
    return "updated" if changed or moved else "unchanged"


def _status(actor: Actor, item: PlanItem, status: str | None, reason: str) -> bool:
    if not status or status == item.status:
        return False
    if not services.status_allowed(item.status, status):
        now, then = Status(item.status), Status(status)
        raise _Refused(
            "status",
            ss.Text(
                f"สถานะตอนนี้คือ '{now.label}' เปลี่ยนเป็น '{then.label}' ไม่ได้ (เดินหน้าได้ ย้อนกลับได้หนึ่งขั้น "
                f"หรือเป็น '{Status.DECLINED.label}') — เว้นช่องสถานะว่างไว้ถ้าไม่ต้องการเปลี่ยน",
                f"the item is {now.value} now and cannot become {then.value} (it may go forward, back one step, "
                f"or to {Status.DECLINED.value}); leave the status blank to keep it",
            ),
        )
    try:
        services.item_status_set(actor=actor, item=item, status=status, reason=reason)
    except PlanError as error:
        raise _Refused("status", error) from error
    return True


def _update(row: _Row, item: PlanItem) -> tuple[ItemInput, bool]:
    """The item as the row would leave it (absent columns keep its values; what the file
    cannot say — the team, the group, the households that committed, the forum's
    problem — is kept as it is), and whether anything changes."""

    def given(name: str, current: Any, blank: Any = "") -> Any:
        if not row.has(name):
            return current
        value = row.value(name)
        return blank if value is None else value

    people = list(item.people.all())
    owner = next((p.name for p in people if p.role == ItemPerson.Role.MAIN), "")
    cost = Decimal(given("cost", item.cost, Decimal(0))).quantize(Decimal("0.01"))
    asked_apart = item.amount_asked != item.cost and item.amount_asked <= cost
    new = {
        "title": " ".join(row.value("title").split()),
        "actor": row.value("actor"),
        "domain": given("domain", item.domain),
        "kind": given("kind", item.kind),
        "households": given("households", item.households, 0),
        "cost": cost,
        "problem_text": given("problem", item.problem_text),
        "owner": " ".join(given("owner", owner).split()),
    }
    if not new["problem_text"] and item.problem_id is not None:
        new["problem_text"] = item.problem_text  # the forum's problem stands behind it
    before = {**{name: getattr(item, name) for name in new if name != "owner"}, "owner": owner}
    data = ItemInput(
        **new,
        amount_asked=item.amount_asked if asked_apart else None,
        problem_id=item.problem_id,
        team=[p.name for p in people if p.role == ItemPerson.Role.TEAM],
        group_id=item.group_id,
        group_name=item.group_name,
        committed=[h.pk for h in item.committed.all()],
        fiscal_year=item.fiscal_year,
    )
    return data, new != before
