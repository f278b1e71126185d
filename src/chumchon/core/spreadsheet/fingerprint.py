"""Idempotency keys for imported rows.

"Importing the same rows again never creates duplicates" (the contract), yet a
household may really buy eggs twice on the same day for the same amount, and its form
then has two identical lines. So a row's key is the SHA-256 of

    (namespace, the normalised values of the chosen fields, n)

where ``n`` says this is the n-th line with those values in this file. The two egg
lines get different keys; importing the file again produces the same two keys, which
the import finds already stored, so nothing is added. If the clerk later adds a third
identical line and imports again, only that third line is new.

Values are normalised so that what a person sees as "the same" is the same:
``Decimal("1250.5")`` = ``Decimal("1250.50")``, text is compared with whitespace
collapsed and Latin case folded, dates by their ISO form, empty = absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

from chumchon.core.spreadsheet.cells import clean_text


def canonical(value: object) -> str:
    """The text a value contributes to a fingerprint."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return clean_text(value).casefold()
    return str(value)


def row_fingerprint(
    values: Mapping[str, object], fields: Sequence[str], *, namespace: str = "", occurrence: int = 1
) -> str:
    """SHA-256 (hex) of ``fields`` of ``values``, the namespace and the occurrence number.

    ``namespace`` keeps keys of different imports and places apart (for instance
    ``"ledger:370107"``: the same line in two tambons is two lines).
    """
    payload = json.dumps(
        [namespace, occurrence, [[name, canonical(values.get(name))] for name in fields]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class Fingerprinter:
    """Keys for the rows of one file, counting identical rows as they come.

    ``keys = Fingerprinter(["household", "date", "category", "item", "amount"],
    namespace="ledger:370107")``; then ``keys(result.values)`` for each row, in file
    order. Memory grows by about a hundred bytes per distinct row.
    """

    def __init__(self, fields: Sequence[str], *, namespace: str = "") -> None:
        if not fields:
            raise ValueError("a fingerprint needs at least one field")
        self.fields = tuple(fields)
        self.namespace = namespace
        self._seen: dict[bytes, int] = {}

    def __call__(self, values: Mapping[str, object]) -> str:
        marker = bytes.fromhex(row_fingerprint(values, self.fields, namespace=self.namespace, occurrence=0)[:32])
        occurrence = self._seen.get(marker, 0) + 1
        self._seen[marker] = occurrence
        return row_fingerprint(values, self.fields, namespace=self.namespace, occurrence=occurrence)
