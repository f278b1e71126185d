"""An intruder's differencing attack on what an aggregate-only reader can obtain.

Every relation of the published tables (a parent and its children, a year and its
quarters, a quarter and its months, a figure and its categories) is an equation;
the shown cells are known numbers, the hidden ones unknowns. Gaussian elimination in
exact arithmetic (reduced row echelon form) finds every unknown that the equations
determine — whatever combination of siblings, spans and categories a reader
subtracts. The audit returns them; a sound pattern leaves none.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction

from chumchon.core.disclosure import Cell, Relation


def determined(
    cells: Mapping[Hashable, Cell], relations: Iterable[Relation], hidden: set[Hashable]
) -> dict[Hashable, Fraction]:
    """The hidden cells whose value follows from the shown ones, with that value."""
    rows: list[tuple[dict[Hashable, Fraction], Fraction]] = []
    for r in relations:
        coeffs: dict[Hashable, Fraction] = {}
        const = Fraction(0)
        for k, sign in ((r.total, 1), *((p, -1) for p in r.parts)):
            value = cells[k].value if k in cells else 0
            if k in hidden:
                coeffs[k] = coeffs.get(k, Fraction(0)) + sign
            else:
                const -= sign * value
        coeffs = {k: v for k, v in coeffs.items() if v}
        if coeffs:
            rows.append((coeffs, const))  # sum(coeffs * x) = const
    pivots: dict[Hashable, tuple[dict[Hashable, Fraction], Fraction]] = {}
    for coeffs, const in rows:
        coeffs = dict(coeffs)
        # eliminate the existing pivots from the new row
        changed = True
        while changed:
            changed = False
            for k in [k for k in coeffs if k in pivots]:
                factor = coeffs.pop(k, Fraction(0))
                if not factor:
                    continue
                prow, pconst = pivots[k]
                for pk, pv in prow.items():
                    if pk == k:
                        continue
                    coeffs[pk] = coeffs.get(pk, Fraction(0)) - factor * pv
                    if not coeffs[pk]:
                        del coeffs[pk]
                const -= factor * pconst
                changed = True
        if not coeffs:
            continue
        k = min(coeffs, key=repr)
        factor = coeffs[k]
        new = {pk: pv / factor for pk, pv in coeffs.items()}
        nconst = const / factor
        # keep the form reduced: remove k from the other pivot rows
        for ok, (orow, oconst) in list(pivots.items()):
            if k in orow:
                f = orow[k]
                merged = dict(orow)
                del merged[k]
                for pk, pv in new.items():
                    if pk == k:
                        continue
                    merged[pk] = merged.get(pk, Fraction(0)) - f * pv
                    if not merged[pk]:
                        del merged[pk]
                pivots[ok] = (merged, oconst - f * nconst)
        pivots[k] = (new, nconst)
    return {k: c for k, (row, c) in pivots.items() if len(row) == 1}
