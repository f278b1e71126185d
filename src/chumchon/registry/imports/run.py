"""The import from start to finish: read and check, count, then write or refuse."""

from __future__ import annotations

import os

from django.db import IntegrityError

from chumchon.access.permissions import Write, can
from chumchon.access.services import Actor
from chumchon.areas.models import Area, Level
from chumchon.core import spreadsheet as ss
from chumchon.core.statistics import tables_analyse_after_write
from chumchon.registry.imports.checks import _check_against_registry, _read
from chumchon.registry.imports.rows import HouseholdImportResult, Progress, _HouseholdRow, _MemberRow
from chumchon.registry.imports.write import _write
from chumchon.registry.models import Household, HouseholdChange, Member, Origin
from chumchon.registry.services import RegistryError


def households_import(
    *,
    actor: Actor,
    tambon: Area,
    path: str | os.PathLike[str],
    filename: str | None = None,
    origin: str = Origin.TAMBON,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> HouseholdImportResult:
    """Read ``path`` and register the households (and members) it lists in ``tambon``."""
    if tambon.level != Level.TAMBON:
        raise ValueError(f"{tambon.code} is not a tambon")
    origin = Origin(origin)
    if actor.user is not None and not can(actor.user, Write.IMPORT, tambon.code):
        raise RegistryError("ไม่มีสิทธิ์แก้ไขทะเบียนในพื้นที่นี้")
    result = HouseholdImportResult()
    report = result.report
    try:
        households, members = _read(result, tambon, path, filename, progress)
    except ss.SpreadsheetError as exc:
        report.fail(exc)
        return result
    _check_against_registry(households, members, tambon)

    new_households: list[_HouseholdRow] = []
    new_members: list[_MemberRow] = []
    for row in [*households, *members]:
        if not row.ok:
            report.reject(row.result, *row.errors)
            continue
        report.accept()
        if isinstance(row, _HouseholdRow):
            if row.existing_pk is None:
                new_households.append(row)
                result.created += 1
            else:
                result.unchanged += 1
        elif isinstance(row, _MemberRow):
            if row.unchanged or row.repeats_head:
                result.unchanged += 1
            else:
                new_members.append(row)
                result.created += 1
    if not report.ok and (not skip_invalid or not report.accepted):
        result.created = result.unchanged = 0
        return result  # all-or-nothing, or every row was bad: nothing is written
    try:
        _write(result, actor, tambon, origin, new_households, new_members, filename or os.fspath(path))
    except IntegrityError:
        # Someone registered one of these households or people between the check and the
        # write (the unique constraints caught it). Nothing was written; a second run will
        # report the row.
        result.created = result.unchanged = 0
        report.fail(
            ss.SpreadsheetError(
                ss.Text(
                    "ทะเบียนมีการเปลี่ยนแปลงระหว่างการนำเข้า จึงยังไม่ได้บันทึกข้อมูล — กรุณานำเข้าไฟล์นี้อีกครั้ง",
                    "the registry changed while the file was being imported, so nothing was saved; "
                    "please import the file again",
                )
            )
        )
        return result
    # A large import leaves the tables analysed: the next page is planned for their size.
    written = result.households_created + result.members_created
    tables_analyse_after_write([m._meta.db_table for m in (Household, Member, HouseholdChange)], written)
    result.completed = True
    return result
