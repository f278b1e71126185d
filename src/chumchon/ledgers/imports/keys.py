"""Idempotency keys of imported lines, for files of any length.

A line's key is exactly ``ss.row_fingerprint(values, KEY_FIELDS,
namespace="ledger:<tambon>", occurrence=n)`` — what ``ss.Fingerprinter`` gives — where
``n`` says it is the n-th identical line in the file. ``Fingerprinter`` remembers every
distinct line in a dict (about a hundred bytes each); for files of tens of millions of
lines this counts occurrences instead in sorted runs of 64-bit markers (8 bytes a line),
merged like a binary counter so each line is copied O(log n) times. The marker of a line
is the first 60 bits of its key as a first occurrence, so identical lines share it; two
different lines sharing one (odds about n²/2⁶¹) would only number the second one 2.
"""

from __future__ import annotations

import hashlib
import json

import polars as pl


class Occurrences:
    """How many times each marker has been seen so far, counted batch by batch in file order."""

    def __init__(self) -> None:
        self._runs: list[pl.Series] = []

    def __len__(self) -> int:
        return sum(len(run) for run in self._runs)

    def count(self, markers: pl.Series) -> pl.Series:
        """The occurrence number (1 for a first) of each marker, counting those before it."""
        markers = markers.cast(pl.UInt64)
        if markers.is_empty():
            return pl.Series("occurrence", [], dtype=pl.UInt32)
        if markers.n_unique() == len(markers):
            occurrence = pl.repeat(1, len(markers), dtype=pl.UInt32, eager=True)
        else:
            frame = pl.DataFrame({"m": markers})
            occurrence = frame.select(pl.col("m").cum_count().over("m")).to_series().cast(pl.UInt32)
        for run in self._runs:
            left = run.search_sorted(markers, "left")
            if (run.gather(left.clip(upper_bound=len(run) - 1)) == markers).any():  # seen before: rare
                occurrence = occurrence + (run.search_sorted(markers, "right") - left).cast(pl.UInt32)
        self._push(markers.sort())
        return occurrence.alias("occurrence")

    def _push(self, run: pl.Series) -> None:
        self._runs.append(run)
        while len(self._runs) > 1 and len(self._runs[-2]) <= len(self._runs[-1]):
            last = self._runs.pop()
            self._runs[-1] = pl.concat([self._runs[-1], last]).sort()


class Keys:
    """The keys of a file's lines, given each line's fingerprint body, in file order."""

    def __init__(self, namespace: str) -> None:
        self.head = "[" + json.dumps(namespace, ensure_ascii=False) + ","
        self.occurrences = Occurrences()

    def key(self, body: str, occurrence: int) -> str:
        return hashlib.sha256(f"{self.head}{occurrence},{body}]".encode()).hexdigest()

    def __call__(self, bodies: pl.Series) -> pl.Series:
        head = self.head
        sha256 = hashlib.sha256
        texts = bodies.to_list()
        firsts = [sha256(f"{head}1,{body}]".encode()).hexdigest() for body in texts]
        keys = pl.Series("key", firsts, dtype=pl.String)
        # The marker: the key's first 60 bits (15 hex digits fit an Int64 exactly).
        markers = keys.str.slice(0, 15).str.to_integer(base=16).cast(pl.UInt64)
        occurrence = self.occurrences.count(markers)
        if occurrence.max() == 1:
            return keys
        # identical lines in the file: the 2nd, 3rd … each get their own key
        for index in (occurrence > 1).arg_true().to_list():
            firsts[index] = self.key(texts[index], int(occurrence[index]))
        return pl.Series("key", firsts, dtype=pl.String)
