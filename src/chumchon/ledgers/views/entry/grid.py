"""The staff's keyboard grid for one household's monthly paper form."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.core.thai import Month, to_be
from chumchon.ledgers.forms import CategoryIndex, CorrectionForm, GridInput, GridRow, grid_input
from chumchon.ledgers.models import EntrySource
from chumchon.ledgers.paper_form import GRID_COLUMNS
from chumchon.ledgers.selectors import household_neighbours_for_ledger_entry, ledger_month_for_household
from chumchon.ledgers.services import LedgerError, month_is_closed
from chumchon.ledgers.views.entry.common import (
    add_lines,
    categories_json,
    category_index,
    closed_message,
    head_of,
    household_for_entry,
    lang,
    local_today,
    month_links,
    month_or_404,
    new_key,
    satang,
)
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_with_members

BLANK_GRID_ROWS = 8


def example_date(today: dt.date) -> dict[str, object]:
    """The help's example: today as a day of the month and as a Buddhist Era date (as typed)."""
    return {"day": today.day, "text": f"{today.day}/{today.month}/{to_be(today.year)}"}


@require_GET
def entry_household(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid of the current month (the link other pages use)."""
    household = household_for_entry(request, pk)
    return redirect("ledgers:entry_grid", pk=household.pk, month=Month.of(local_today()).iso())


@require_http_methods(["GET", "POST"])
def entry_grid(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    household = household_for_entry(request, pk)
    the_month = month_or_404(month)
    if the_month.iso() != month:  # 2567-03 → 2024-03: one address per month
        return redirect("ledgers:entry_grid", pk=household.pk, month=the_month.iso())
    closed = month_is_closed(household.village_id, the_month.first_day)
    if request.method == "GET":
        audit_record(
            actor=actor_from_request(request),
            action=Action.VIEW,
            object_type="household_ledger",
            object_id=household.pk,
            area_code=household.village_id,
            detail={"month": the_month.iso()},
        )
        return render_grid(request, household, the_month, closed=closed)
    index = category_index()
    parsed = grid_input(
        request.POST, household_id=household.pk, month=the_month, index=index, today=local_today(), new_key=new_key
    )
    if closed:
        parsed.problems.append(closed_message(the_month))
    if not parsed.is_valid:
        return render_grid(request, household, the_month, closed=closed, grid=parsed, index=index)
    try:
        entries = add_lines(request, household, parsed.lines, source=EntrySource.KEYED)
    except LedgerError as exc:
        parsed.problems.append(str(exc))
        return render_grid(request, household, the_month, closed=closed, grid=parsed, index=index)
    new, already = len(entries), len(parsed.lines) - len(entries)
    if new:
        messages.success(request, ngettext("%(n)s line saved.", "%(n)s lines saved.", new) % {"n": new})
    if already:
        messages.info(
            request,
            ngettext(
                "%(n)s line had already been saved and was not added again.",
                "%(n)s lines had already been saved and were not added again.",
                already,
            )
            % {"n": already},
        )
    # No #fragment: scrolling to one would take the cursor out of the grid (the script
    # scrolls the grid into view and puts the cursor in the first empty line instead).
    return redirect("ledgers:entry_grid", pk=household.pk, month=the_month.iso())


def render_grid(
    request: HttpRequest,
    household: Household,
    month: Month,
    *,
    closed: bool,
    grid: GridInput | None = None,
    index: CategoryIndex | None = None,
    fix_id: int | None = None,
    fix_form: CorrectionForm | None = None,
) -> HttpResponse:
    """The grid page: the month's saved lines, then the typed rows (with their problems)
    and blank ones; with ``fix_id``, that saved line open for correction."""
    index = index or category_index()
    data = ledger_month_for_household(household, month.first_day, month.last_day)
    rows: list[GridRow] = list(grid.rows) if grid else []
    for row in rows:  # show the name of a category typed by code, as the JS does
        if row.category_obj is None and not row.errors.get("category"):
            row.category_obj = index.resolve(row.category)
    rows += [GridRow(key=new_key()) for _ in range(max(BLANK_GRID_ROWS - len(rows), 2))]
    previous_hh, next_hh = household_neighbours_for_ledger_entry(request.user, household)
    links = month_links(month, local_today())
    household = household_with_members(household.pk)
    return render(
        request,
        "ledgers/entry_grid.html",
        {
            "household": household,
            "head": head_of(household),
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "month": month,
            "month_label": month.label(lang=lang()),
            "previous_month": links["previous"],
            "next_month": links["next"],
            "previous_household": previous_hh,
            "next_household": next_hh,
            "closed": closed,
            "lines": data.lines,
            "totals": data.totals,
            "rows": rows,
            "problems": grid.problems if grid else [],
            "has_errors": bool(grid and not grid.is_valid),
            "categories": categories_json(index.categories),
            "saved_satang": {"income": satang(data.totals.income), "expense": satang(data.totals.expense)},
            "grid_i18n": {
                "income": _("Income"),
                "expense": _("Expense"),
                "unknown": _("Unknown category"),
                "notAmount": _("Not an amount"),
                "saving": _("Saving…"),
                "unsaved": _("Lines typed here are not saved yet."),
                "noMatch": _("No matching category"),
            },
            "fix_id": fix_id,
            "fix_form": fix_form,
            # A volunteer corrects only the lines they entered; staff correct any.
            "can_correct_others": can(request.user, Write.LEDGER_CORRECT_OTHERS, household.village_id),
            "example_date": example_date(local_today()),
            "grid_columns": GRID_COLUMNS,
        },
    )
