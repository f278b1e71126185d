"""The categories for what a person wrote on a household's form, best first.

One ranking (:meth:`Dictionary.rank`) serves every place a category is picked for words:
the staff grid's picker and the phone form's (through the household's picker endpoint),
the imports' suggestion for a line without a category, and ``GET /api/categories``.

``rank("ซื้อไข่ไก่ 1 แผง")`` → ``C02`` first. The text is cut into words with PyThaiNLP's
``newmm`` tokenizer (offline: its word list ships with the package) over a dictionary of
its Thai words plus our keywords (``data/keywords.csv``: keyword → category code, and the
parts of the categories' own names), so a keyword is found only where it stands as
words — ``ปลา`` in ``ซื้อปลาทู`` but not in ``ปลายนา``. Runs of up to four consecutive
words are looked up too, so ``ค่า`` + ``ไฟ`` finds ``ค่าไฟ`` however the tokenizer cut it.

How candidates are ordered (each category keeps its best):

1. **How much of the text they explain** (its letters, spaces aside): among the keywords
   found, the longest wins (``ค่าจ้างรถไถ`` → P05 over ``ค่าจ้าง`` → I01); a word after
   a quantity is its unit and counts least (``ปุ๋ย 2 กระสอบ`` is fertiliser, not sacks).
2. **What matched**: the household's own past line with the same item (digits and
   punctuation aside: ``ปุ๋ย 2 กระสอบ`` = ``ปุ๋ยกระสอบ``) → the category it was kept
   under; then a keyword standing as whole words; then the household's past items and
   the keywords that *begin* with what was typed (the picker is filled in as one types:
   ``อาหารหม`` offers ``อาหารหมู`` → P04); last, category names containing the text.
3. **The money column's kind**: with a kind (``income``/``expense``) a category of the
   other kind is never offered at all. Without one (the grid's single amount column,
   the phone), the words around decide: ``ขาย``/``ได้รับ`` mean income, ``ซื้อ``/``จ่าย``
   expense.
4. **What this household wrote before**: how many of its past lines with the keyword
   were kept under the category (a pig farm's ``อาหาร`` is its pigs' feed once it has
   written ``อาหาร`` for P04).
5. **Everyday meaning first**: a keyword listed for several categories ranks them in
   the order of ``keywords.csv``, which lists the everyday household meaning first —
   ``อาหาร`` alone is the household's food (C05), the animals' feed only as
   ``อาหารหมู``/``อาหารสัตว์`` (P04); ``น้ำมัน`` alone is fuel for the household's
   motorbike or car (C13 "ค่าเดินทาง/น้ำมันรถ": bought weekly by nearly every
   household), then cooking oil (C06), then fuel for a pump or tractor (P06, which
   households write as ``น้ำมันรถไถ``/``น้ำมันสูบน้ำ``); ``ดอกเบี้ย`` is interest paid
   (F02), interest received (I08) in an income column or as ``ได้ดอกเบี้ย``.

An import suggests the first candidate that matched as whole words (never a completion);
a person confirms it on the review page before the line counts. The dictionary and its
word list are built once per process and cached (:func:`dictionary`).
"""

from __future__ import annotations

import bisect
import csv
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from chumchon.core.spreadsheet import clean_text
from chumchon.core.thai import arabic_digits

MAX_WORDS = 4  # the longest run of words a keyword may span
PICK_LIMIT = 12  # candidates a picker shows
INCOME_WORDS = frozenset({"ขาย", "ได้รับ", "รับ", "รายได้", "ได้เงิน", "กู้", "กู้เงิน", "ยืม", "ยืมเงิน"})
EXPENSE_WORDS = frozenset({"ซื้อ", "จ่าย", "ชำระ", "เสีย", "ผ่อน", "ใช้หนี้", "คืน"})
KINDS = ("income", "expense")
_CODE = re.compile(r"[a-z][0-9]{0,3}")
_NOT_LETTER = re.compile(r"[^\u0e01-\u0e4ea-z]+")
_NUMBER = re.compile(r"[0-9][0-9,.]*")

