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
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.selectors import area_breadcrumbs_for_user
from chumchon.areas.web import area_or_404
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
    RowsNotAllowed,
    UnknownFigure,
    figure_rows_for_user,
)
from chumchon.insights.views.common import parse_figure, span_from
from chumchon.ledgers.selectors import categories_all
from chumchon.registry.models import DebtSource, OccupationGroup

PER_PAGE = 50


@require_GET
def figure_rows(request: HttpRequest, code: str) -> HttpResponse:
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
        },
    )


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
