"""Allocate programmes' budgets to community plan items (plan-template.md, "Matching").

Pure Python and HiGHS: no Django here, so the model can be tested and benchmarked alone.

The problem
    Items ask for money (``cost``, in baht) and serve ``households``. Programmes hold a
    ``budget`` and pay at most ``max_share`` (a fraction, 0 < s <= 1) of any one item.
    The caller says which (item, programme) pairs are *eligible*. An item is funded whole —
    its programmes' amounts add up to its cost exactly — or not at all. People may *lock*
    a pair (the item must be funded and that programme must pay it: exactly the lock's
    amount, or at least 1 baht when no amount is given) and *exclude* a pair (that
    programme pays nothing of that item).

The model (a mixed-integer programme, solved by HiGHS)
    y_i in {0, 1}  item i is funded (one per item that some usable pair could fund);
    x_ip >= 0      baht programme p pays of item i (one per eligible, not excluded pair).

    maximise   sum_i y_i * w_i
    subject to sum_p x_ip - cost_i * y_i = 0          (whole or nothing)
               x_ip - cap_ip * y_i <= 0               (share cap; x_ip only if funded)
               sum_i x_ip <= budget_p                 (budget; left out when the
                                                       programme's caps cannot reach it)
               0 <= x_ip <= cap_ip,  cap_ip = min(floor(share_p * cost_i to the satang),
                                                  budget_p[, the caller's pair cap])
    Locks fix y_i = 1 and bound x_ip to [amount, amount] or [1 baht, cap_ip].

The tie-break
    Among allocations serving the most households, the one funding the most items. It is
    exact, with integer weights: w_i = households_i * (N + 1) + 1 where N is the number
    of items, so all N items together (at most N) never outweigh one household.
    :data:`TIE_BREAK` states it in words; every :class:`MatchResult` carries it.

The greedy baseline (also the warm start and the fallback)
    Locked items first — their amounts decided exactly by a max-flow in integer satang,
    since a lock is a promise — then the others by households (most first), cost (least
    first) and id. An item is funded if its usable programmes' remaining budgets, each
    capped at the pair's cap, cover its cost; it takes from the programmes with the most
    remaining budget first.

The rounding
    Everything is checked in integer satang. The solver's baht are floats: for each funded
    item each pair's amount is floored to the satang (clamped to its lock and cap, and to
    the programme's budget), then the item's missing satang go to pairs that still have
    room under their cap and their programme's remaining budget, the roomiest first, so
    the amounts sum to the cost exactly and never exceed a cap or a budget. Should that
    still leave an item short (every pair of it full, the satang wanted elsewhere), the
    missing satang are routed exactly by a max-flow started from the rounded amounts. The result is then verified by :func:`check`; if it breaks any rule, or
    HiGHS fails or finds nothing, the greedy allocation is returned (status "fallback").

Locks that cannot all hold are found before HiGHS runs (the locked items alone, their
feasibility decided exactly by a max-flow), reduced to a minimal conflicting set, and
reported with status "infeasible" and no allocation.
"""

from __future__ import annotations

import math
import os
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from importlib.metadata import version as package_version

import highspy
import numpy as np

TIE_BREAK = (
    "most households served; among equal households, the most items funded "
    "(weights households*(N+1)+1, N = number of items)"
)
ONE_BAHT = 100  # satang: the least a lock without an amount must pay

_SOLVE_LOCK = threading.Lock()  # HiGHS's thread scheduler is process-wide: one solve at a time
_scheduler_threads: int | None = None

Pair = tuple[int, int]  # (item, programme)
_banner_silenced = False


def _highs() -> highspy.Highs:
    """A new HiGHS instance, without the banner the first one prints.

    HiGHS writes its copyright banner straight to file descriptor 1 when the first
    instance of a process is made, before ``output_flag`` can be set; that would break
    ``chumchon match --json``. The first construction runs with fd 1 pointed at
    /dev/null (and Python's stdout flushed before and after), the later ones as they are.
    """
    global _banner_silenced
    if _banner_silenced:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            try:
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)
    _banner_silenced = True
    return h


@dataclass(frozen=True)
class ItemDemand:
    id: int
    cost: Decimal
    households: int


@dataclass(frozen=True)
class ProgrammeSupply:
    id: int
    budget: Decimal
    max_share: Decimal  # a fraction, e.g. Decimal("0.5")


@dataclass(frozen=True)
class Lock:
    item: int
    programme: int
    amount: Decimal | None = None


