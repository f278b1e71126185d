"""The household-level cells of the dashboard (deficit, debt fell and cleared, debts by
source, the repayment table by occupation group) attacked as an intruder would: every
number an aggregate-only reader gets from the dashboards of a province, its districts,
tambons and villages, with every equation that ties them, and exact elimination
finds no hidden value that fewer than 5 households stand behind."""

from __future__ import annotations

from fractions import Fraction

import pytest

from chumchon.access.models import Role
from chumchon.areas.models import Area
from chumchon.core.disclosure import Cell, Relation
from chumchon.core.thai import Month
from chumchon.insights.dashboard import dashboard_for, dashboard_for_user
from chumchon.insights.dashboard.types import Dashboard
from chumchon.insights.tests.audit import determined
from chumchon.insights.tests.test_dashboard import world as world
from chumchon.registry.models import DebtSource
from tests import factories

TREE = {
    "37": ["3701", "3702"],
    "3701": ["370101", "370102"],
    "3702": ["370201"],
    "370101": ["37010101", "37010102", "37010103"],
    "370102": ["37010201", "37010202"],
    "370201": ["37020101"],
}
AREAS = ["37", *(c for children in TREE.values() for c in children)]
PERIODS = [  # published: a month, a fiscal quarter, a fiscal year
    (Month(2023, 3), Month(2023, 3)),
    (Month(2024, 1), Month(2024, 3)),
    (Month(2023, 10), Month(2024, 9)),
]
GROUPS = ["O01", "O02", "O06", "O08", ""]
SOURCES = [s.value for s in DebtSource]


def _cells(d: Dashboard) -> dict[str, tuple[Fraction | None, int | None]]:
    """Each number of the dashboard: its value, and the count of households it is
    about (``None`` for an amount: its count is its sibling's)."""
    out: dict[str, tuple[Fraction | None, int | None]] = {}

    def num(x: object) -> Fraction | None:
        return None if x is None else Fraction(str(x))

    def count(name: str, n: int | None) -> None:
        out[name] = (num(n), n)

    count("deficit", d.deficit_households)
    count("fell", d.debt_fell)
    count("cleared", d.debt_cleared)
    count("owing", d.debt_households)
    out["debt_total"] = (num(d.debt_total), None)
    lines = {x.code: x for x in d.debts_by_source}
    for s in SOURCES:
        x = lines.get(s)
        count(f"n:{s}", x.households if x else 0)
        out[f"p:{s}"] = (num(x.principal) if x else Fraction(0), None)
        out[f"pay:{s}"] = (num(x.monthly_payment) if x else Fraction(0), None)
    rows = {r.occupation_group: r for r in d.repayment}
    for g in GROUPS:
        r = rows.get(g)
        count(f"occ:{g}", r.households if r else 0)
        out[f"occ_debt:{g}"] = (num(r.total_debt) if r else Fraction(0), None)
    total = d.repayment_total
    count("occ:*", total.households if total else 0)
    out["occ_debt:*"] = (num(total.total_debt) if total else Fraction(0), None)
    if d.suppressed:  # 1–4 households reported: nothing but the registered count
        return {k: (None, n) for k, (_v, n) in out.items()}
    return out


def _relations() -> list[Relation]:
    """The equations a reader knows: parents are their children's sums; the sources sum
    to the total debt; the occupation groups to all households."""
    names = ["deficit", "fell", "cleared", "owing", "debt_total", "occ:*", "occ_debt:*"]
    names += [f"{p}:{s}" for s in SOURCES for p in ("n", "p", "pay")]
    names += [f"{p}:{g}" for g in GROUPS for p in ("occ", "occ_debt")]
    rel = [Relation((parent, n), tuple((c, n) for c in children)) for parent, children in TREE.items() for n in names]
    for a in AREAS:
        rel.append(Relation((a, "debt_total"), tuple((a, f"p:{s}") for s in SOURCES)))
        rel.append(Relation((a, "occ:*"), tuple((a, f"occ:{g}") for g in GROUPS)))
        rel.append(Relation((a, "occ_debt:*"), tuple((a, f"occ_debt:{g}") for g in GROUPS)))
    return rel


def _behind(name: str, truth: dict[str, tuple[Fraction | None, int | None]]) -> int:
    """The households behind a cell: its own count, or its count sibling's."""
    _value, n = truth[name]
    if n is not None:
        return n
    kind, _, key = name.partition(":")
    sibling = {"debt_total": "owing", "p": f"n:{key}", "pay": f"n:{key}", "occ_debt": f"occ:{key}"}[kind or name]
    return truth[sibling][1] or 0


@pytest.mark.django_db
def test_no_household_count_under_five_can_be_read_or_derived_from_the_dashboards(world):
    agency = factories.user(Role.AGENCY, "37")
    areas = {a.code: a for a in Area.objects.filter(code__in=AREAS)}
    relations = _relations()
    for start, end in PERIODS:
        cells: dict[tuple[str, str], Cell] = {}
        hidden: set[tuple[str, str]] = set()
        small: set[tuple[str, str]] = set()
        for code in AREAS:
            truth = _cells(dashboard_for(code, start, end, with_comparisons=False))
            seen = _cells(dashboard_for_user(agency, areas[code], start, end, with_comparisons=False))
            for name, (value, _n) in seen.items():
                n = _behind(name, truth)
                true_value = truth[name][0] or Fraction(0)
                cells[code, name] = Cell(round(true_value * 100), n, n)
                if value is None:
                    hidden.add((code, name))
                    if 0 < n < 5:
                        small.add((code, name))
                else:
                    assert value == true_value, (code, name, start, end)
                    assert not 0 < n < 5, f"{code} {name} {start}–{end}: {n} households shown"
        assert small, "the generated data has small household cells to protect"
        assert len(hidden) > len(small), "and some had to be hidden beside them"
        got = determined(cells, relations, hidden)
        leaked = {k: v for k, v in got.items() if k in small}
        assert leaked == {}, (start, end)
