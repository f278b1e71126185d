"""The optimiser against an independent optimum, and its rules one by one. No database.

The independent optimum tries the subsets of items, best weight first; a subset is
feasible when a max-flow written here (source → programme: its budget, programme → item:
floor(share × cost), item → sink: its cost, all in integer satang) carries every item's
whole cost."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import deque
from decimal import ROUND_DOWN, Decimal

import pytest

from chumchon.matching import optimiser as o
from chumchon.matching.optimiser import Allocation, ItemDemand, Lock, ProgrammeSupply

D = Decimal
THIRD = D(1) / 3


# --- the independent optimum ----------------------------------------------------------


def satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_DOWN))


def max_flow(capacity: dict[tuple[str, str], int], source: str, sink: str) -> int:
    """Edmonds–Karp on a dict of edge capacities."""
    residual: dict[str, dict[str, int]] = {}
    for (a, b), c in capacity.items():
        residual.setdefault(a, {}).setdefault(b, 0)
        residual[a][b] += c
        residual.setdefault(b, {}).setdefault(a, 0)
    if source not in residual or sink not in residual:
        return 0
    total = 0
    while True:
        parent = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, c in residual[node].items():
                if c > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return total
        path = []
        node = sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= push
            residual[b][a] += push
        total += push


def weight(items: list[ItemDemand], funded: set[int]) -> int:
    n = len(items)
    return sum(it.households * (n + 1) + 1 for it in items if it.id in funded)


def best_weight(items, programmes, eligible, excludes=()) -> int:
    """The best objective under the tie-break weights over every subset of items."""
    share = {p.id: p.max_share for p in programmes}
    pairs = [pair for pair in eligible if pair not in set(excludes)]
    subsets = [set(s) for size in range(len(items) + 1) for s in itertools.combinations([i.id for i in items], size)]
    subsets.sort(key=lambda s: -weight(items, s))
    cost = {i.id: satang(i.cost) for i in items}
    for subset in subsets:  # the first feasible one is the best
        capacity = {("s", f"p{p.id}"): satang(p.budget) for p in programmes}
        for i in subset:
            capacity[(f"i{i}", "t")] = cost[i]
        for i, p in pairs:
            if i in subset:
                capacity[(f"p{p}", f"i{i}")] = int((share[p] * cost[i]).to_integral_value(rounding=ROUND_DOWN))
        if max_flow(capacity, "s", "t") == sum(cost[i] for i in subset):
            return weight(items, subset)
    raise AssertionError("the empty subset is always feasible")


def random_case(rng: random.Random, cofund: bool):
    """1–9 items, 1–4 programmes; with ``cofund`` every share is below 1 and there are
    2–4 programmes with budgets, so every funded item needs two programmes or more."""
    shares = [THIRD, D("0.4"), D("0.5"), D("0.6"), D("0.75")] if cofund else [D("0.25"), THIRD, D("0.5"), D(1), D(1)]
    items = [
        ItemDemand(i, D(rng.randrange(1_000_00, 100_000_00)) / 100 + rng.choice([D(0), D("0.01")]), rng.randint(0, 40))
        for i in range(1, rng.randint(1, 9) + 1)
    ]
    budgets = [rng.randrange(10_000, 250_000, 500)] * 3 + ([] if cofund else [0])
    programmes = [
        ProgrammeSupply(10 + p, D(rng.choice(budgets)), rng.choice(shares))
        for p in range(rng.randint(2 if cofund else 1, 4))
    ]
    density = rng.choice([0.6, 0.9, 1.0] if cofund else [0.3, 0.6, 0.9])
    eligible = [(i.id, p.id) for i in items for p in programmes if rng.random() < density]
    excludes = [pair for pair in eligible if rng.random() < 0.15] if rng.random() < 0.3 else []
    return items, programmes, eligible, excludes


def funded_of(allocations) -> set[int]:
    return {a.item for a in allocations}


def test_generated_cases_reach_the_brute_force_optimum_and_break_no_rule():
    rng = random.Random(20261204)
    beaten = cofunded = 0
    for case in range(200):
        items, programmes, eligible, excludes = random_case(rng, cofund=case % 3 == 0)
        result = o.allocate(items, programmes, eligible, excludes=excludes, gap=0.0, time_limit=10)
        where = f"case {case}: {items} {programmes} {eligible} {excludes}"
        assert result.status == "optimal", (where, result.message)
        assert weight(items, funded_of(result.allocations)) == best_weight(items, programmes, eligible, excludes), where
        assert o.check(items, programmes, eligible, result.allocations, excludes=excludes) == [], where
        assert result.objective_households == sum(i.households for i in items if i.id in funded_of(result.allocations))
        assert result.items_funded == len(funded_of(result.allocations))
        assert set(result.unfunded) == {i.id for i in items} - funded_of(result.allocations)
        base = o.greedy(items, programmes, eligible, excludes=excludes)
        assert o.check(items, programmes, eligible, base, excludes=excludes) == [], where
        assert weight(items, funded_of(base)) <= weight(items, funded_of(result.allocations)), where
        assert result.greedy_households == sum(i.households for i in items if i.id in funded_of(base))
        beaten += weight(items, funded_of(base)) < weight(items, funded_of(result.allocations))
        cofunded += len(result.allocations) - result.items_funded
    assert beaten >= 5 and cofunded >= 100  # the cases are not all ones the greedy solves, nor single-payer


def test_co_funding_cases_really_needed_two_programmes():
    rng = random.Random(7)
    cofunded = 0
    for _ in range(30):
        items, programmes, eligible, excludes = random_case(rng, cofund=True)
        result = o.allocate(items, programmes, eligible, excludes=excludes, gap=0.0)
        for item in funded_of(result.allocations):
            assert len([a for a in result.allocations if a.item == item]) >= 2
            cofunded += 1
    assert cofunded > 10  # the generator does make such cases


# --- hand-written cases ---------------------------------------------------------------


def test_two_programmes_at_half_each_co_fund_an_item():
    items = [ItemDemand(1, D("1000.00"), 10)]
    programmes = [ProgrammeSupply(1, D(600), D("0.5")), ProgrammeSupply(2, D(600), D("0.5"))]
    result = o.allocate(items, programmes, [(1, 1), (1, 2)])
    assert result.status == "optimal"
    assert result.allocations == (Allocation(1, 1, D("500.00")), Allocation(1, 2, D("500.00")))
    assert (result.objective_households, result.items_funded, result.unfunded) == (10, 1, ())
    assert result.tie_break == o.TIE_BREAK and result.solver == "HiGHS 1.16.0"


def test_half_and_half_of_an_odd_satang_is_a_satang_short():
    items = [ItemDemand(1, D("100000.01"), 10)]
    programmes = [ProgrammeSupply(1, D(60_000), D("0.5")), ProgrammeSupply(2, D(60_000), D("0.5"))]
    result = o.allocate(items, programmes, [(1, 1), (1, 2)])
    assert (result.allocations, result.unfunded, result.objective_households) == ((), (1,), 0)
    assert o.greedy(items, programmes, [(1, 1), (1, 2)]) == []


def test_programmes_that_cannot_reach_the_cost_leave_the_item_unfunded():
    items = [ItemDemand(1, D(1000), 10), ItemDemand(2, D(100), 1)]
    programmes = [ProgrammeSupply(1, D(10**6), D("0.4")), ProgrammeSupply(2, D(500), D(1))]
    # Item 1: 40 % from programme 1 and at most 500 (the budget) from programme 2: 900 < 1000.
    result = o.allocate(items, programmes, [(1, 1), (1, 2), (2, 2)])
    assert result.allocations == (Allocation(2, 2, D(100)),) and result.unfunded == (1,)


def test_thirds_of_an_odd_cost_sum_to_it_exactly():
    items = [ItemDemand(1, D("100000.01"), 10)]
    three = [ProgrammeSupply(p, D(10**6), THIRD) for p in (1, 2, 3)]
    assert o.allocate(items, three, [(1, p) for p in (1, 2, 3)]).allocations == ()  # 3 × 33,333.33 < cost
    four = [*three, ProgrammeSupply(4, D(10**6), THIRD)]
    eligible = [(1, p) for p in (1, 2, 3, 4)]
    result = o.allocate(items, four, eligible)
    assert sum(a.amount for a in result.allocations) == D("100000.01")
    assert all(a.amount <= D("33333.33") and a.amount == a.amount.quantize(D("0.01")) for a in result.allocations)
    assert o.check(items, four, eligible, result.allocations) == []
    greedy = o.greedy(items, four, eligible)
    assert sum(a.amount for a in greedy) == D("100000.01") and o.check(items, four, eligible, greedy) == []


def test_budgets_exhausted_exactly():
    items = [ItemDemand(i, D("33333.33"), 3) for i in (1, 2, 3)]
    programmes = [ProgrammeSupply(1, D("99999.99"), D(1))]
    result = o.allocate(items, programmes, [(i, 1) for i in (1, 2, 3)])
    assert result.items_funded == 3 and sum(a.amount for a in result.allocations) == D("99999.99")
    # Co-funded: two programmes whose budgets together are the two items' costs to the satang.
    items = [ItemDemand(1, D("700.01"), 5), ItemDemand(2, D("299.99"), 5)]
    programmes = [ProgrammeSupply(1, D("600.00"), D("0.7")), ProgrammeSupply(2, D("400.00"), D("0.7"))]
    eligible = [(1, 1), (1, 2), (2, 1), (2, 2)]
    result = o.allocate(items, programmes, eligible, gap=0)
    assert result.items_funded == 2 and o.check(items, programmes, eligible, result.allocations) == []
    spent = {p: sum(a.amount for a in result.allocations if a.programme == p) for p in (1, 2)}
    assert spent == {1: D("600.00"), 2: D("400.00")}


def test_the_tie_break_funds_more_items_for_the_same_households():
    items = [ItemDemand(1, D(100), 10), ItemDemand(2, D(50), 5), ItemDemand(3, D(50), 5)]
    programmes = [ProgrammeSupply(1, D(100), D(1))]
    result = o.allocate(items, programmes, [(1, 1), (2, 1), (3, 1)], gap=0)
    assert funded_of(result.allocations) == {2, 3} and result.objective_households == 10


def test_no_number_of_items_outweighs_one_household():
    items = [ItemDemand(1, D(100), 11)] + [ItemDemand(i, D(10), 1) for i in range(2, 12)]
    programmes = [ProgrammeSupply(1, D(100), D(1))]
    result = o.allocate(items, programmes, [(i.id, 1) for i in items], gap=0)
    assert funded_of(result.allocations) == {1} and result.objective_households == 11


def test_a_lock_forces_a_lower_households_item_in():
    items = [ItemDemand(1, D(100), 50), ItemDemand(2, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(100), D(1))]
    eligible = [(1, 1), (2, 1)]
    assert funded_of(o.allocate(items, programmes, eligible).allocations) == {1}
    locks = [Lock(2, 1)]
    result = o.allocate(items, programmes, eligible, locks=locks)
    assert result.status == "optimal" and result.allocations == (Allocation(2, 1, D(100)),)
    assert result.objective_households == 5 and result.unfunded == (1,)
    assert o.check(items, programmes, eligible, result.allocations, locks=locks) == []
    assert o.greedy(items, programmes, eligible, locks=locks) == [Allocation(2, 1, D(100))]


def test_a_lock_with_an_amount_is_paid_exactly():
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(100), D(1)), ProgrammeSupply(2, D(100), D(1))]
    eligible = [(1, 1), (1, 2)]
    locks = [Lock(1, 2, D("30.25"))]
    result = o.allocate(items, programmes, eligible, locks=locks)
    assert result.allocations == (Allocation(1, 1, D("69.75")), Allocation(1, 2, D("30.25")))
    greedy = o.greedy(items, programmes, eligible, locks=locks)
    assert greedy == list(result.allocations)


def test_a_lock_without_an_amount_pays_at_least_one_baht():
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(1000), D(1)), ProgrammeSupply(2, D(1000), D(1))]
    locks = [Lock(1, 2)]
    result = o.allocate(items, programmes, [(1, 1), (1, 2)], locks=locks)
    assert any(a.programme == 2 and a.amount >= D(1) for a in result.allocations)
    assert o.check(items, programmes, [(1, 1), (1, 2)], result.allocations, locks=locks) == []


def test_an_exclude_pushes_the_funding_to_another_programme():
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(1000), D(1)), ProgrammeSupply(2, D(100), D(1))]
    eligible = [(1, 1), (1, 2)]
    assert o.greedy(items, programmes, eligible) == [Allocation(1, 1, D(100))]  # the most budget left
    result = o.allocate(items, programmes, eligible, excludes=[(1, 1)])
    assert result.allocations == (Allocation(1, 2, D(100)),)
    assert o.greedy(items, programmes, eligible, excludes=[(1, 1)]) == [Allocation(1, 2, D(100))]
    # Excluding the only programme that could leaves the item unfunded.
    assert o.allocate(items, programmes, eligible, excludes=[(1, 1), (1, 2)]).unfunded == (1,)


def test_locks_that_cannot_all_hold_are_infeasible_and_named():
    items = [ItemDemand(1, D(100), 5), ItemDemand(2, D(100), 5), ItemDemand(3, D(10), 1)]
    programmes = [ProgrammeSupply(1, D(150), D(1)), ProgrammeSupply(2, D(10), D(1))]
    eligible = [(1, 1), (2, 1), (3, 2)]
    locks = [Lock(1, 1), Lock(3, 2), Lock(2, 1)]
    result = o.allocate(items, programmes, eligible, locks=locks)
    assert result.status == "infeasible" and result.allocations == () and result.unfunded == (1, 2, 3)
    assert set(result.conflicting_locks) == {Lock(1, 1), Lock(2, 1)}  # the one on item 3 is fine
    assert "item 1 ← programme 1" in result.message and "item 2 ← programme 1" in result.message
    assert "item 3" not in result.message
    with pytest.raises(o.InfeasibleLocks):
        o.greedy(items, programmes, eligible, locks=locks)


@pytest.mark.parametrize(
    ("locks", "excludes", "why"),
    [
        ([Lock(1, 1)], [(1, 1)], "excluded"),
        ([Lock(1, 2)], [], "may not pay"),
        ([Lock(9, 1)], [], "no such item"),
        ([Lock(1, 9)], [], "no such programme"),
        ([Lock(1, 1, D(61))], [], "at most 60.00"),  # share 60 %
        ([Lock(1, 1, D("0.001"))], [], "satang"),
        ([Lock(1, 1, D(0))], [], "more than 0"),
        ([Lock(1, 1, D(20)), Lock(1, 1, D(30))], [], "cannot"),
        ([Lock(1, 1)], [], "can pay at most 60.00"),  # the item alone cannot be funded whole
    ],
)
def test_each_impossible_lock_is_reported(locks, excludes, why):
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(1000), D("0.6")), ProgrammeSupply(2, D(1000), D(1))]
    result = o.allocate(items, programmes, [(1, 1)], locks=locks, excludes=excludes)
    assert result.status == "infeasible", result.message
    assert why in result.message and result.conflicting_locks
    assert result.allocations == () and result.objective_households == 0


def test_a_generated_case_with_locks_keeps_them():
    items, programmes, eligible = o.generated_case(5, 40, 5)
    free = o.allocate(items, programmes, eligible, gap=0)
    cost = {i.id: satang(i.cost) for i in items}
    supply = {p.id: p for p in programmes}

    def reach(item: int) -> int:
        return sum(
            min(int(supply[p].max_share * cost[item]), satang(supply[p].budget)) for i, p in eligible if i == item
        )

    pairs = [pair for pair in eligible if pair[0] in free.unfunded and reach(pair[0]) >= cost[pair[0]]]
    locks = [Lock(*pairs[0]), Lock(*pairs[-1])] if pairs[0][0] != pairs[-1][0] else [Lock(*pairs[0])]
    result = o.allocate(items, programmes, eligible, locks=locks, gap=0)
    assert result.status == "optimal", result.message
    assert {lock.item for lock in locks} <= funded_of(result.allocations)
    assert o.check(items, programmes, eligible, result.allocations, locks=locks) == []
    assert result.objective_households <= free.objective_households


def test_the_pair_caps_of_the_caller_are_honoured():
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(1000), D(1)), ProgrammeSupply(2, D(1000), D(1))]
    eligible = [(1, 1), (1, 2)]
    caps = {(1, 1): D(30), (1, 2): D(80)}
    result = o.allocate(items, programmes, eligible, caps=caps)
    assert {a.programme: a.amount for a in result.allocations}[1] <= D(30)
    assert o.check(items, programmes, eligible, result.allocations, caps=caps) == []
    assert o.check(items, programmes, eligible, [Allocation(1, 1, D(100))], caps=caps) != []
    assert o.allocate(items, programmes, eligible, caps={(1, 1): D(10), (1, 2): D(80)}).unfunded == (1,)


def test_changing_the_thread_count_between_runs_works():
    items, programmes, eligible = o.generated_case(2, 20, 3)
    one = o.allocate(items, programmes, eligible, threads=1, gap=0)
    two = o.allocate(items, programmes, eligible, threads=2, gap=0)
    assert one.status == two.status == "optimal"
    assert one.objective_households == two.objective_households


def test_nothing_fundable_is_a_trivial_optimum():
    items = [ItemDemand(1, D(100), 5)]
    programmes = [ProgrammeSupply(1, D(10), D(1))]
    result = o.allocate(items, programmes, [(1, 1)])
    assert (result.status, result.allocations, result.unfunded) == ("optimal", (), (1,))


# --- check: every rule broken once ----------------------------------------------------

CHECK_ITEMS = [ItemDemand(1, D(100), 1), ItemDemand(2, D(80), 1)]
CHECK_PROGRAMMES = [
    ProgrammeSupply(1, D(1000), D("0.6")),
    ProgrammeSupply(2, D(1000), D(1)),
    ProgrammeSupply(3, D(100), D(1)),
]
CHECK_ELIGIBLE = [(1, 1), (1, 2), (1, 3), (2, 3)]
VALID = [Allocation(1, 1, D(60)), Allocation(1, 3, D(40))]


@pytest.mark.parametrize(
    ("allocations", "locks", "excludes", "broken"),
    [
        ([Allocation(2, 2, D(80))], [], [], "may not pay"),
        (VALID, [], [(1, 3)], "excluded"),
        ([Allocation(1, 1, D("60.01")), Allocation(1, 3, D("39.99"))], [], [], "above its share cap 60.00"),
        ([*VALID, Allocation(2, 3, D(80))], [], [], "above its budget 100.00"),
        ([Allocation(1, 1, D(60)), Allocation(1, 3, D(30))], [], [], "not its cost"),
        ([Allocation(1, 1, D(60)), Allocation(1, 3, D(40)), Allocation(1, 2, D(1))], [], [], "not its cost"),
        ([Allocation(1, 1, D("59.995")), Allocation(1, 3, D("40.005"))], [], [], "whole number of satang"),
        ([*VALID, Allocation(1, 2, D(0))], [], [], "not positive"),
        ([Allocation(1, 1, D(30)), Allocation(1, 1, D(30)), Allocation(1, 3, D(40))], [], [], "allocated twice"),
        ([Allocation(9, 1, D(30))], [], [], "unknown"),
        (VALID, [Lock(2, 3)], [], "the item is not funded"),
        (VALID, [Lock(1, 1, D(50))], [], "the programme pays 60.00"),
        (VALID, [Lock(1, 2)], [], "the programme pays 0.00"),
    ],
)
def test_check_finds_each_broken_rule(allocations, locks, excludes, broken):
    found = o.check(CHECK_ITEMS, CHECK_PROGRAMMES, CHECK_ELIGIBLE, allocations, locks=locks, excludes=excludes)
    assert any(broken in message for message in found), found


def test_check_passes_a_valid_allocation_with_its_locks():
    locks = [Lock(1, 1, D(60)), Lock(1, 3)]
    assert o.check(CHECK_ITEMS, CHECK_PROGRAMMES, CHECK_ELIGIBLE, VALID, locks=locks, excludes=[(2, 3)]) == []
    assert o.check(CHECK_ITEMS, CHECK_PROGRAMMES, CHECK_ELIGIBLE, []) == []


# --- the fallback and the statuses ----------------------------------------------------


def test_a_solver_that_raises_falls_back_to_the_greedy_allocation(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("no solver today")

    monkeypatch.setattr(o._Model, "solve", boom)
    items, programmes, eligible = o.generated_case(3, 30, 4)
    result = o.allocate(items, programmes, eligible)
    assert (result.status, result.solver) == ("fallback", "greedy")
    assert list(result.allocations) == o.greedy(items, programmes, eligible) != []
    assert "HiGHS failed" in result.message and "no solver today" in result.message
    assert result.objective_households == result.greedy_households
    assert result.gap != result.gap  # NaN: no bound is known


def test_a_solver_without_a_solution_falls_back_to_the_greedy_allocation(monkeypatch):
    real = o._Model.solve

    def nothing(self, *args, **kwargs):
        outcome = real(self, *args, **kwargs)
        return dataclasses.replace(outcome, values=None, status_text="Time limit reached")

    monkeypatch.setattr(o._Model, "solve", nothing)
    items, programmes, eligible = o.generated_case(3, 30, 4)
    result = o.allocate(items, programmes, eligible)
    assert result.status == "fallback" and list(result.allocations) == o.greedy(items, programmes, eligible)
    assert "found no allocation" in result.message and 0 <= result.gap < 1


def test_a_rounding_that_breaks_a_rule_falls_back_to_the_greedy_allocation(monkeypatch):
    items, programmes, eligible = o.generated_case(3, 30, 4)
    over = dict.fromkeys(eligible[:3], 10**12)
    monkeypatch.setattr(o._Model, "rounded", lambda self, values: over)
    real = o._exact_amounts
    monkeypatch.setattr(o, "_exact_amounts", lambda *args, start=None: None if start else real(*args))
    result = o.allocate(items, programmes, eligible)
    assert result.status == "fallback" and list(result.allocations) == o.greedy(items, programmes, eligible)
    assert "broke a rule" in result.message


def test_a_short_rounding_is_completed_to_the_satang(monkeypatch):
    real = o._Model.rounded

    def short(self, values):
        amounts = real(self, values)
        pair = next(iter(amounts))
        return {**amounts, pair: amounts[pair] - 1}

    monkeypatch.setattr(o._Model, "rounded", short)
    items, programmes, eligible = o.generated_case(4, 30, 4)
    result = o.allocate(items, programmes, eligible, gap=0)
    assert result.status == "optimal" and o.check(items, programmes, eligible, result.allocations) == []


def test_a_solver_stopped_far_from_its_bound_is_feasible_not_optimal(monkeypatch):
    real = o._Model.solve

    def stopped(self, *args, **kwargs):
        outcome = real(self, *args, **kwargs)
        return dataclasses.replace(outcome, optimal=False, bound=outcome.bound * 2)

    monkeypatch.setattr(o._Model, "solve", stopped)
    items, programmes, eligible = o.generated_case(3, 30, 4)
    result = o.allocate(items, programmes, eligible, gap=0.01)
    assert result.status == "feasible" and 0.4 < result.gap < 0.6 and "time limit" in result.message
    assert o.check(items, programmes, eligible, result.allocations) == []


def test_the_generated_case_is_reproducible_and_valid():
    assert o.generated_case(9, 50, 6) == o.generated_case(9, 50, 6)
    items, programmes, eligible = o.generated_case(9, 50, 6)
    assert len(items) == 50 and len(programmes) == 6 and len(set(eligible)) == len(eligible)
    result = o.allocate(items, programmes, eligible)
    assert result.status == "optimal" and o.check(items, programmes, eligible, result.allocations) == []
    assert result.objective_households >= result.greedy_households


def test_a_solve_prints_nothing_on_standard_output():
    """HiGHS writes a banner to fd 1 at its first instance; ``chumchon match --json``
    would not be JSON. A fresh process, since the banner comes once per process."""
    import subprocess
    import sys

    script = (
        "from decimal import Decimal as D\n"
        "from chumchon.matching.optimiser import ItemDemand, ProgrammeSupply, allocate\n"
        "r = allocate([ItemDemand(1, D(100), 3), ItemDemand(2, D(80), 2)],"
        " [ProgrammeSupply(1, D(150), D(1))], [(1, 1), (2, 1)])\n"
        "assert r.objective_households == 3 and r.status == 'optimal', r\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