# What matched, best first (the second place of a candidate's score).
_HISTORY_WHOLE, _KEYWORD_WHOLE, _HISTORY_BEGINS, _KEYWORD_BEGINS, _NAME_HAS = 4, 3, 2, 1, 0


@dataclass(frozen=True)
class Suggestion:
    code: str
    keyword: str  # the keyword as listed in keywords.csv


@dataclass(frozen=True)
class Ranked:
    """One category offered for a text."""

    code: str
    kind: str
    matched: str  # the keyword, past item, code or category name that matched
    source: str  # "code", "history", "keyword" or "name"
    whole: bool  # matched as whole words (not a completion of what is being typed)


@dataclass(frozen=True)
class Past:
    """A household's past lines with one item text, kept under one category."""

    code: str
    kind: str
    lines: int


# history_key(item) → the categories the household's lines with that item were kept under.
History = Mapping[str, Sequence[Past]]


@dataclass(frozen=True)
class _Keyword:
    text: str
    code: str
    kind: str
    order: int


class _WordSet:
    """The tokenizer's dictionary as a set: all ``newmm`` asks of it is ``prefixes``.

    PyThaiNLP's own ``Trie`` takes seconds to build from its 62,000 words (a Python
    object per letter); a frozenset takes a tenth of a second and answers the same."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self.longest = max(map(len, self.words), default=0)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        end = min(len(text), start + self.longest)
        return [text[start:i] for i in range(start + 1, end + 1) if text[start:i] in self.words]

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


class Dictionary:
    """The keywords, their categories' kinds, the categories' names, and the tokenizer's
    word list (loaded on first use)."""

    def __init__(
        self,
        rows: list[tuple[str, str]],
        kinds: dict[str, str],
        names: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        """``rows``: (keyword, code) in order of preference; ``kinds``: code → kind;
        ``names``: (code, Thai name, English name) of the categories, whose Thai names and
        their ``/``-separated parts become keywords after the listed ones."""
        self.kinds = dict(kinds)
        self.keywords: dict[str, list[_Keyword]] = {}
        listed = list(rows)
        for code, name_th, _name_en in names:
            listed += [(part.strip(), code) for part in [name_th, *name_th.split("/")] if part.strip()]
        for order, (keyword, code) in enumerate(listed):
            if code not in self.kinds:
                raise ValueError(f"keyword {keyword!r}: unknown category {code}")
            key = keyword_key(keyword)
            if any(k.code == code for k in self.keywords.get(key, ())):
                continue  # a name part already listed as a keyword keeps its place
            self.keywords.setdefault(key, []).append(_Keyword(keyword, code, self.kinds[code], order))
        self._sorted = sorted(self.keywords)
        self._names = [(code, keyword_key(th), keyword_key(en), th) for code, th, en in names]
        self._codes = sorted(self.kinds)
        self._wordset: _WordSet | None = None
        self._lock = threading.Lock()

    # --- words ----------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """``text`` cut into words (spaces dropped)."""
        return list(self._words(text))

    @lru_cache(maxsize=20_000)  # noqa: B019 -- one Dictionary per process (dictionary())
    def _words(self, text: str) -> tuple[str, ...]:
        from pythainlp.tokenize import word_tokenize

        with self._lock:
            if self._wordset is None:
                from pythainlp.corpus import thai_words

                self._wordset = _WordSet(set(thai_words()) | set(self.keywords))
        custom: Any = self._wordset
        out: list[str] = []
        for word in word_tokenize(text, custom_dict=custom, engine="newmm", keep_whitespace=False):
            if word.strip():
                out += self._split(word)
        return tuple(out)

    def _split(self, word: str) -> list[str]:
        """A compound of the Thai word list that is no keyword of ours, cut in two words
        where that is possible (the longest first part): ``อาหารกลางวัน`` → ``อาหาร``
        ``กลางวัน``, ``รถมอเตอร์ไซค์`` → ``รถ`` ``มอเตอร์ไซค์`` (so ``ซ่อม`` + ``รถ`` is
        found); ``ปลาย`` stays whole (``ย`` is no word)."""
        words = self._wordset
        if word in self.keywords or words is None or len(word) < 4:
            return [word]
        for i in range(len(word) - 2, 1, -1):
            if word[:i] in words and word[i:] in words:
                return [word[:i], word[i:]]
        return [word]

    # --- ranking --------------------------------------------------------------------

    def rank(self, text: str, *, kind: str | None = None, history: History | None = None) -> list[Ranked]:
        """Every category offered for ``text`` written in a money column of ``kind``
        (``None``: not known), best first; see the module's docstring for the order."""
        q = normalize(text)
        key = q.replace(" ", "")
        if not key:
            return []
        if _CODE.fullmatch(key):
            return [
                Ranked(code, self.kinds[code], code, "code", whole=code.lower() == key)
                for code in self._codes
                if code.lower().startswith(key) and kind in (None, self.kinds[code])
            ]
        words = self.words(q)
        hint = kind or _hint(words)
        past = history or {}
        best: dict[str, tuple[tuple[int, ...], Ranked]] = {}

        def offer(score: tuple[int, ...], found: Ranked) -> None:
            if kind is not None and found.kind != kind:
                return
            if found.code not in best or score > best[found.code][0]:
                best[found.code] = (score, found)

        def wrote(code: str, keyword: str) -> int:
            return sum(p.lines for item, lines in past.items() if keyword in item for p in lines if p.code == code)

        # The household's own past lines: the same item, or one beginning with the text.
        typed = history_key(q)
        if typed:
            for item, lines in past.items():
                if not item.startswith(typed):
                    continue
                source = _HISTORY_WHOLE if item == typed else _HISTORY_BEGINS
                for p in lines:
                    score = (len(key), source, int(p.kind == hint), p.lines, 0, -len(item), 0)
                    offer(score, Ranked(p.code, p.kind, item, "history", whole=source == _HISTORY_WHOLE))
        # Keywords standing as whole words, and keywords beginning with the last words typed.
        for start in range(len(words)):
            # A word after a quantity is its unit (อาหาร 2 กระสอบ, เหล้า 2 ขวด): last.
            unit = start > 0 and _NUMBER.fullmatch(words[start - 1]) is not None
            joined = ""
            for end in range(start, min(len(words), start + MAX_WORDS)):
                joined += words[end]
                for k in self.keywords.get(joined, ()):
                    score = (
                        0 if unit else len(joined),
                        _KEYWORD_WHOLE,
                        int(k.kind == hint),
                        wrote(k.code, joined),
                        -start,
                        0,
                        -k.order,
                    )
                    offer(score, Ranked(k.code, k.kind, k.text, "keyword", whole=True))
            # A tail that is a whole word already was most likely typed to its end: what
            # begins with it comes after everything found as whole words.
            tail = "".join(words[start:])
            reach = 0 if tail in self.keywords or tail in (self._wordset or ()) else len(tail)
            for longer in self._beginning_with(tail):
                for k in self.keywords[longer]:
                    rest = (wrote(k.code, longer), -start, -len(longer), -k.order)
                    offer(
                        (reach, _KEYWORD_BEGINS, int(k.kind == hint), *rest),
                        Ranked(k.code, k.kind, k.text, "keyword", whole=False),
                    )
        # Category names with the text inside them (Thai or English).
        reach = 0 if key in self.keywords or key in (self._wordset or ()) else len(key)
        for code, th, en, name in self._names:
            if key in th or key in en:
                found = Ranked(code, self.kinds[code], name, "name", whole=False)
                offer((reach, _NAME_HAS, int(found.kind == hint), 0, 0, 0, 0), found)
        return [found for _score, found in sorted(best.values(), key=lambda pair: pair[0], reverse=True)]

    def _beginning_with(self, prefix: str) -> list[str]:
        """The keyword keys longer than ``prefix`` that begin with it."""
        if not prefix:
            return []
        out = []
        for i in range(bisect.bisect_right(self._sorted, prefix), len(self._sorted)):
            if not self._sorted[i].startswith(prefix):
                break
            out.append(self._sorted[i])
        return out

    def suggest(self, item: str, *, kind: str | None = None, history: History | None = None) -> Suggestion | None:
        """The first candidate of :meth:`rank` that matched as whole words."""
        for found in self.rank(item, kind=kind, history=history):
            if found.whole and found.source != "code":
                return Suggestion(code=found.code, keyword=found.matched)
        return None


