"""A household's personal data: consent, revealing a national ID, exporting and erasing
the record."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.permissions import Write
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request
from chumchon.registry.forms import ConsentForm, EraseForm
from chumchon.registry.services import household_consent_record, household_erase, household_export, national_id_reveal
from chumchon.registry.views.common import _household


@require_POST
def household_consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    form = ConsentForm(request.POST)
    if form.is_valid():
        household_consent_record(
            actor=actor_from_request(request),
            household=household,
            consent=form.cleaned_data["consent"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Consent recorded."))
    return redirect("registry:detail", pk=household.pk)


@require_POST
def member_reveal(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    household = _household(request, pk, write=Write.NATIONAL_ID_REVEAL)
    member = household.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    full = national_id_reveal(actor=actor_from_request(request), member=member)
    response = HttpResponse(f'<span class="mono revealed">{full}</span>')
    response["Cache-Control"] = "no-store"
    return response


def household_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    document = household_export(actor=actor_from_request(request), household=household)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def household_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.HOUSEHOLD_ERASE)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"].strip() != household.code:
            form.add_error("confirm", _("The code does not match."))
        else:
            village = household.village_id
            household_erase(actor=actor_from_request(request), household=household, reason=form.cleaned_data["reason"])
            messages.success(request, _("The household's personal data was erased."))
            return redirect("registry:list", code=village)
    return render(
        request,
        "registry/erase.html",
        {
            "household": household,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "form": form,
        },
    )
