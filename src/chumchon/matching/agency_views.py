"""The agency's view: the demand under an area that a body's programmes could meet.

``…/area/<code>/demand/?year=YYYY&body=ID`` — by programme and tambon: the open plan
items each programme could pay for, the households they serve, the amounts asked and
how many carry evidence; and the items asking agencies that no programme takes.
``…/demand.xlsx`` is the same as a workbook. Aggregates only (no household is named,
so an agency officer reads it wherever they read the area); downloads are audited.
"""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from chumchon.access.models import Action
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Area
from chumchon.areas.selectors import areas_by_code
from chumchon.matching import selectors
from chumchon.matching.models import Body
from chumchon.matching.views import LEVELS, _year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _inputs(request: HttpRequest, code: str) -> tuple[Area, int, list[Body], Body | None, list[selectors.DemandRow]]:
    area = area_or_404(request, code)
    if area.level not in LEVELS:
        raise Http404
    year = _year(request)
    bodies = list(Body.objects.filter(province__code=area.province_code).order_by("kind", "name"))
    text = request.GET.get("body", "")
    body = next((b for b in bodies if str(b.pk) == text), None) if text else None
    if text and body is None:
        raise Http404
    rows = selectors.agency_demand_for_user(request.user, area, year, body.pk if body else None)
    return area, year, bodies, body, rows


@require_GET
def demand(request: HttpRequest, code: str) -> HttpResponse:
    area, year, bodies, body, rows = _inputs(request, code)
    names = areas_by_code({r.tambon_code for r in rows})
    offered = [r for r in rows if r.programme is not None]
    context = {
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "year": year,
        "years": list(range(year - 2, year + 3)),
        "bodies": bodies,
        "body": body,
        "rows": [(r, names.get(r.tambon_code)) for r in rows],
        "total_items": sum(r.items for r in offered),
        "total_asked": sum((r.asked for r in offered), Decimal(0)),
    }
    return render(request, "matching/demand.html", context)


HEADERS = (
    gettext_noop("Programme code"),
    gettext_noop("Programme"),
    gettext_noop("Body"),
    gettext_noop("Tambon code"),
    gettext_noop("Tambon"),
    gettext_noop("Items"),
    gettext_noop("Households"),
    gettext_noop("Asked (baht)"),
    gettext_noop("Items with evidence"),
)
WIDTHS = (14, 36, 30, 11, 20, 8, 11, 16, 12)


@require_GET
def demand_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    area, year, _bodies, body, rows = _inputs(request, code)
    names = areas_by_code({r.tambon_code for r in rows})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("Demand")[:31])
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEEEEE", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    title = f"{_('Demand the programmes could meet')} · {area.display_name} · {_('Fiscal year')} {year}"
    sheet.write(0, 0, title + (f" · {body.name}" if body else ""), book.add_format({"bold": True, "font_size": 13}))
    for col, text in enumerate(HEADERS):
        sheet.write(2, col, _(text), head)
    for n, r in enumerate(rows, start=3):
        p = r.programme
        tambon = names.get(r.tambon_code)
        sheet.write_string(n, 0, p.code if p else "")
        sheet.write_string(n, 1, p.name if p else _("No programme takes these items"))
        sheet.write_string(n, 2, p.body.name if p else "")
        sheet.write_string(n, 3, r.tambon_code)
        sheet.write_string(n, 4, tambon.display_name if tambon else "")
        sheet.write_number(n, 5, r.items)
        sheet.write_number(n, 6, r.households)
        sheet.write_number(n, 7, float(r.asked), money)
        sheet.write_number(n, 8, r.with_evidence)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)
    book.close()
    audit_record(
        actor=actor_from_request(request),
        action=Action.EXPORT,
        object_type="agency_demand",
        object_id=area.code,
        area_code=area.code,
        detail={"fiscal_year": year, "body": body.pk if body else None, "rows": len(rows)},
    )
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="demand-{area.code}-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