def _hint(words: Sequence[str]) -> str | None:
    said = set(words)
    if said & INCOME_WORDS and not said & EXPENSE_WORDS:
        return "income"
    if said & EXPENSE_WORDS and not said & INCOME_WORDS:
        return "expense"
    return None


def normalize(text: str) -> str:
    """Spaces collapsed, Thai digits as 0–9, Latin letters in lower case."""
    return arabic_digits(clean_text(text)).lower()


def keyword_key(text: str) -> str:
    """How a keyword is looked up: normalized, without spaces."""
    return normalize(text).replace(" ", "")


def history_key(item: str) -> str:
    """How a household's past item is compared with what is typed: its letters only
    (``ปุ๋ย 2 กระสอบ`` → ``ปุ๋ยกระสอบ``, ``ผ่อน ธ.ก.ส.`` → ``ผ่อนธกส``)."""
    return _NOT_LETTER.sub("", normalize(item))


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("chumchon.ledgers").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The packaged dictionary (``data/keywords.csv`` over the standard categories)."""
    categories = _read_csv("categories.csv")
    kinds = {row["code"]: row["kind"] for row in categories}
    names = [(row["code"], row["name_th"], row["name_en"]) for row in categories]
    rows = [
        (row["keyword"].strip(), row["code"].strip()) for row in _read_csv("keywords.csv") if row["keyword"].strip()
    ]
    return Dictionary(rows, kinds, names)


def dictionary_warm() -> None:
    """Build the dictionary and its word list in a background thread, so that the first
    picker answer of a server just started does not wait the seconds they take."""
    threading.Thread(target=lambda: dictionary().words("ไข่ไก่"), name="chumchon-dictionary", daemon=True).start()


def rank(text: str, *, kind: str | None = None, history: History | None = None) -> list[Ranked]:
    """The categories for ``text`` written in a money column of ``kind`` (``income`` /
    ``expense``; ``None`` when not known), best first, by :meth:`Dictionary.rank`."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be income or expense, not {kind!r}")
    if history:
        return dictionary().rank(text, kind=kind, history=history)
    return list(_rank_cached(text, kind))


@lru_cache(maxsize=20_000)
def _rank_cached(text: str, kind: str | None) -> tuple[Ranked, ...]:
    return tuple(dictionary().rank(text, kind=kind))


def suggest(item: str, *, kind: str | None = None, history: History | None = None) -> Suggestion | None:
    """The suggested category for ``item`` written in a money column of ``kind``
    (``income``/``expense``; ``None`` for the single amount column), or ``None``: the
    first of :func:`rank` that matched as whole words."""
    for found in rank(item, kind=kind, history=history):
        if found.whole and found.source != "code":
            return Suggestion(code=found.code, keyword=found.matched)
    return None


def suggest_category(item: str, *, kind: str | None = None, history: History | None = None) -> str | None:
    """Just the code of :func:`suggest`."""
    found = suggest(item, kind=kind, history=history)
    return found.code if found else None
