"""The tambon's to-do list (``insights.todo``): a page of its own, and the block the
tambon page loads into itself (HTMX; without JavaScript the tambon page links here)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import area_or_404
from chumchon.areas.models import Level
from chumchon.insights.todo import tambon_todo_for_user


@require_GET
def tambon_todo(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level != Level.TAMBON:
        raise Http404
    context = {"area": area, "items": tambon_todo_for_user(request.user, area)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "insights/_todo.html", context)
    if not context["items"]:  # a reader who may act on nothing here has no to-do page
        raise Http404
    return render(
        request,
        "insights/todo.html",
        {**context, "crumbs": area_breadcrumbs_for_user(request.user, area)},
    )
