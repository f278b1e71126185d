"""Importing households and their members (``chumchon import households``).

The first sheet (or one named ``ครัวเรือน`` / ``households``) has one row per household:
its code, village, house and the head of household. An optional sheet ``สมาชิก`` /
``members`` lists members with the same person columns plus ``ความสัมพันธ์`` /
``relation`` and the household code they belong to; a member row repeating the head
(same national ID, same household) is accepted and adds nothing.

Rules, checked for the whole file before anything is written:

* the village (``หมู่ที่``) must be a village of the tambon;
* national IDs are verified (check digit) and belong to one person in one household:
  a second use inside the file is refused on the later row, and a number already in
  the registry is refused with the registry's own message, which names the other
  household only when it is in the tambon being imported;
* a household code appears once in the file; a code already in the tambon with the
  same head of household is *unchanged* (accepted, nothing written), with another head
  it is refused — so importing the same file again creates nothing;
* members of a refused household row are refused with it.

All-or-nothing by default; ``skip_invalid`` writes the good rows in one transaction.
``origin=welfare_registry`` is the welfare-card registrant list: households come in as
registered but unverified, holding the card.

The modules: ``columns`` (the two sheets' columns and cell parsers), ``rows`` (the
result and the rows as they are checked), ``checks`` (reading the file and checking it
against itself and the registry), ``write`` (the bulk write), ``run`` (the import from
start to finish).
"""

from chumchon.registry.imports.columns import HOUSEHOLD_SHEETS, HOUSEHOLDS, MEMBER_SHEETS, MEMBERS, OCCUPATIONS
from chumchon.registry.imports.rows import BATCH, HouseholdImportResult, Progress
from chumchon.registry.imports.run import households_import
from chumchon.registry.imports.write import HEAD_RELATION

__all__ = [
    "BATCH",
    "HEAD_RELATION",
    "HOUSEHOLDS",
    "HOUSEHOLD_SHEETS",
    "MEMBERS",
    "MEMBER_SHEETS",
    "OCCUPATIONS",
    "HouseholdImportResult",
    "Progress",
    "households_import",
]
