"""What an import did, and the rows of the file as they are checked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from chumchon.areas.models import Area
from chumchon.core import national_id
from chumchon.core import spreadsheet as ss

Progress = Callable[[int, int], None]
BATCH = 500


# --- the result --------------------------------------------------------------------


@dataclass
class HouseholdImportResult:
    """What an import did. ``completed`` is False when the input was refused and nothing
    was written; when True every accepted row is in the registry. ``created`` and
    ``unchanged`` count accepted rows (a household row, or a member row) that added a
    record or found it already there."""

    report: ss.ImportReport = field(default_factory=ss.ImportReport)
    created: int = 0
    unchanged: int = 0
    completed: bool = False
    total_rows: int = 0
    households_created: int = 0
    members_created: int = 0

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


# --- rows as they are checked ----------------------------------------------------------


@dataclass
class _Row:
    result: ss.RowResult
    errors: list[ss.RowError] = field(default_factory=list)
    digest: str | None = None

    @property
    def ok(self) -> bool:
        return self.result.ok and not self.errors

    def refuse(self, field_name: str | None, th: str, en: str) -> None:
        self.errors.append(self.result.error(field_name, ss.Text(th, en)))


@dataclass
class _HouseholdRow(_Row):
    village: Area | None = None
    existing_pk: int | None = None  # the same household is already registered: unchanged


@dataclass
class _MemberRow(_Row):
    household: _HouseholdRow | None = None  # its household's row in this file
    existing_pk: int | None = None  # its household is already registered
    repeats_head: bool = False
    unchanged: bool = False


@dataclass(frozen=True)
class _Registered:
    """A member found in the registry by national ID."""

    household_pk: int
    code: str
    tambon_code: str
    village: str


def _where(row: _Row, sheet: str) -> tuple[str, str]:
    """``แถว 5`` / ``row 5``, naming the sheet when it differs from ``sheet``."""
    number = row.result.row
    if row.result.sheet == sheet:
        return f"แถว {number}", f"row {number}"
    return f"แถว {number} ชีต '{row.result.sheet}'", f"row {number} of sheet '{row.result.sheet}'"


def _conflict(row: _Row, digits: str, other: _Registered, tambon: Area) -> None:
    """The registry services' rule: name the other household only inside the tambon."""
    masked = national_id.mask(digits)
    if other.tambon_code == tambon.code:
        row.refuse(
            "national_id",
            f"เลขประจำตัวประชาชน {masked} มีอยู่แล้วในครัวเรือน {other.code} ({other.village}) หนึ่งคนอยู่ได้ครัวเรือนเดียว",
            f"the national ID {masked} already belongs to household {other.code} ({other.village}); "
            "a person belongs to one household only",
        )
    else:
        row.refuse(
            "national_id",
            f"เลขประจำตัวประชาชน {masked} ขึ้นทะเบียนแล้วในครัวเรือนอื่นนอกพื้นที่ของท่าน กรุณาประสานผู้ดูแลระบบ",
            f"the national ID {masked} is already registered in a household outside your area; "
            "please contact the administrator",
        )


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _count_rows(sheets: Iterable[ss.Sheet]) -> int:
    """Non-blank rows below each sheet's header: the progress bar's total."""
    return sum(sheet.data_rows_count() for sheet in sheets)