@dataclass(frozen=True)
class Allocation:
    item: int
    programme: int
    amount: Decimal


@dataclass(frozen=True)
class MatchResult:
    status: str  # "optimal" | "feasible" | "fallback" | "infeasible"
    solver: str
    objective_households: int
    items_funded: int
    gap: float  # relative MIP gap; NaN when no bound is known
    seconds: float
    greedy_households: int
    allocations: tuple[Allocation, ...]
    unfunded: tuple[int, ...]
    tie_break: str
    message: str
    conflicting_locks: tuple[Lock, ...] = ()  # status "infeasible": a smallest set of locks that cannot all hold


class InfeasibleLocks(ValueError):
    """The locks cannot all hold. ``locks`` is a minimal conflicting set."""

    def __init__(self, message: str, locks: tuple[Lock, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.locks = locks


# --- integer satang -------------------------------------------------------------------


def _satang_exact(value: Decimal, what: str) -> int:
    scaled = Decimal(value) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{what} {value} is not a whole number of satang")
    return int(scaled)


def _satang_floor(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_value(rounding=ROUND_DOWN))


def _share_cap(share: Decimal, cost_satang: int) -> int:
    """floor(share * cost) to the satang."""
    return int((Decimal(share) * cost_satang).to_integral_value(rounding=ROUND_DOWN))


def _baht(satang: int) -> Decimal:
    return (Decimal(satang) / 100).quantize(Decimal("0.01"))


def _weight(households: int, n_items: int) -> int:
    return households * (n_items + 1) + 1


def _lock_text(lock: Lock) -> str:
    amount = "at least 1.00 baht" if lock.amount is None else f"{lock.amount:,.2f} baht"
    return f"item {lock.item} ← programme {lock.programme} ({amount})"


# --- max-flow (Dinic) on integers -----------------------------------------------------


class _Flow:
    def __init__(self, n: int) -> None:
        self.n = n
        self.head: list[list[int]] = [[] for _ in range(n)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def add(self, u: int, v: int, capacity: int) -> int:
        edge = len(self.to)
        self.to += [v, u]
        self.cap += [capacity, 0]
        self.head[u].append(edge)
        self.head[v].append(edge + 1)
        return edge

    def push(self, edge: int, amount: int) -> None:
        """Start ``edge`` with ``amount`` of flow already on it."""
        self.cap[edge] -= amount
        self.cap[edge ^ 1] += amount

    def flow_on(self, edge: int) -> int:
        return self.cap[edge ^ 1]

    def run(self, s: int, t: int) -> int:
        total = 0
        while True:
            level = [-1] * self.n
            level[s] = 0
            queue = deque([s])
            while queue:
                u = queue.popleft()
                for e in self.head[u]:
                    v = self.to[e]
                    if self.cap[e] > 0 and level[v] < 0:
                        level[v] = level[u] + 1
                        queue.append(v)
            if level[t] < 0:
                return total
            pointer = [0] * self.n
            while pushed := self._augment(s, t, level, pointer):
                total += pushed

    def _augment(self, s: int, t: int, level: list[int], pointer: list[int]) -> int:
        path: list[int] = []
        u = s
        while True:
            if u == t:
                pushed = min(self.cap[e] for e in path)
                for e in path:
                    self.cap[e] -= pushed
                    self.cap[e ^ 1] += pushed
                return pushed
            edges = self.head[u]
            while pointer[u] < len(edges):
                e = edges[pointer[u]]
                if self.cap[e] > 0 and level[self.to[e]] == level[u] + 1:
                    break
                pointer[u] += 1
            if pointer[u] < len(edges):
                e = edges[pointer[u]]
                path.append(e)
                u = self.to[e]
                continue
            if u == s:
                return 0
            level[u] = -1  # a dead end in this phase
            e = path.pop()
            u = self.to[e ^ 1]
            pointer[u] += 1


# --- the problem in satang ------------------------------------------------------------


@dataclass
class _Problem:
    item_ids: list[int]  # in the caller's order
    cost: dict[int, int]
    households: dict[int, int]
    budget: dict[int, int]
    cap: dict[Pair, int]  # usable pairs (eligible, not excluded, cap > 0)
    by_item: dict[int, list[int]]  # item: its usable programmes, by id
    bounds: dict[Pair, tuple[int, int]]  # locked pairs: [low, high] satang
    locks: dict[Pair, list[Lock]]  # locked pairs: the caller's locks
    lock_errors: list[tuple[str, Lock]] = field(default_factory=list)

    @property
    def locked_items(self) -> list[int]:
        return sorted({i for i, _ in self.bounds})

    def low(self, pair: Pair) -> int:
        return self.bounds[pair][0] if pair in self.bounds else 0

    def high(self, pair: Pair) -> int:
        return self.bounds[pair][1] if pair in self.bounds else self.cap[pair]


def _prepare(
    items: Iterable[ItemDemand],
    programmes: Iterable[ProgrammeSupply],
    eligible: Iterable[Pair],
    locks: Iterable[Lock],
    excludes: Iterable[Pair],
    caps: Mapping[Pair, Decimal] | None,
) -> _Problem:
    items, programmes = list(items), list(programmes)
    cost: dict[int, int] = {}
    households: dict[int, int] = {}
    for item in items:
        if item.id in cost:
            raise ValueError(f"item {item.id} is given twice")
        if item.households < 0:
            raise ValueError(f"item {item.id} has negative households")
        cost[item.id] = _satang_exact(item.cost, f"item {item.id}'s cost")
        households[item.id] = item.households
    budget: dict[int, int] = {}
    share: dict[int, Decimal] = {}
    for programme in programmes:
        if programme.id in budget:
            raise ValueError(f"programme {programme.id} is given twice")
        if not Decimal(0) < programme.max_share <= Decimal(1):
            raise ValueError(f"programme {programme.id}'s max_share {programme.max_share} is not in (0, 1]")
        budget[programme.id] = max(0, _satang_floor(programme.budget))
        share[programme.id] = programme.max_share
    excluded = set(excludes)
    eligible_pairs = set(eligible)
    cap: dict[Pair, int] = {}
    for i, p in sorted(eligible_pairs):
        if (i, p) in excluded or i not in cost or p not in budget or cost[i] <= 0:
            continue
        c = min(_share_cap(share[p], cost[i]), budget[p])
        if caps is not None and (i, p) in caps:
            c = min(c, _satang_floor(caps[(i, p)]))
        if c > 0:
            cap[(i, p)] = c
    by_item: dict[int, list[int]] = {}
    for i, p in cap:
        by_item.setdefault(i, []).append(p)
    problem = _Problem([it.id for it in items], cost, households, budget, cap, by_item, {}, {})
    for lock in locks:
        pair = (lock.item, lock.programme)
        if lock.item not in cost:
            problem.lock_errors.append((f"{_lock_text(lock)}: there is no such item", lock))
            continue
        if lock.programme not in budget:
            problem.lock_errors.append((f"{_lock_text(lock)}: there is no such programme", lock))
            continue
        if pair in excluded:
            problem.lock_errors.append((f"{_lock_text(lock)}: the same pair is excluded", lock))
            continue
        if pair not in eligible_pairs:
            problem.lock_errors.append((f"{_lock_text(lock)}: the programme may not pay for this item", lock))
            continue
        high = cap.get(pair, 0)
        if lock.amount is None:
            low = ONE_BAHT
        else:
            try:
                low = high_amount = _satang_exact(lock.amount, "the lock's amount")
            except ValueError:
                problem.lock_errors.append((f"{_lock_text(lock)}: the amount is not a whole number of satang", lock))
                continue
            if low <= 0:
                problem.lock_errors.append((f"{_lock_text(lock)}: the amount must be more than 0", lock))
                continue
            high = min(high, high_amount)
        if low > high:
            problem.lock_errors.append(
                (f"{_lock_text(lock)}: the programme can pay at most {_baht(cap.get(pair, 0)):,.2f} baht of it", lock)
            )
            continue
        old_low, old_high = problem.bounds.get(pair, (0, cap[pair]))
        problem.bounds[pair] = (max(old_low, low), min(old_high, high))
        problem.locks.setdefault(pair, []).append(lock)
    return problem


def _exact_amounts(
    problem: _Problem, funded: Iterable[int], start: Mapping[Pair, int] | None = None
) -> dict[Pair, int] | None:
    """Amounts (satang) funding every item in ``funded`` whole under every cap, budget and
    lock bound, or None when there are none. Exact: a max-flow, started from ``start``
    (an allocation within the bounds, perhaps short of some costs) when it is given, so
    only the missing satang are routed and the rest of ``start`` mostly stays."""
    funded = sorted(set(funded))
    remaining = dict(problem.budget)
    need: dict[int, int] = {}
    base: dict[Pair, int] = {}
    for i in funded:
        need[i] = problem.cost[i]
        for p in problem.by_item.get(i, []):
            low = problem.low((i, p))
            if low:
                base[(i, p)] = low
                need[i] -= low
                remaining[p] -= low
    if any(v < 0 for v in need.values()) or any(v < 0 for v in remaining.values()):
        return None
    initial: dict[Pair, int] = {}
    if start:
        initial = {
            (i, p): start.get((i, p), 0) - problem.low((i, p)) for i in funded for p in problem.by_item.get(i, [])
        }
        out: dict[int, int] = {}
        into: dict[int, int] = {}
        for (i, p), f in initial.items():
            out[p] = out.get(p, 0) + f
            into[i] = into.get(i, 0) + f
        if (
            any(f < 0 or f > problem.high(pair) - problem.low(pair) for pair, f in initial.items())
            or any(f > remaining[p] for p, f in out.items())
            or any(f > need[i] for i, f in into.items())
        ):
            initial = {}  # not within the bounds: start from nothing
    programmes = sorted({p for i in funded for p in problem.by_item.get(i, [])})
    node = {p: 1 + k for k, p in enumerate(programmes)}
    first_item = 1 + len(programmes)
    sink = first_item + len(funded)
    graph = _Flow(sink + 1)
    source_edges = {p: graph.add(0, node[p], remaining[p]) for p in programmes}
    edges: dict[Pair, int] = {}
    for k, i in enumerate(funded):
        into_i = 0
        for p in problem.by_item.get(i, []):
            room = problem.high((i, p)) - problem.low((i, p))
            if room > 0:
                edges[(i, p)] = graph.add(node[p], first_item + k, room)
                f = initial.get((i, p), 0)
                graph.push(edges[(i, p)], f)
                graph.push(source_edges[p], f)
                into_i += f
        graph.push(graph.add(first_item + k, sink, need[i]), into_i)
    if sum(initial.values()) + graph.run(0, sink) != sum(need.values()):
        return None
    amounts = dict(base)
    for pair, edge in edges.items():
        amounts[pair] = amounts.get(pair, 0) + graph.flow_on(edge)
    return {pair: a for pair, a in amounts.items() if a > 0}


def _raise_if_locks_fail(problem: _Problem) -> dict[Pair, int]:
    """The locked items' exact amounts, or :class:`InfeasibleLocks` naming a minimal set."""
    if problem.lock_errors:
        message = "These locks cannot hold: " + "; ".join(text for text, _ in problem.lock_errors) + "."
        raise InfeasibleLocks(message, tuple(lock for _, lock in problem.lock_errors))
    amounts = _exact_amounts(problem, problem.locked_items)
    if amounts is not None:
        return amounts
    # A deletion filter: drop each locked pair whose absence keeps the rest infeasible.
    keep = sorted(problem.bounds)
    full = problem.bounds
    for pair in list(keep):
        trial = [q for q in keep if q != pair]
        problem.bounds = {q: full[q] for q in trial}
        if _exact_amounts(problem, problem.locked_items) is None:
            keep = trial
    problem.bounds = full
    conflict = tuple(lock for pair in keep for lock in problem.locks[pair])
    if len({i for i, _ in keep}) == 1 and len(keep) == 1:
        i = keep[0][0]
        reach = sum(problem.cap[(i, p)] for p in problem.by_item.get(i, []))
        why = (
            f"item {i} costs {_baht(problem.cost[i]):,.2f} baht and its programmes can pay at most {_baht(reach):,.2f}"
        )
        if reach >= problem.cost[i]:
            why = f"item {i} cannot be funded whole with this lock"
        message = f"The lock {_lock_text(conflict[0])} cannot hold: {why}."
    else:
        message = (
            "These locks cannot all hold together (the budgets, shares or items' costs do not allow it): "
            + "; ".join(_lock_text(lock) for lock in conflict)
            + "."
        )
    raise InfeasibleLocks(message, conflict)


def _greedy_satang(problem: _Problem) -> dict[Pair, int]:
    amounts = _raise_if_locks_fail(problem)
    used: dict[int, int] = {}
    for (_, p), a in amounts.items():
        used[p] = used.get(p, 0) + a
    locked = set(problem.locked_items)
    order = sorted(
        (i for i in problem.item_ids if i in problem.by_item and i not in locked),
        key=lambda i: (-problem.households[i], problem.cost[i], i),
    )
    for i in order:
        room = {p: min(problem.cap[(i, p)], problem.budget[p] - used.get(p, 0)) for p in problem.by_item[i]}
        if sum(r for r in room.values() if r > 0) < problem.cost[i]:
            continue
        need = problem.cost[i]
        for p in sorted(room, key=lambda p: (-(problem.budget[p] - used.get(p, 0)), p)):
            take = min(room[p], need)
            if take > 0:
                amounts[(i, p)] = take
                used[p] = used.get(p, 0) + take
                need -= take
            if need == 0:
                break
    return amounts


def _to_allocations(amounts: Mapping[Pair, int]) -> list[Allocation]:
    return [Allocation(i, p, _baht(a)) for (i, p), a in sorted(amounts.items()) if a > 0]


# --- public API -----------------------------------------------------------------------


def greedy(
    items: Iterable[ItemDemand],
    programmes: Iterable[ProgrammeSupply],
    eligible: Iterable[Pair],
    *,
    locks: Iterable[Lock] = (),
    excludes: Iterable[Pair] = (),
    caps: Mapping[Pair, Decimal] | None = None,
) -> list[Allocation]:
    """The greedy allocation (see the module's docstring). Raises :class:`InfeasibleLocks`.

    ``caps`` optionally lowers a pair's most (baht) below its share of the cost."""
    return _to_allocations(_greedy_satang(_prepare(items, programmes, eligible, locks, excludes, caps)))


def check(
    items: Iterable[ItemDemand],
    programmes: Iterable[ProgrammeSupply],
    eligible: Iterable[Pair],
    allocations: Iterable[Allocation],
    *,
    locks: Iterable[Lock] = (),
    excludes: Iterable[Pair] = (),
    caps: Mapping[Pair, Decimal] | None = None,
) -> list[str]:
    """Every rule ``allocations`` breaks, one message each; [] when it is valid.

    Independent of the optimiser: it reads the rules from the inputs, in integer satang."""
    cost = {it.id: it.cost for it in items}
    supply = {p.id: p for p in programmes}
    eligible_pairs, excluded = set(eligible), set(excludes)
    problems: list[str] = []
    paid: dict[Pair, int] = {}
    for a in allocations:
        pair = (a.item, a.programme)
        where = f"item {a.item} ← programme {a.programme}"
        if a.item not in cost or a.programme not in supply:
            problems.append(f"{where}: unknown item or programme")
            continue
        scaled = a.amount * 100
        if scaled != scaled.to_integral_value():
            problems.append(f"{where}: {a.amount} is not a whole number of satang")
        amount = int(scaled.to_integral_value(rounding=ROUND_DOWN))
        if amount <= 0:
            problems.append(f"{where}: the amount {a.amount} is not positive")
        if pair in paid:
            problems.append(f"{where}: the pair is allocated twice")
        paid[pair] = paid.get(pair, 0) + amount
        if pair not in eligible_pairs:
            problems.append(f"{where}: the programme may not pay for this item")
        if pair in excluded:
            problems.append(f"{where}: the pair is excluded")
        share_cap = _share_cap(supply[a.programme].max_share, _satang_floor(cost[a.item]))
        if paid[pair] > share_cap:
            problems.append(f"{where}: pays {_baht(paid[pair]):,.2f}, above its share cap {_baht(share_cap):,.2f}")
        if caps is not None and pair in caps and paid[pair] > _satang_floor(caps[pair]):
            problems.append(f"{where}: pays {_baht(paid[pair]):,.2f}, above the pair's cap {caps[pair]:,.2f}")
    spent: dict[int, int] = {}
    received: dict[int, int] = {}
    for (i, p), amount in paid.items():
        spent[p] = spent.get(p, 0) + amount
        received[i] = received.get(i, 0) + amount
    for p, total in sorted(spent.items()):
        if total > _satang_floor(supply[p].budget):
            problems.append(f"programme {p}: pays {_baht(total):,.2f} in all, above its budget {supply[p].budget:,.2f}")
    for i, total in sorted(received.items()):
        if total != _satang_floor(cost[i]):
            problems.append(f"item {i}: receives {_baht(total):,.2f}, not its cost {cost[i]:,.2f} (whole or nothing)")
    for lock in locks:
        pair = (lock.item, lock.programme)
        if lock.item not in cost or received.get(lock.item, 0) != _satang_floor(cost[lock.item]):
            problems.append(f"lock {_lock_text(lock)}: the item is not funded")
        got = paid.get(pair, 0)
        if lock.amount is None and got < ONE_BAHT:
            problems.append(f"lock {_lock_text(lock)}: the programme pays {_baht(got):,.2f}")
        if lock.amount is not None and got != _satang_floor(lock.amount):
            problems.append(f"lock {_lock_text(lock)}: the programme pays {_baht(got):,.2f}")
    return problems


def allocate(
    items: Iterable[ItemDemand],
    programmes: Iterable[ProgrammeSupply],
    eligible: Iterable[Pair],
    *,
    locks: Iterable[Lock] = (),
    excludes: Iterable[Pair] = (),
    caps: Mapping[Pair, Decimal] | None = None,
    gap: float = 0.01,
    time_limit: float = 30.0,
    threads: int = 2,
) -> MatchResult:
    """Allocate the programmes' budgets to the items, maximising the households served
    (tie-break: :data:`TIE_BREAK`), by HiGHS to the relative ``gap`` within ``time_limit``
    seconds, falling back to the greedy allocation; see the module's docstring."""
    started = time.perf_counter()
    items, programmes, eligible = list(items), list(programmes), list(eligible)
    locks, excludes = list(locks), list(excludes)
    problem = _prepare(items, programmes, eligible, locks, excludes, caps)
    n = len(problem.item_ids)
    solver = f"HiGHS {package_version('highspy')}"

    def result(status: str, amounts: Mapping[Pair, int], greedy_hh: int, gap_: float, message: str) -> MatchResult:
        funded = sorted({i for (i, _), a in amounts.items() if a > 0})
        return MatchResult(
            status=status,
            solver="greedy" if status == "fallback" else solver,
            objective_households=sum(problem.households[i] for i in funded),
            items_funded=len(funded),
            gap=gap_,
            seconds=time.perf_counter() - started,
            greedy_households=greedy_hh,
            allocations=tuple(_to_allocations(amounts)),
            unfunded=tuple(sorted(set(problem.item_ids) - set(funded))),
            tie_break=TIE_BREAK,
            message=message,
        )

    try:
        greedy_amounts = _greedy_satang(problem)
    except InfeasibleLocks as exc:
        return MatchResult(
            status="infeasible",
            solver="max-flow lock check",
            objective_households=0,
            items_funded=0,
            gap=math.nan,
            seconds=time.perf_counter() - started,
            greedy_households=0,
            allocations=(),
            unfunded=tuple(sorted(problem.item_ids)),
            tie_break=TIE_BREAK,
            message=exc.message,
            conflicting_locks=exc.locks,
        )
    greedy_funded = {i for i, _ in greedy_amounts}
    greedy_hh = sum(problem.households[i] for i in greedy_funded)
    greedy_obj = sum(_weight(problem.households[i], n) for i in greedy_funded)

    def fallback(why: str, bound: float = math.nan) -> MatchResult:
        gap_ = (bound - greedy_obj) / abs(bound) if math.isfinite(bound) and bound > 0 else math.nan
        if math.isfinite(gap_):
            gap_ = max(0.0, gap_)
        return result("fallback", greedy_amounts, greedy_hh, gap_, f"{why}; the greedy allocation is used instead.")

    model = _Model(problem, n)
    if not model.items:
        return result("optimal", {}, greedy_hh, 0.0, "No item can be funded by its eligible programmes.")
    try:
        outcome = model.solve(greedy_amounts, gap=gap, time_limit=time_limit, threads=threads)
    # HiGHS is a C++ extension whose failures arrive as assorted exception types; any of
    # them means "use the greedy allocation", and the message says what happened.
    except Exception as exc:
        return fallback(f"HiGHS failed ({type(exc).__name__}: {exc})")
    if outcome.values is None:
        return fallback(f"HiGHS found no allocation (model status: {outcome.status_text})", outcome.bound)
    amounts = model.rounded(outcome.values)
    if check(items, programmes, eligible, _to_allocations(amounts), locks=locks, excludes=excludes, caps=caps):
        # Some item is still a satang or so short: route the missing satang exactly.
        repaired = _exact_amounts(problem, {i for i, _ in amounts}, start=amounts)
        if repaired is None:
            return fallback("HiGHS's allocation broke a rule once rounded to the satang", outcome.bound)
        amounts = repaired
        problems = check(
            items, programmes, eligible, _to_allocations(amounts), locks=locks, excludes=excludes, caps=caps
        )
        if problems:  # pragma: no cover - the max-flow honours every rule by construction
            return fallback(f"HiGHS's allocation broke a rule once rounded: {problems[0]}", outcome.bound)
    objective = sum(_weight(problem.households[i], n) for i in {i for i, _ in amounts})
    if objective < greedy_obj:
        return fallback("HiGHS's allocation serves fewer households than the greedy one", outcome.bound)
    mip_gap = outcome.gap
    if math.isfinite(outcome.bound) and outcome.bound > 0:
        mip_gap = max(0.0, (outcome.bound - objective) / abs(outcome.bound))
    if outcome.optimal or mip_gap <= gap:
        status = "optimal"
        message = f"HiGHS found an allocation within {gap:.2%} of the best possible."
    else:
        status = "feasible"
        message = (
            f"HiGHS stopped at the {time_limit:g} s time limit with an allocation within {mip_gap:.2%} "
            f"of the best possible, above the {gap:.2%} target."
        )
    return result(status, amounts, greedy_hh, mip_gap, message)


# --- the MIP --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    values: np.ndarray | None  # column values, None when HiGHS has no feasible solution
    optimal: bool
    gap: float
    bound: float  # the dual bound on the weighted objective, NaN when unknown
    status_text: str


class _Model:
    """Columns: y for every fundable item, then x (baht) for every usable pair."""

    def __init__(self, problem: _Problem, n_items: int) -> None:
        self.problem = problem
        locked = set(problem.locked_items)
        self.items = [
            i
            for i in problem.item_ids
            if i in locked or sum(problem.cap[(i, p)] for p in problem.by_item.get(i, [])) >= problem.cost[i]
        ]
        self.y = {i: k for k, i in enumerate(self.items)}
        self.pairs = [(i, p) for i in self.items for p in problem.by_item[i]]
        self.x = {pair: len(self.items) + k for k, pair in enumerate(self.pairs)}
        self.weights = [float(_weight(problem.households[i], n_items)) for i in self.items]

    def solve(self, start: Mapping[Pair, int], *, gap: float, time_limit: float, threads: int) -> _Outcome:
        global _scheduler_threads
        problem, n_y, n_x = self.problem, len(self.items), len(self.pairs)
        n_col = n_y + n_x
        lower = np.zeros(n_col)
        upper = np.ones(n_col)
        for i in problem.locked_items:
            lower[self.y[i]] = 1.0
        for pair, col in self.x.items():
            lower[col] = problem.low(pair) / 100
            upper[col] = problem.high(pair) / 100
        cost = np.zeros(n_col)
        cost[:n_y] = self.weights
        # Rows, in CSR: the items' whole-or-nothing rows, the pairs' links, the budgets.
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        row_lower: list[float] = []
        row_upper: list[float] = []

        def row(cols: list[int], coefs: list[float], lo: float, hi: float) -> None:
            starts.append(len(index))
            index.extend(cols)
            value.extend(coefs)
            row_lower.append(lo)
            row_upper.append(hi)

        for i in self.items:
            ps = problem.by_item[i]
            row([self.y[i]] + [self.x[(i, p)] for p in ps], [-problem.cost[i] / 100] + [1.0] * len(ps), 0.0, 0.0)
        for i, p in self.pairs:
            row([self.x[(i, p)], self.y[i]], [1.0, -problem.high((i, p)) / 100], -math.inf, 0.0)
        by_programme: dict[int, list[Pair]] = {}
        for pair in self.pairs:
            by_programme.setdefault(pair[1], []).append(pair)
        for p, pairs in sorted(by_programme.items()):
            if sum(problem.high(pair) for pair in pairs) > problem.budget[p]:
                row([self.x[pair] for pair in pairs], [1.0] * len(pairs), -math.inf, problem.budget[p] / 100)

        with _SOLVE_LOCK:
            h = _highs()
            h.setOptionValue("output_flag", False)
            h.setOptionValue("mip_rel_gap", float(gap))
            h.setOptionValue("mip_abs_gap", 0.999)  # the weights are integers: within 1 is optimal
            h.setOptionValue("time_limit", float(time_limit))
            h.setOptionValue("threads", int(threads))
            h.setOptionValue("random_seed", 20240601)
            if _scheduler_threads is not None and _scheduler_threads != threads:
                highspy.Highs.resetGlobalScheduler(True)
            _scheduler_threads = threads
            h.addVars(n_col, lower, upper)
            h.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), cost)
            h.changeColsIntegrality(
                n_y, np.arange(n_y, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n_y)
            )
            h.addRows(
                len(starts),
                np.array(row_lower),
                np.array(row_upper),
                len(index),
                np.array(starts, dtype=np.int32),
                np.array(index, dtype=np.int32),
                np.array(value),
            )
            h.changeObjectiveSense(highspy.ObjSense.kMaximize)
            warm = np.zeros(n_col)
            for (i, p), a in start.items():
                if i in self.y:
                    warm[self.y[i]] = 1.0
                    warm[self.x[(i, p)]] = a / 100
            solution = highspy.HighsSolution()
            solution.col_value = warm.tolist()
            solution.value_valid = True
            h.setSolution(solution)
            run_status = h.run()
            status = h.getModelStatus()
            info = h.getInfo()
            status_text = h.modelStatusToString(status)
            has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
            values = np.array(h.getSolution().col_value) if has_solution else None
        bound = float(info.mip_dual_bound)
        usable = run_status != highspy.HighsStatus.kError and status in {
            highspy.HighsModelStatus.kOptimal,
            highspy.HighsModelStatus.kTimeLimit,
            highspy.HighsModelStatus.kIterationLimit,
            highspy.HighsModelStatus.kSolutionLimit,
            highspy.HighsModelStatus.kInterrupt,
            highspy.HighsModelStatus.kMemoryLimit,
        }
        return _Outcome(
            values=values if usable else None,
            optimal=status == highspy.HighsModelStatus.kOptimal,
            gap=float(info.mip_gap),
            bound=bound if math.isfinite(bound) else math.nan,
            status_text=status_text,
        )

    def rounded(self, values: np.ndarray) -> dict[Pair, int]:
        """The solver's baht as satang: floor, then the residual to pairs with room."""
        problem = self.problem
        funded = [i for i in self.items if values[self.y[i]] > 0.5]
        amounts: dict[Pair, int] = {}
        used: dict[int, int] = {}
        for i in funded:
            for p in problem.by_item[i]:
                pair = (i, p)
                a = math.floor(float(values[self.x[pair]]) * 100 + 1e-6)
                a = max(problem.low(pair), min(a, problem.high(pair)))
                amounts[pair] = a
                used[p] = used.get(p, 0) + a
        for p, total in used.items():  # float tolerance may overspend a budget by a satang or so
            excess = total - problem.budget[p]
            for pair in sorted((q for q in amounts if q[1] == p), key=lambda q: -amounts[q]) if excess > 0 else []:
                cut = min(excess, amounts[pair] - problem.low(pair))
                amounts[pair] -= cut
                used[p] -= cut
                excess -= cut
                if excess == 0:
                    break
        for i in funded:
            short = problem.cost[i] - sum(amounts[(i, p)] for p in problem.by_item[i])
            if short <= 0:
                continue

            def room(p: int, i: int = i) -> int:
                return min(problem.high((i, p)) - amounts[(i, p)], problem.budget[p] - used.get(p, 0))

            for p in sorted(problem.by_item[i], key=lambda p: (amounts[(i, p)] == 0, -room(p), p)):
                give = min(short, max(0, room(p)))
                amounts[(i, p)] += give
                used[p] += give
                short -= give
                if short == 0:
                    break
        return {pair: a for pair, a in amounts.items() if a > 0}


# --- generated cases (for tests and ``chumchon bench``) -------------------------------


def generated_case(
    seed: int, n_items: int, n_programmes: int, eligible_share: float = 0.3
) -> tuple[list[ItemDemand], list[ProgrammeSupply], list[Pair]]:
    """A reproducible synthetic case: items of 20,000–5,000,000 baht serving 1–400
    households; programmes paying 30–100 % of an item, with budgets that together reach
    about 40 % of what is asked, so co-funding and choices are both needed; each pair
    eligible with probability ``eligible_share``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    items = [ItemDemand(k + 1, _baht(rng.randint(2_000_000, 500_000_000)), rng.randint(1, 400)) for k in range(n_items)]
    shares = [Decimal("0.3"), Decimal("0.5"), Decimal("0.7"), Decimal("0.9"), Decimal("1")]
    total = sum(_satang_exact(it.cost, "cost") for it in items)
    programmes = [
        ProgrammeSupply(1000 + k, _baht(int(total * 0.4 / n_programmes * rng.uniform(0.5, 1.5))), rng.choice(shares))
        for k in range(n_programmes)
    ]
    eligible = [(it.id, pr.id) for it in items for pr in programmes if rng.random() < eligible_share]
    return items, programmes, eligible
