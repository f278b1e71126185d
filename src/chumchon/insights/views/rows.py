"""The rows behind a dashboard figure: its households and the account lines summed into it.

Person-level: readers who may not see persons in the area (agency officers, anyone
outside it) get the same 404 as for an area that does not exist, and nothing is
written to the audit log; every page shown is audited as a view of the households
and lines on it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Area
from chumchon.core.spreadsheet.writer import Column, Sheet, Value, be_datetime, workbook_bytes
from chumchon.core.views import xlsx_response
from chumchon.insights.dashboard import (
    DEBT,
    DEBT_CLEARED,
    DEBT_FELL,
    DEBT_SOURCE,
    DEFICIT,
    FIGURES,
    OCCUPATION,
    REPORTING,
    SURPLUS,
    FigureRows,
    RowsNotAllowed,
    UnknownFigure,
    figure_rows_for_user,
)
from chumchon.insights.views.common import Span, parse_figure, span_from
from chumchon.ledgers.selectors import categories_all
from chumchon.registry.models import DebtSource, OccupationGroup

PER_PAGE = 50
EXPORT_MAX_LINES = 100_000  # account lines in one spreadsheet; the households are always all there


def _rows(request: HttpRequest, code: str) -> tuple[Area, str, str | None, Span, FigureRows]:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # aggregate-only: no rows, the same answer as a missing area
    try:
        figure, category = parse_figure(request.GET)
    except UnknownFigure:
        raise Http404 from None
    span = span_from(request.GET, area.code)
    try:
        rows = figure_rows_for_user(request.user, area, span.start, span.end, figure=figure, category=category)
    except (RowsNotAllowed, UnknownFigure):
        raise Http404 from None
    return area, figure, category, span, rows


@require_GET
def figure_rows(request: HttpRequest, code: str) -> HttpResponse:
    area, figure, category, span, rows = _rows(request, code)
    households = Paginator(rows.households, PER_PAGE).get_page(request.GET.get("page"))
    entries_qs = rows.entries.select_related("household", "category", "village").order_by("date", "household_id", "id")
    entries = Paginator(entries_qs, PER_PAGE).get_page(request.GET.get("entries_page"))
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="figure_rows",
        area_code=area.code,
        detail={
            "figure": figure,
            "category": category or "",
            **span.params,
            "page": households.number,
            "households": [h.household_id for h in households.object_list],
            "entries_page": entries.number,
            "entries": [e.pk for e in entries.object_list],
        },
    )
    base = {**span.params, "figure": figure, **({"category": category} if category else {})}
    return render(
        request,
        "insights/rows.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "span": span,
            "spec": FIGURES[figure],
            "figure": figure,
            "category": category,
            "category_name": _category_name(category),
            "rows": rows,
            "households": households,
            "show_months": any(h.months for h in rows.households),
            "amount_label": _amount_label(figure),
            "entries": entries,
            "households_query": urlencode({**base, "entries_page": entries.number}),
            "entries_query": urlencode({**base, "page": households.number}),
            "dashboard_query": urlencode(span.params),
            "xlsx_query": urlencode(base),
            "export_max_lines": EXPORT_MAX_LINES,
        },
    )


@require_GET
def figure_rows_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The rows behind a figure as a spreadsheet: every household (with its part) and
    the account lines (up to ``EXPORT_MAX_LINES``; beyond that the sheet says so).
    Audited as an export of the households and lines in it."""
    area, figure, category, span, rows = _rows(request, code)
    entries = list(
        rows.entries.select_related("household", "category").order_by("date", "household_id", "id")[
            : EXPORT_MAX_LINES + 1
        ]
    )
    cut = len(entries) > EXPORT_MAX_LINES
    entries = entries[:EXPORT_MAX_LINES]
    spec = FIGURES[figure]
    name = _category_name(category)
    label = name if figure == "category" else f"{spec.label}{f' · {name}' if name else ''}"
    when = span.start.label() if span.start == span.end else f"{span.start.label()} – {span.end.label()}"
    note = " · ".join(
        [
            area.display_name,
            when,
            _("exported by %(user)s on %(when)s")
            % {"user": request.user.get_username(), "when": be_datetime(timezone.now())},
        ]
    )
    show_months = any(h.months for h in rows.households)
    household_columns = [
        Column(_("Household code"), width=14),
        Column(_("Head of household"), width=26),
        Column(_("Village"), width=22),
        Column(_("Village code"), width=11),
        *([Column(_("months reported"), "count", width=10)] if show_months else []),
        *([Column(_amount_label(figure), "money", width=18)] if figure != "households" else []),
    ]
    household_rows: list[list[Value]] = [
        [
            h.code,
            h.head_name,
            h.village_name,
            h.village_code,
            *([h.months] if show_months else []),
            *([h.amount] if figure != "households" else []),
        ]
        for h in rows.households
    ]
    sheets = [Sheet(_("Households"), label, household_columns, household_rows, note=note)]
    if entries:
        line_rows: list[list[Value]] = [
            [
                e.date,
                e.household.code,
                e.category_id,
                e.category.name_th,
                e.item,
                e.amount,
                _("correction") if e.reverses_id else "",
                e.reason,
            ]
            for e in entries
        ]
        line_note = note
        if cut:
            line_note += " · " + _(
                "Only the first %(n)s lines are in this file: choose a shorter span or a smaller area for the rest."
            ) % {"n": f"{EXPORT_MAX_LINES:,}"}
        sheets.append(
            Sheet(
                _("Account lines"),
                label,
                [
                    Column(_("Date"), "date", width=12),
                    Column(_("Household code"), width=14),
                    Column(_("Category code"), width=10),
                    Column(_("Category"), width=28),
                    Column(_("Item"), width=24),
                    Column(_("Amount"), "money", width=14),
                    Column(_("correction"), width=10),
                    Column(_("reason"), width=24),
                ],
                line_rows,
                note=line_note,
            )
        )
    content = workbook_bytes(sheets)
    audit_record(
        actor=actor_from_request(request),
        action=Action.EXPORT,
        object_type="figure_rows",
        area_code=area.code,
        detail={
            "format": "xlsx",
            "figure": figure,
            "category": category or "",
            **span.params,
            "households": [h.household_id for h in rows.households],
            "entries": len(entries),
            "entries_cut": cut,
        },
    )
    filename = f"rows-{area.code}-{figure}{f'-{category}' if category else ''}-{span.start.iso()}-{span.end.iso()}.xlsx"
    return xlsx_response(content, filename)


def _amount_label(figure: str) -> str:
    """What each household's amount on the page is, for the column heading."""
    if figure in (SURPLUS, REPORTING, DEFICIT):
        return _("surplus over these months (baht)")
    if figure == OCCUPATION:
        return _("yearly surplus (baht)")
    if figure in (DEBT, DEBT_SOURCE):
        return _("debt outstanding (baht)")
    if figure in (DEBT_FELL, DEBT_CLEARED):
        return _("principal repaid less loans received (baht)")
    return _("amount over these months (baht)")


def _category_name(category: str | None) -> str:
    """The name of the category, debt source or occupation group a figure is about."""
    if not category:
        return ""
    for choices in (DebtSource, OccupationGroup):
        if category in choices.values:
            return str(choices(category).label)
    found = categories_all().filter(code=category).first()
    if found is None:
        return category
    english = (translation.get_language() or "th").startswith("en")
    return found.name_en if english and found.name_en else found.name_th
