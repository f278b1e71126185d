"""Likely duplicate people: the queue, a scan, and merging or dismissing a candidate."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.access.permissions import Write, writable_areas
from chumchon.access.web import actor_from_request
from chumchon.registry.models import Member
from chumchon.registry.selectors import duplicates_open_for_user
from chumchon.registry.services import RegistryError, duplicate_resolve, duplicates_scan


def duplicates_queue(request: HttpRequest) -> HttpResponse:
    if writable_areas(request.user, Write.REGISTRY_EDIT) == frozenset():
        raise Http404
    page = Paginator(duplicates_open_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "registry/duplicates.html", {"page": page})


@require_POST
def duplicates_scan_view(request: HttpRequest) -> HttpResponse:
    """Look for likely duplicates in the tambons the user keeps (admins: ?area=CODE)."""
    areas = writable_areas(request.user, Write.REGISTRY_EDIT)
    codes = sorted(areas or ())
    if areas is None and request.POST.get("area", "").isdigit():  # everywhere: an administrator
        codes = [request.POST["area"]]
    if not codes:
        raise Http404
    found = sum(duplicates_scan(area_code=code) for code in codes)
    messages.success(request, _("%(n)s new possible duplicates found.") % {"n": found})
    return redirect("registry:duplicates")


@require_POST
def duplicate_resolve_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = duplicates_open_for_user(request.user).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404
    action = request.POST.get("action")
    keep: Member | None = None
    if action == "merge":
        keep_id = request.POST.get("keep")
        keep = next(
            (m for m in (candidate.member_a, candidate.member_b) if m is not None and str(m.pk) == keep_id), None
        )
    try:
        duplicate_resolve(actor=actor_from_request(request), candidate=candidate, merge=action == "merge", keep=keep)
    except RegistryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merged.") if action == "merge" else _("Marked as different people."))
    return redirect("registry:duplicates")
