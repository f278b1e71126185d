"""`chumchon bench` runs end to end on a tiny province (the numbers are not tested: see
docs/BENCHMARKS.md; this guards the code path on both engines)."""

from __future__ import annotations

import pytest

from chumchon.bench.run import bench_run
from chumchon.ledgers.models import AreaMonthCategory, LedgerEntry
from chumchon.registry.models import Household

pytestmark = pytest.mark.django_db


def test_bench_imports_every_row_and_cleans_up() -> None:
    result = bench_run(households=30, months=2, samples=5, dashboards=2, packs=1)

    assert result.rows > 30 * 2 * 15  # about five lines a household a week
    assert result.import_rows_per_s > 0 and result.copy_rows_per_s > 0 and result.copy_bare_rows_per_s > 0
    assert result.verify_ok is True
    assert result.figures_samples == 5
    assert result.dashboard_samples == 2 and result.dashboard_tambon_p95_ms > 0
    assert result.forum_pack_samples == 1 and result.forum_pack_village_max_s > 0
    # Everything it made is gone again.
    assert not Household.objects.filter(code__startswith="B-").exists()
    assert not LedgerEntry.objects.exists()
    assert not AreaMonthCategory.objects.filter(area_code__startswith="37").exists()


def test_the_matching_bench_solves_a_small_province_within_every_budget() -> None:
    """The code path of `chumchon bench --matching` (the numbers are in docs/BENCHMARKS.md)."""
    from chumchon.bench.matching import generated_inputs, matching_bench

    result = matching_bench(items=200, programmes=10, tambons=12, seed=3, time_limit=20)
    assert result.status in ("optimal", "feasible") and result.items == 200 and result.pairs > 200
    assert result.objective_households >= result.greedy_households > 0
    assert 0 < result.allocated_baht <= result.budget_baht < result.demand_baht
    # The generator keeps its own rules: an item asking the อปท. is never paid by an agency.
    _items, _programmes, eligible, caps = generated_inputs(200, 10, 12, 3)
    assert all(caps[pair] > 0 for pair in eligible)
