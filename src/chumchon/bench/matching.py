"""The optimiser's benchmark (issue 13 §4; docs/BENCHMARKS.md): a province's plan items
(thousands) against its programmes (tens), allocated to a 1% gap within 30 seconds on
the machine's cores, from inputs generated the way a province's look.

Items are spread over tambons; each asks the อปท. (about half) or agencies, in one of
six domains, with a cost of 10,000–800,000 baht and 5–200 households. Each tambon's
local government offers one programme for its own tambon's items asking the อปท.; the
province (อบจ.) co-funds up to half of local-government items in two domains; agencies
and CODI take agency items of their domains, some up to a share. Budgets cover about
a third of the demand, so the choice matters. The solver's answer is checked against
every rule (the optimiser re-checks its own answer) and compared with the greedy one.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from chumchon.bench.run import machine, peak_rss_mb
from chumchon.matching import optimiser

DOMAINS = ("economy", "resources", "social", "health", "education", "housing")


@dataclass
class MatchingBench:
    items: int
    programmes: int
    tambons: int
    pairs: int = 0
    status: str = ""
    solver: str = ""
    seconds: float = 0.0
    gap: float | None = None
    objective_households: int = 0
    greedy_households: int = 0
    items_funded: int = 0
    demand_baht: int = 0
    budget_baht: int = 0
    allocated_baht: int = 0
    peak_rss_mb: float = 0.0
    machine: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def generated_inputs(
    n_items: int, n_programmes: int, n_tambons: int, seed: int
) -> tuple[list[optimiser.ItemDemand], list[optimiser.ProgrammeSupply], list[tuple[int, int]], dict]:
    """Items, programmes, eligible pairs and each pair's cap, as a province's look."""
    rng = random.Random(seed)
    items = []
    meta = {}
    for pk in range(1, n_items + 1):
        cost = Decimal(rng.randrange(10, 801)) * 1000
        items.append(optimiser.ItemDemand(pk, cost, rng.randint(5, 200)))
        meta[pk] = (rng.randrange(n_tambons), rng.random() < 0.5, rng.choice(DOMAINS), cost)
    demand = sum((i.cost for i in items), Decimal(0))
    local = min(n_tambons, max(1, n_programmes // 2))  # the tambons' own local governments
    others = max(1, n_programmes - local)
    programmes: list[optimiser.ProgrammeSupply] = []
    rules: dict[int, tuple[str, object, Decimal, Decimal | None]] = {}
    budget_each = (demand / 3 / (local + others)).quantize(Decimal(1000))
    for pk in range(1, local + 1):
        tambons = {t for t in range(n_tambons) if t % local == pk - 1}
        programmes.append(optimiser.ProgrammeSupply(pk, budget_each, Decimal(1)))
        rules[pk] = ("local", tambons, Decimal(1), None)
    for pk in range(local + 1, local + others + 1):
        share = rng.choice((Decimal("0.5"), Decimal(1)))
        domains = set(rng.sample(DOMAINS, 2))
        most = rng.choice((None, Decimal(300_000), Decimal(500_000)))
        kind = "province" if pk == local + 1 else "agency"
        programmes.append(optimiser.ProgrammeSupply(pk, budget_each, share))
        rules[pk] = (kind, domains, share, most)
    eligible: list[tuple[int, int]] = []
    caps: dict[tuple[int, int], Decimal] = {}
    for pk, (tambon, asks_local, domain, cost) in meta.items():
        for ppk, (kind, cover, share, most) in rules.items():
            if kind == "local":
                ok = asks_local and tambon in cover  # type: ignore[operator]
            elif kind == "province":
                ok = asks_local and domain in cover  # type: ignore[operator]
            else:
                ok = not asks_local and domain in cover  # type: ignore[operator]
            if not ok:
                continue
            cap = (cost * share).quantize(Decimal("0.01"))
            if most is not None:
                cap = min(cap, most)
            eligible.append((pk, ppk))
            caps[(pk, ppk)] = cap
    return items, programmes, eligible, caps


def matching_bench(*, items: int = 3000, programmes: int = 40, tambons: int = 80, seed: int = 1,
                   time_limit: float = 30.0) -> MatchingBench:  # fmt: skip
    demands, supplies, eligible, caps = generated_inputs(items, programmes, tambons, seed)
    out = MatchingBench(items=len(demands), programmes=len(supplies), tambons=tambons, pairs=len(eligible))
    out.demand_baht = int(sum(d.cost for d in demands))
    out.budget_baht = int(sum(p.budget for p in supplies))
    started = time.perf_counter()
    result = optimiser.allocate(demands, supplies, eligible, caps=caps, gap=0.01, time_limit=time_limit)
    out.seconds = round(time.perf_counter() - started, 2)
    out.status, out.solver = result.status, result.solver
    out.gap = None if result.gap != result.gap else round(result.gap, 5)  # NaN: no bound
    out.objective_households, out.greedy_households = result.objective_households, result.greedy_households
    out.items_funded = result.items_funded
    out.allocated_baht = int(sum(a.amount for a in result.allocations))
    out.peak_rss_mb = peak_rss_mb()
    out.machine = machine()
    return out
