"""Community organisations: a tambon's councils and welfare funds, and which households
belong to them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Level
from chumchon.registry.forms import OrganisationForm
from chumchon.registry.models import Organisation
from chumchon.registry.selectors import organisations_in_tambon, welfare_fund_share_for_user
from chumchon.registry.services import RegistryError, organisation_create, organisation_membership_set
from chumchon.registry.views.common import _household


@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest, code: str) -> HttpResponse:
    tambon = area_or_404(request, code)
    if tambon.level != Level.TAMBON or not scope_of(request.user).can_read_persons_in(tambon.code):
        raise Http404
    can_write = can(request.user, Write.REGISTRY_EDIT, tambon.code)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                organisation_create(actor=actor_from_request(request), tambon=tambon, **form.cleaned_data)
            except RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:organisations", code=tambon.code)
    return render(
        request,
        "registry/organisations.html",
        {
            "area": tambon,
            "crumbs": area_breadcrumbs_for_user(request.user, tambon),
            "organisations": organisations_in_tambon(tambon.code),
            "form": form,
            "can_write": can_write,
            "fund": welfare_fund_share_for_user(request.user, tambon.code),
        },
    )


@require_POST
def organisation_membership(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    organisation_id = request.POST.get("organisation", "")
    organisation = (
        Organisation.objects.filter(pk=int(organisation_id), tambon_id=household.tambon_code).first()
        if organisation_id.isdigit()
        else None
    )
    if organisation is None:
        raise Http404
    try:
        organisation_membership_set(
            actor=actor_from_request(request),
            organisation=organisation,
            household=household,
            member=request.POST.get("member") == "1",
        )
    except RegistryError as exc:
        messages.error(request, str(exc))
    return redirect("registry:detail", pk=household.pk)
