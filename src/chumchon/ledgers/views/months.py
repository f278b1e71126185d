"""Ledger pages: data completeness per village and month, and closing a month."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Level
from chumchon.core.thai import Month, months_between
from chumchon.ledgers.selectors import completeness_for_user
from chumchon.ledgers.services import LedgerError, month_close, month_has_ended, month_reopen


def _lang() -> str:
    return "th" if (translation.get_language() or "th").startswith("th") else "en"


def _span(request: HttpRequest) -> list[Month]:
    """Twelve months ending with ``?to=`` (default: this month)."""
    try:
        end = Month.parse(request.GET["to"]) if request.GET.get("to") else Month.of(timezone.localdate())
    except ValueError:
        end = Month.of(timezone.localdate())
    return months_between(end.add(-11), end)


def completeness(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    months = _span(request)
    rows = completeness_for_user(request.user, area, months)
    return render(
        request,
        "ledgers/completeness.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "months": months,
            "month_heads": [(m, m.label(lang=_lang(), full=False)) for m in months],
            "rows": rows,
            "can_close": area.level in (Level.TAMBON, Level.VILLAGE)
            and can(request.user, Write.MONTH_CLOSE, area.code),
            "closable": {m.iso() for m in months if month_has_ended(m.first_day)},
            "previous": months[0].add(-1).iso(),
            "next": months[-1].add(12).iso() if months[-1] < Month.of(timezone.localdate()) else "",
        },
    )


@require_POST
def month_status(request: HttpRequest, code: str, month: str) -> HttpResponse:
    village = area_or_404(request, code)
    if village.level != Level.VILLAGE or not can(request.user, Write.MONTH_CLOSE, village.code):
        raise Http404
    try:
        first = Month.parse(month).first_day
    except ValueError:
        raise Http404 from None
    try:
        if request.POST.get("action") == "reopen":
            month_reopen(
                actor=actor_from_request(request), village=village, month=first, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Month reopened."))
        else:
            month_close(actor=actor_from_request(request), village=village, month=first)
            messages.success(request, _("Month closed."))
    except LedgerError as exc:
        messages.error(request, str(exc))
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if safe:
        return redirect(back)
    return redirect("ledgers:completeness", code=village.tambon_code or village.code)


urlpatterns: list[URLPattern] = [
    path("completeness/<str:code>/", completeness, name="completeness"),
    path("months/<str:code>/<str:month>/", month_status, name="month_status"),
]
