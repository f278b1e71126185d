"""Importing household accounts (``chumchon import ledgers``) and the lines that wait
for a category.

One row per line written on a household's form (``ledger-template.md``): household code,
date, category (code ``C02`` or a name ``ไข่``, a deployment's sub-categories too), item,
and exactly one of ``จำนวนเงิน``/amount, ``รายรับ``/income, ``รายจ่าย``/expense — the
money column used must agree with the category's kind. A row with an item and no
category is not an error: it becomes a :class:`~chumchon.ledgers.models.PendingLine`
with a suggested category (``ledgers.suggest``) that a person confirms on the review
page (``review.py``) before it counts.

Each accepted line's ``import_key`` is ``ss.row_fingerprint`` of (tambon, household,
date, category, item, amount, its occurrence among identical lines in the file), so
importing the same file, or an overlapping one, adds only lines not yet imported, and
two identical lines in one file stay two lines.

All-or-nothing by default; ``skip_invalid`` writes the good rows. The modules:
``sheet`` (columns, checks and messages — the row path), ``fast`` (the polars path for
CSV), ``keys`` (idempotency keys at any file size), ``write`` (COPY / executemany,
rollups, pending lines), ``run`` (the two passes), ``review`` (confirming and rejecting
pending lines).
"""

from chumchon.ledgers.imports.review import (
    ReviewError,
    pending_line_confirm,
    pending_line_get_for_user,
    pending_line_reject,
    pending_lines_count,
    pending_lines_qs_for_user,
)
from chumchon.ledgers.imports.run import LedgerImportResult, ledger_import, ledger_import_file
from chumchon.ledgers.imports.sheet import TEMPLATE, ledger_spec

__all__ = [
    "TEMPLATE",
    "LedgerImportResult",
    "ReviewError",
    "ledger_import",
    "ledger_import_file",
    "ledger_spec",
    "pending_line_confirm",
    "pending_line_get_for_user",
    "pending_line_reject",
    "pending_lines_count",
    "pending_lines_qs_for_user",
]
