"""Ledger pages: review of the categories suggested for imported lines.

``/ledgers/review/<tambon>/`` lists the tambon's lines waiting for a category, grouped
by the suggestion, each with the suggested category chosen in its drop-down. A line is
confirmed or rejected on its own (HTMX swaps the row; without JavaScript the same
buttons submit the page's form), or every line shown is confirmed at once with the
categories chosen. Tambon staff of that tambon and administrators only; anyone else
gets a 404 and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import areas_qs
from chumchon.ledgers.imports import (
    ReviewError,
    pending_line_confirm,
    pending_line_get_for_user,
    pending_line_reject,
    pending_lines_qs_for_user,
)
from chumchon.ledgers.models import Category, PendingLine
from chumchon.ledgers.selectors import categories_all

SHOWN = 200  # lines on the page at once; confirming them brings up the next ones


@dataclass
class _Row:
    line: PendingLine
    options: list[Category]  # the categories of the kind its money column says


@dataclass
class _Group:
    category: Category | None
    rows: list[_Row] = field(default_factory=list)


def _tambon_or_404(request: HttpRequest, code: str) -> Area:
    """The tambon, when the user may review its lines; 404 otherwise (as if it did not exist)."""
    tambon = areas_qs().filter(code=code, level=Level.TAMBON).first()
    if tambon is None or not can(request.user, Write.LEDGER_REVIEW, tambon.code):
        raise Http404
    return tambon


def _line_or_404(request: HttpRequest, tambon: Area, pk: int) -> PendingLine:
    try:
        line = pending_line_get_for_user(request.user, pk)
    except PendingLine.DoesNotExist:
        raise Http404 from None
    if line.tambon_code != tambon.code:
        raise Http404
    return line


def _choices() -> dict[str, list[Category]]:
    """The categories a line may take, by the money column it came in ("" = any)."""
    categories = list(categories_all())
    return {
        "": categories,
        "income": [c for c in categories if c.kind == "income"],
        "expense": [c for c in categories if c.kind == "expense"],
    }


def _row(request: HttpRequest, tambon: Area, line: PendingLine, *, error: str = "") -> HttpResponse:
    """One line's table row: the HTMX answer to confirming or rejecting it."""
    options = _choices()[line.kind]
    return render(
        request, "ledgers/review_row.html", {"area": tambon, "line": line, "options": options, "error": error}
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, code: str) -> HttpResponse:
    tambon = _tambon_or_404(request, code)
    if request.method == "POST":
        return _submit(request, tambon)
    waiting = (
        pending_lines_qs_for_user(request.user, tambon.code)
        .filter(resolved_at__isnull=True)
        .select_related("household", "suggested_category")
    )
    total = waiting.count()
    lines = list(
        waiting.order_by("suggested_category__sort_order", "suggested_category_id", "household__code", "date", "id")[
            :SHOWN
        ]
    )
    choices = _choices()
    groups: dict[str | None, _Group] = {}
    for line in lines:
        group = groups.setdefault(line.suggested_category_id, _Group(line.suggested_category))
        group.rows.append(_Row(line, choices[line.kind]))
    ordered = [g for key, g in groups.items() if key is not None] + ([groups[None]] if None in groups else [])
    return render(
        request,
        "ledgers/review.html",
        {
            "area": tambon,
            "crumbs": area_breadcrumbs_for_user(request.user, tambon),
            "groups": ordered,
            "shown": len(lines),
            "total": total,
        },
    )


def _submit(request: HttpRequest, tambon: Area) -> HttpResponse:
    """The page's own form (no JavaScript, or "confirm all shown")."""
    actor = actor_from_request(request)
    post = request.POST
    done = 0
    problems: list[str] = []
    if post.get("confirm") or post.get("reject"):
        pks = [post.get("confirm") or post.get("reject") or ""]
    else:
        pks = post.getlist("shown")
    for text in pks:
        if not text.isdigit():
            continue
        line = _line_or_404(request, tambon, int(text))
        try:
            if post.get("reject"):
                pending_line_reject(actor=actor, line=line, reason=post.get(f"reason_{line.pk}", ""))
            else:
                category = post.get(f"category_{line.pk}", "")
                if not category and not post.get("confirm"):
                    continue  # "confirm all": a line left without a category waits
                pending_line_confirm(actor=actor, line=line, category=category)
            done += 1
        except ReviewError as exc:
            problems.append(f"{line.household.code} · {line.item}: {exc}")
    if post.get("reject") and done:
        messages.success(request, _("The line was rejected; it will not be imported again."))
    elif done:
        messages.success(request, _("Confirmed %(n)s lines.") % {"n": done})
    for problem in problems:
        messages.error(request, problem)
    return redirect("ledgers:review", code=tambon.code)


@require_POST
def review_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tambon = _tambon_or_404(request, code)
    line = _line_or_404(request, tambon, pk)
    try:
        pending_line_confirm(
            actor=actor_from_request(request), line=line, category=request.POST.get(f"category_{pk}", "")
        )
    except ReviewError as exc:
        if request.headers.get("HX-Request"):
            return _row(request, tambon, line, error=str(exc))
        messages.error(request, str(exc))
        return redirect("ledgers:review", code=tambon.code)
    if request.headers.get("HX-Request"):
        return _row(request, tambon, _line_or_404(request, tambon, pk))
    messages.success(request, _("Confirmed %(n)s lines.") % {"n": 1})
    return redirect("ledgers:review", code=tambon.code)


@require_POST
def review_reject(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    tambon = _tambon_or_404(request, code)
    line = _line_or_404(request, tambon, pk)
    try:
        pending_line_reject(actor=actor_from_request(request), line=line, reason=request.POST.get(f"reason_{pk}", ""))
    except ReviewError as exc:
        if request.headers.get("HX-Request"):
            return _row(request, tambon, line, error=str(exc))
        messages.error(request, str(exc))
        return redirect("ledgers:review", code=tambon.code)
    if request.headers.get("HX-Request"):
        return _row(request, tambon, _line_or_404(request, tambon, pk))
    messages.success(request, _("The line was rejected; it will not be imported again."))
    return redirect("ledgers:review", code=tambon.code)


urlpatterns: list[URLPattern] = [
    path("review/<str:code>/", review, name="review"),
    path("review/<str:code>/<int:pk>/confirm/", review_confirm, name="review_confirm"),
    path("review/<str:code>/<int:pk>/reject/", review_reject, name="review_reject"),
]
