"""The needs page's counts (surveyed, welfare card, each TPMAP dimension, any dimension)
attacked as an intruder would: every count an agency officer gets for a province, its
districts, tambons and villages, with every equation that ties them (a parent is the
sum of its children), solved exactly: no hidden count of 1–4 comes back."""

from __future__ import annotations

import random

import pytest

from chumchon.access.models import Role
from chumchon.core.disclosure import Cell, Relation
from chumchon.insights.tests.audit import determined
from chumchon.registry.models import Dimension
from chumchon.registry.selectors import needs_summary_for_user
from tests import factories

pytestmark = pytest.mark.django_db

VILLAGES = {"37010101": 9, "37010102": 6, "37010103": 3, "37010201": 7, "37010202": 5, "37020101": 8}
TREE = {
    "37": ["3701", "3702"],
    "3701": ["370101", "370102"],
    "3702": ["370201"],
    "370101": ["37010101", "37010102", "37010103"],
    "370102": ["37010201", "37010202"],
    "370201": ["37020101"],
}
AREAS = ["37", *(c for children in TREE.values() for c in children)]
NAMES = ["surveyed", "welfare_card", "any_dimension", *(d.value for d in Dimension)]


def _world() -> None:
    rng = random.Random(7)
    for code, n in VILLAGES.items():
        village = factories.village(code[:6], int(code[6:]))
        for _ in range(n):
            fails = {f"fails_{d.value}": rng.random() < 0.3 for d in Dimension}
            factories.household(
                village,
                members=1,
                welfare_card=rng.random() < 0.4,
                dimensions_failed=sum(fails.values()),
                **fails,
            )


def _counts(summary) -> dict[str, int | None]:
    out = {"welfare_card": summary.welfare_card, "any_dimension": summary.any_dimension}
    out["surveyed"] = summary.surveyed
    out |= {d: summary.by_dimension[d] for d in summary.by_dimension}
    return out


def test_no_needs_count_under_five_can_be_read_or_derived():
    _world()
    agency = factories.user(Role.AGENCY, "37")
    admin = factories.user(Role.ADMIN)
    cells: dict[tuple[str, str], Cell] = {}
    hidden: set[tuple[str, str]] = set()
    small: set[tuple[str, str]] = set()
    for code in AREAS:
        truth = _counts(needs_summary_for_user(admin, code))
        seen = _counts(needs_summary_for_user(agency, code))
        for name in NAMES:
            n = truth[name] or 0
            cells[code, name] = Cell(n, n, n)
            if seen[name] is None:
                hidden.add((code, name))
                small |= {(code, name)} if 0 < n < 5 else set()
            else:
                assert seen[name] == n and not 0 < n < 5, (code, name, n)
    assert small, "the generated registry has small counts to protect"
    assert len(hidden) > len(small), "and some had to be hidden beside them"
    relations = [Relation((p, n), tuple((c, n) for c in children)) for p, children in TREE.items() for n in NAMES]
    leaked = {k: v for k, v in determined(cells, relations, hidden).items() if k in small}
    assert leaked == {}
