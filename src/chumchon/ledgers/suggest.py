"""A suggested category for an item written on a household's form.

``suggest("ซื้อไข่ไก่ 1 แผง")`` → ``C02``. The item is cut into words with PyThaiNLP's
``newmm`` tokenizer (offline: its word list ships with the package) over a dictionary of
its Thai words plus our keywords (``data/keywords.csv``: keyword → category code), so a
keyword is found only where it stands as words — ``ปลา`` in ``ซื้อปลาทู`` but not in
``ปลายนา``. Runs of up to four consecutive words are looked up too, so ``ค่า`` + ``ไฟ``
finds ``ค่าไฟ`` however the tokenizer cut it.

Among the keywords found, the longest wins (``ค่าจ้างรถไถ`` → P05 over ``ค่าจ้าง`` → I01).
A keyword may be listed for an expense category and an income category (``หมู`` → C04
bought, I03 sold); the money column the line was written in decides, and a category of
the other kind is never suggested for it. When the line has a single amount column, the
words around decide: ``ขาย``/``ได้รับ`` mean income, ``ซื้อ``/``จ่าย`` expense. The
suggestion is only that: a person confirms it on the review page before the line counts.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from chumchon.core.spreadsheet import clean_text
from chumchon.core.thai import arabic_digits

MAX_WORDS = 4  # the longest run of words a keyword may span
INCOME_WORDS = frozenset({"ขาย", "ได้รับ", "รับ", "รายได้", "ได้เงิน", "กู้", "กู้เงิน", "ยืม", "ยืมเงิน"})
EXPENSE_WORDS = frozenset({"ซื้อ", "จ่าย", "ชำระ", "เสีย", "ผ่อน", "ใช้หนี้", "คืน"})


@dataclass(frozen=True)
class Suggestion:
    code: str
    keyword: str  # the keyword as listed in keywords.csv


@dataclass(frozen=True)
class _Keyword:
    text: str
    code: str
    kind: str
    order: int


class Dictionary:
    """The keywords, their categories' kinds, and the tokenizer's word list."""

    def __init__(self, rows: list[tuple[str, str]], kinds: dict[str, str]) -> None:
        self.keywords: dict[str, list[_Keyword]] = {}
        for order, (keyword, code) in enumerate(rows):
            if code not in kinds:
                raise ValueError(f"keyword {keyword!r}: unknown category {code}")
            key = normalize(keyword).replace(" ", "")
            self.keywords.setdefault(key, []).append(_Keyword(keyword, code, kinds[code], order))
        self._trie: Any = None
        self._lock = threading.Lock()

    def words(self, text: str) -> list[str]:
        """``text`` cut into words (spaces dropped)."""
        from pythainlp.tokenize import word_tokenize

        with self._lock:
            if self._trie is None:
                from pythainlp.corpus import thai_words
                from pythainlp.util import dict_trie

                self._trie = dict_trie(set(thai_words()) | set(self.keywords))
        return [
            w for w in word_tokenize(text, custom_dict=self._trie, engine="newmm", keep_whitespace=False) if w.strip()
        ]

    def suggest(self, item: str, *, kind: str | None = None) -> Suggestion | None:
        text = normalize(item)
        if not text:
            return None
        words = self.words(text)
        hint = kind
        if hint is None:
            said = set(words)
            if said & INCOME_WORDS and not said & EXPENSE_WORDS:
                hint = "income"
            elif said & EXPENSE_WORDS and not said & INCOME_WORDS:
                hint = "expense"
        best: tuple[tuple[int, bool, int, int], _Keyword] | None = None
        for start in range(len(words)):
            joined = ""
            for end in range(start, min(len(words), start + MAX_WORDS)):
                joined += words[end]
                for keyword in self.keywords.get(joined, ()):
                    if kind is not None and keyword.kind != kind:
                        continue
                    rank = (len(joined), keyword.kind == hint, -start, -keyword.order)
                    if best is None or rank > best[0]:
                        best = (rank, keyword)
        if best is None:
            return None
        return Suggestion(code=best[1].code, keyword=best[1].text)


def normalize(text: str) -> str:
    """Spaces collapsed, Thai digits as 0–9, Latin letters in lower case."""
    return arabic_digits(clean_text(text)).lower()


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("chumchon.ledgers").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The packaged dictionary (``data/keywords.csv`` over the standard categories)."""
    kinds = {row["code"]: row["kind"] for row in _read_csv("categories.csv")}
    rows = [
        (row["keyword"].strip(), row["code"].strip()) for row in _read_csv("keywords.csv") if row["keyword"].strip()
    ]
    return Dictionary(rows, kinds)


@lru_cache(maxsize=20_000)
def suggest(item: str, *, kind: str | None = None) -> Suggestion | None:
    """The suggested category for ``item`` written in a money column of ``kind``
    (``income``/``expense``; ``None`` for the single amount column), or ``None``."""
    return dictionary().suggest(item, kind=kind)


def suggest_category(item: str, *, kind: str | None = None) -> str | None:
    """Just the code of :func:`suggest`."""
    found = suggest(item, kind=kind)
    return found.code if found else None
