"""Importing a tambon's villages from a spreadsheet (``chumchon import villages``). It lives
with the imports app, above access, because who may import is access's to say and each
village is written through the audited ``access.services.village_create``.

Columns (Thai or English, any order): ``หมู่ที่`` / ``village_no`` (1–99) and
``ชื่อหมู่บ้าน`` / ``name``. Each row becomes a village of the tambon whose code is the
tambon code plus the village number as two digits.

Re-importing never duplicates: a row whose village already exists with the same name is
*unchanged* (accepted, nothing written). A row naming an existing village differently is
refused rather than silently renaming it — a renamed village changes every report and
forum pack, so a person does it on purpose. A village number repeated inside the file is
refused on its later row.

All-or-nothing by default: any refused row means nothing is written. With
``skip_invalid`` the good rows are written (in one transaction) and the bad ones reported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor, village_create
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import villages_of
from chumchon.areas.services import AreaError
from chumchon.core import spreadsheet as ss

Progress = Callable[[int, int], None]

VILLAGES = ss.SheetSpec(
    [
        ss.Column("village_no", "หมู่ที่", "village_no", ss.parse_village_no, required=True, aliases=("หมู่",)),
        ss.Column(
            "name",
            "ชื่อหมู่บ้าน",
            "name",
            partial(ss.parse_text, max_length=120),
            required=True,
            aliases=("หมู่บ้าน", "village_name", "village"),
        ),
    ]
)


@dataclass
class VillageImportResult:
    """What an import did. ``completed`` is False when the input was refused and nothing
    was written; when True every accepted row is in the database (created now, or
    unchanged because it already was)."""

    report: ss.ImportReport = field(default_factory=ss.ImportReport)
    created: int = 0
    unchanged: int = 0
    completed: bool = False
    total_rows: int = 0

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
            "unchanged": self.unchanged,
            **body,
        }


def _same_name(a: str, b: str) -> bool:
    return ss.canonical(a) == ss.canonical(b)


def villages_import(
    *,
    actor: Actor,
    tambon: Area,
    path: str | os.PathLike[str],
    filename: str | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> VillageImportResult:
    """Read ``path`` and create the tambon's villages it lists; see the module docstring."""
    if tambon.level != Level.TAMBON:
        raise ValueError(f"{tambon.code} is not a tambon")
    if actor.user is not None and not can(actor.user, Write.IMPORT, tambon.code):
        raise AreaError("ไม่มีสิทธิ์เพิ่มหมู่บ้านในตำบลนี้")
    result = VillageImportResult()
    report = result.report
    existing = dict(villages_of(tambon.code).values_list("village_no", "name_th"))
    pending: list[tuple[int, str]] = []
    try:
        with ss.open_workbook(path, filename=filename) as book:
            sheet = book.sheet()
            if progress is not None:
                result.total_rows = sheet.data_rows_count()
                progress(0, result.total_rows)
            reader = sheet.read(VILLAGES)
            report.warn(reader.warnings)
            first_row: dict[int, int] = {}
            done = 0
            for row in reader:
                done += 1
                if progress is not None:
                    progress(done, max(result.total_rows, done))
                if not row.ok:
                    report.reject(row)
                    continue
                number: int = row.values["village_no"]
                name: str = row.values["name"]
                if number in first_row:
                    text = ss.Text(
                        f"หมู่ที่ {number} ซ้ำกับแถว {first_row[number]}",
                        f"village no. {number} repeats row {first_row[number]}",
                    )
                    report.reject(row, row.error("village_no", text))
                    continue
                first_row[number] = row.row
                if number in existing:
                    if _same_name(existing[number], name):
                        report.accept()
                        result.unchanged += 1
                        continue
                    text = ss.Text(
                        f"หมู่ที่ {number} มีอยู่แล้วในชื่อ '{existing[number]}' ซึ่งไม่ตรงกับชื่อในไฟล์ — ระบบไม่เปลี่ยนชื่อหมู่บ้านให้อัตโนมัติ",
                        f"village no. {number} already exists as '{existing[number]}', which differs from "
                        "the file; villages are never renamed by an import",
                    )
                    report.reject(row, row.error("name", text))
                    continue
                report.accept()
                pending.append((number, name))
    except ss.SpreadsheetError as exc:
        report.fail(exc)
        return result
    if not report.ok and (not skip_invalid or not report.accepted):
        return result  # all-or-nothing, or every row was bad: nothing is written
    with transaction.atomic():
        for number, name in pending:
            village_create(actor=actor, tambon=tambon, village_no=number, name_th=name)
    result.created = len(pending)
    result.completed = True
    return result
