"""Small-cell protection of linked tables: primary and complementary suppression.

The method statistical offices use for published tables (τ-Argus' hypercube and
modular methods, Hundepool et al., *Statistical Disclosure Control*, 2012, ch. 4),
reduced to what our tables need:

- A **cell** has a value and bounds on the households behind it (``low``..``high``):
  exact where the rollups count them, a floor and a ceiling where they do not (a
  span's households are at least the most in one of its months and at most their
  sum).
- **Primary suppression**: a cell that 1–4 households may stand behind
  (``0 < low < 5``; a cell nobody stands behind is a true zero and is shown).
- **Relations**: ``total = part + part + …`` — a parent area and its children, a
  fiscal year and its quarters, a quarter and its months, a figure and its
  categories. A reader who sees all but one cell of a relation can compute the
  last one; that is the differencing attack.
- **Complementary (secondary) suppression**, until every relation holds:
  * when the total is shown and some parts are hidden, at least two parts with
    households behind them are hidden, and the hidden parts together certainly
    have at least 5 households behind them (their sum is what the reader can
    compute): ``max(low of each, low(total) - sum of high of the shown parts) >= 5``;
  * when the total is hidden, at least one part with households behind it is
    hidden too (otherwise the total is the sum of its shown parts);
  * the extra cell hidden is the shown part with the fewest households behind it,
    then the smallest value (the least information lost); when no part is left the
    total is hidden.
- **Frozen cells**: a table is protected from the top down (province, then each
  district, then each tambon with its villages); the cells decided above are given
  as frozen and never change, so every page computes the same pattern from its own
  part of the tree.

Suppression only grows, so the loop ends. ``protect`` returns the hidden cells.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from chumchon.core.cache import kept_in_both

THRESHOLD = 5  # households: a cell fewer stand behind is hidden


@dataclass(frozen=True)
class Cell:
    value: int  # whole satang or a count; only ordered, never printed from here
    low: int  # households certainly behind the cell
    high: int  # households at most behind it

    @property
    def empty(self) -> bool:
        return self.high == 0


@dataclass(frozen=True)
class Relation:
    total: Hashable
    parts: tuple[Hashable, ...]


def primary(cell: Cell) -> bool:
    return 0 < cell.low < THRESHOLD or (cell.low == 0 and cell.high > 0)


def protect(
    cells: Mapping[Any, Cell],
    relations: Sequence[Relation],
    *,
    frozen: Mapping[Any, bool] | None = None,
) -> set[Any]:
    """The cells to hide: the primary ones, and enough others that no relation gives
    one away. ``frozen`` maps cells decided before (True = hidden) to their state; a
    frozen cell is never changed. Cells missing from ``cells`` count as empty."""
    frozen = frozen or {}
    empty = Cell(0, 0, 0)
    cells = _tightened(cells, relations)
    hidden: set[Hashable] = {k for k, hide in frozen.items() if hide}
    hidden |= {k for k, c in cells.items() if k not in frozen and primary(c)}
    by_cell: dict[Hashable, list[int]] = {}
    for i, r in enumerate(relations):
        for k in (r.total, *r.parts):
            by_cell.setdefault(k, []).append(i)

    def cell(k: Hashable) -> Cell:
        return cells.get(k, empty)

    def fix(r: Relation) -> Hashable | None:
        """One cell to hide so that ``r`` holds better, or None when it holds."""
        live = [p for p in r.parts if not cell(p).empty]
        gone = [p for p in live if p in hidden]
        shown = [p for p in live if p not in hidden]
        free = [p for p in shown if p not in frozen]
        if r.total in hidden:
            if gone or not free:
                return None
            return _cheapest(free, cell)
        if not gone:
            return None
        if len(live) == 1:  # the part is the total: they share one state
            return r.total if r.total not in frozen else None
        low = max(max(cell(p).low for p in gone), cell(r.total).low - sum(cell(p).high for p in shown))
        if len(gone) >= 2 and low >= THRESHOLD:
            return None
        if free:
            return _cheapest(free, cell)
        return r.total if r.total not in frozen else None

    queue = list(range(len(relations)))
    queued = set(queue)
    while queue:
        i = queue.pop()
        queued.discard(i)
        while (k := fix(relations[i])) is not None:
            hidden.add(k)
            for j in by_cell.get(k, ()):
                if j not in queued:
                    queue.append(j)
                    queued.add(j)
    return hidden


def _tightened(cells: Mapping[Any, Cell], relations: Sequence[Relation]) -> dict[Any, Cell]:
    """Where a relation has one part with households behind it, that part and the
    total are the same households: each takes the better bounds of the two."""
    out = dict(cells)
    for r in relations:
        live = [p for p in r.parts if p in out and not out[p].empty]
        if len(live) != 1 or r.total not in out:
            continue
        a, b = out[r.total], out[live[0]]
        low, high = max(a.low, b.low), min(a.high, b.high) if a.high and b.high else max(a.high, b.high)
        out[r.total] = Cell(a.value, low, max(high, low))
        out[live[0]] = Cell(b.value, low, max(high, low))
    return out


def _cheapest(keys: Iterable[Hashable], cell: Callable[[Hashable], Cell]) -> Hashable:
    return min(keys, key=lambda k: (cell(k).high, cell(k).low, abs(cell(k).value), repr(k)))


# --- tables protected from the top down ----------------------------------------------
#
# Every table of the system (the registry's household counts and needs, the rollups'
# figures, the dashboard's household cells) is protected the same way: a parent area
# and its children, with the parent's cells as the table above decided them.

G = TypeVar("G", bound=Hashable)  # a group of cells: an area, or an area and a period
T = TypeVar("T")


def protect_below(
    parent: str,
    cells: Mapping[Any, Cell],
    relations: Sequence[Relation],
    *,
    above: Mapping[G, frozenset[str]] | None,
    split: Callable[[Any], tuple[G, str]],
    frozen: Mapping[Any, bool] | None = None,
) -> dict[G, frozenset[str]]:
    """``protect`` for the table of ``parent`` and its children (the cells whose key
    starts with the area's code), the parent's own cells frozen as the table above
    (``above``: hidden names by group; ``None`` at the top) decided them, and ``frozen``
    besides (it wins). The hidden cells' names by group (``split``)."""
    fixed: dict[Any, bool] = {}
    if above is not None:
        for key in cells:
            if key[0] == parent:
                group, name = split(key)
                fixed[key] = name in above.get(group, ())
    fixed.update(frozen or {})
    by_group: dict[G, set[str]] = {}
    for key in protect(cells, relations, frozen=fixed):
        group, name = split(key)
        by_group.setdefault(group, set()).add(name)
    return {group: frozenset(names) for group, names in by_group.items()}


def kept(memo: dict[Any, Any], token: Hashable, shared_key: Callable[[], str], compute: Callable[[], T]) -> T:
    """A protected table from the request's ``memo``, else kept under ``shared_key()``
    (its data's version in it: read only on a miss of the memo) in this process's memory
    or the table every process shares (``core.cache``), else computed and kept in all."""
    if token in memo:
        return memo[token]
    found = kept_in_both(shared_key(), compute)
    memo[token] = found
    return found
