"""Reading both sheets and checking every row, against the file and then the registry,
before anything is written."""

from __future__ import annotations

import os

from chumchon.areas.models import Area
from chumchon.areas.selectors import villages_of
from chumchon.core import national_id
from chumchon.core import spreadsheet as ss
from chumchon.registry.imports.columns import HOUSEHOLD_SHEETS, HOUSEHOLDS, MEMBER_SHEETS, MEMBERS
from chumchon.registry.imports.rows import (
    BATCH,
    HouseholdImportResult,
    Progress,
    _chunks,
    _conflict,
    _count_rows,
    _HouseholdRow,
    _MemberRow,
    _Registered,
    _Row,
    _where,
)
from chumchon.registry.models import Household, Member


def _read(
    result: HouseholdImportResult,
    tambon: Area,
    path: str | os.PathLike[str],
    filename: str | None,
    progress: Progress | None,
) -> tuple[list[_HouseholdRow], list[_MemberRow]]:
    """Parse both sheets and run the checks that need only the file (and the villages)."""
    villages = {v.village_no: v for v in villages_of(tambon.code)}
    households: list[_HouseholdRow] = []
    members: list[_MemberRow] = []
    by_code: dict[str, _HouseholdRow] = {}
    by_digest: dict[str, _Row] = {}
    with ss.open_workbook(path, filename=filename) as book:
        member_sheet = book.find_sheet(MEMBER_SHEETS)
        household_sheet = book.find_sheet(HOUSEHOLD_SHEETS) or book.sheet()
        if household_sheet is member_sheet:  # the members sheet comes first: take the next one
            household_sheet = next((sheet for sheet in book.sheets if sheet is not member_sheet), household_sheet)
        if member_sheet is household_sheet:
            member_sheet = None
        sheets = [household_sheet, *([member_sheet] if member_sheet else [])]
        done = 0
        if progress is not None:
            result.total_rows = _count_rows(sheets)
            progress(0, result.total_rows)
        # Both headers are checked before any row, so a bad members header stops the import
        # before it reports a thousand household rows.
        errors: list[ss.RowError] = []
        readers: list[ss.SheetReader] = []
        for sheet, spec in zip(sheets, (HOUSEHOLDS, MEMBERS), strict=False):
            try:
                readers.append(sheet.read(spec))
            except ss.HeaderError as exc:
                errors.extend(exc.errors)
        if errors:
            raise ss.HeaderError(errors[0].message, errors)
        for reader in readers:
            result.report.warn(reader.warnings)

        for parsed in readers[0]:
            row = _HouseholdRow(parsed)
            households.append(row)
            values = parsed.values
            code = values["code"]
            if code is not None:
                if code in by_code:
                    first, first_en = _where(by_code[code], parsed.sheet)
                    row.refuse("code", f"รหัสครัวเรือน {code} ซ้ำกับ{first}", f"household {code} repeats {first_en}")
                else:
                    by_code[code] = row
            if values["village_no"] is not None:
                row.village = villages.get(values["village_no"])
                if row.village is None:
                    row.refuse(
                        "village_no",
                        f"ไม่พบหมู่ที่ {values['village_no']} ใน {tambon.display_name} — นำเข้าหรือเพิ่มหมู่บ้านก่อน",
                        f"there is no village no. {values['village_no']} in {tambon.name_en or tambon.name_th}; "
                        "import or add the village first",
                    )
            if (values["lat"] is None) != (values["lon"] is None) and not parsed.errors:
                row.refuse(
                    "lat" if values["lat"] is None else "lon",
                    "ต้องกรอกทั้งละติจูดและลองจิจูด",
                    "fill in both latitude and longitude",
                )
            _note_national_id(row, values["national_id"], by_digest, head_of=row)
            done += 1
            if progress is not None:
                progress(done, max(result.total_rows, done))

        for parsed in readers[1] if len(readers) > 1 else ():
            member = _MemberRow(parsed)
            members.append(member)
            code = parsed.values["household"]
            if code is not None:
                member.household = by_code.get(code)
            _note_national_id(member, parsed.values["national_id"], by_digest, head_of=None)
            done += 1
            if progress is not None:
                progress(done, max(result.total_rows, done))
    return households, members


def _note_national_id(row: _Row, digits: str | None, seen: dict[str, _Row], *, head_of: _HouseholdRow | None) -> None:
    """Hash the ID and refuse a second use inside the file (a member row may repeat its
    own household's head)."""
    if digits is None:
        return
    row.digest = national_id.lookup_hash(digits)
    first = seen.get(row.digest)
    if first is None:
        seen[row.digest] = row
        return
    if isinstance(row, _MemberRow) and row.household is not None and first is row.household:
        row.repeats_head = True
        return
    where, where_en = _where(first, row.result.sheet)
    row.refuse("national_id", f"เลขประจำตัวประชาชนซ้ำกับ{where}", f"the same national ID as {where_en}")


def _check_against_registry(households: list[_HouseholdRow], members: list[_MemberRow], tambon: Area) -> None:
    """Existing households (unchanged, or a code taken by another head) and national IDs
    already registered, looked up in batches."""
    codes = sorted(
        {row.result.values["code"] for row in households if row.result.values["code"]}
        | {row.result.values["household"] for row in members if row.result.values["household"]}
    )
    existing: dict[str, int] = {}
    heads: dict[int, str | None] = {}
    for chunk in _chunks(codes):
        existing.update(Household.objects.filter(tambon_code=tambon.code, code__in=chunk).values_list("code", "pk"))
    pks = sorted(existing.values())
    for start in range(0, len(pks), BATCH):
        heads.update(
            Member.objects.filter(household_id__in=pks[start : start + BATCH], is_head=True).values_list(
                "household_id", "national_id_hash"
            )
        )
    digests = sorted({row.digest for row in [*households, *members] if row.digest})
    registered: dict[str, _Registered] = {}
    for chunk in _chunks(digests):
        found = Member.objects.filter(national_id_hash__in=chunk).values_list(
            "national_id_hash",
            "household_id",
            "household__code",
            "household__tambon_code",
            "household__village__village_no",
            "household__village__name_th",
        )
        for digest, pk, code, tambon_code, village_no, village_name in found:
            if digest:
                registered[digest] = _Registered(pk, code, tambon_code, f"หมู่ {village_no} {village_name}")

    for row in households:
        if not row.ok:
            continue
        values = row.result.values
        code = values["code"]
        assert row.digest is not None  # noqa: S101 - a row that parsed has its ID hashed
        if code in existing:
            if heads.get(existing[code]) == row.digest:
                row.existing_pk = existing[code]
            else:
                row.refuse(
                    "code",
                    f"รหัสครัวเรือน {code} มีอยู่แล้วในตำบลนี้ โดยมีหัวหน้าครัวเรือนคนอื่น",
                    f"household {code} already exists in this tambon with another head of household",
                )
        elif row.digest in registered:
            _conflict(row, values["national_id"], registered[row.digest], tambon)

    for member in members:
        if not member.ok:
            continue
        values = member.result.values
        code = values["household"]
        household = member.household
        if household is not None and not household.ok:
            where, where_en = _where(household, member.result.sheet)
            member.refuse(
                "household",
                f"ครัวเรือน {code} ({where}) มีข้อผิดพลาด จึงนำเข้าสมาชิกไม่ได้",
                f"household {code} ({where_en}) has errors, so its members cannot be imported",
            )
            continue
        if member.repeats_head:
            continue
        if household is not None:
            member.existing_pk = household.existing_pk
        elif code in existing:
            member.existing_pk = existing[code]
        else:
            member.refuse(
                "household",
                f"ไม่พบรหัสครัวเรือน {code} ทั้งในไฟล์และในทะเบียนของตำบลนี้",
                f"household {code} is neither in the file nor registered in this tambon",
            )
            continue
        assert member.digest is not None  # noqa: S101
        other = registered.get(member.digest)
        if other is None:
            continue
        if member.existing_pk is not None and other.household_pk == member.existing_pk:
            member.unchanged = True
        else:
            _conflict(member, values["national_id"], other, tambon)
