"""One household: its page, registering and editing it and its members, recording a
verification visit and the needs survey."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Level
from chumchon.areas.selectors import areas_qs
from chumchon.registry.forms import ConsentForm, HouseholdForm, MemberForm, NeedsForm, VerifyForm
from chumchon.registry.services import (
    HouseholdInput,
    MemberInput,
    RegistryError,
    household_create,
    household_indicators_record,
    household_update,
    household_verify,
    member_add,
    member_update,
)
from chumchon.registry.views.common import _current_indicators, _household


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household",
        object_id=household.pk,
        area_code=household.village_id,
    )
    can_write = can(request.user, Write.REGISTRY_EDIT, household.village_id)
    answers = {a.indicator_id: a.failed for a in household.indicators.all()}
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "members": list(household.members.all()),
            "debts": list(household.debts.all()),
            "needs": [(i, answers.get(i.pk)) for i in _current_indicators()],
            "organisations": list(household.memberships.filter(left_on__isnull=True).select_related("organisation")),
            "changes": list(household.changes.select_related("by")[:20]) if can_write else [],
            "can_write": can_write,
            "can_enter_ledger": can(request.user, Write.LEDGER_ENTRY, household.village_id),
            "verify_form": VerifyForm(),
            "consent_form": ConsentForm(initial={"consent": household.consent}),
        },
    )


def _village_choices(tambon_code: str) -> list[tuple[str, str]]:
    return [(v.code, v.display_name) for v in areas_qs().filter(parent_id=tambon_code).order_by("village_no")]


@require_http_methods(["GET", "POST"])
def household_add(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in (Level.TAMBON, Level.VILLAGE) or not can(request.user, Write.REGISTRY_EDIT, area.code):
        raise Http404
    tambon_code = area.tambon_code or area.code
    form = HouseholdForm(request.POST or None, villages=_village_choices(tambon_code), initial={"village": area.code})
    head = MemberForm(request.POST or None, prefix="head", initial={"is_head": True, "relation": "หัวหน้าครัวเรือน"})
    if request.method == "POST" and form.is_valid() and head.is_valid():
        data = form.cleaned_data
        head_data = {k: v for k, v in head.cleaned_data.items() if k not in ("status",)}
        head_data["is_head"] = True
        try:
            household = household_create(
                actor=actor_from_request(request),
                data=HouseholdInput(
                    code=data["code"],
                    village=areas_qs().get(code=data["village"]),
                    house_no=data["house_no"],
                    lat=data["lat"],
                    lon=data["lon"],
                    occupation_group=data["occupation_group"],
                    welfare_card=data["welfare_card"],
                    housing=data["housing"],
                    land_tenure=data["land_tenure"],
                    origin=request.POST.get("origin", "tambon")
                    if request.POST.get("origin") in ("tambon", "field")
                    else "tambon",
                    members=[MemberInput(**head_data)],
                ),
            )
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
            return redirect("registry:detail", pk=household.pk)
    return render(
        request,
        "registry/household_form.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
            "form": form,
            "head": head,
        },
    )


@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    initial = {
        f: getattr(household, f)
        for f in ("code", "house_no", "occupation_group", "welfare_card", "housing", "land_tenure", "lat", "lon")
    }
    initial["village"] = household.village_id
    form = HouseholdForm(request.POST or None, villages=_village_choices(household.tambon_code), initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k not in ("code", "village")}
        if form.cleaned_data["village"] != household.village_id:
            changes["village"] = areas_qs().get(code=form.cleaned_data["village"])
        try:
            household_update(
                actor=actor_from_request(request),
                household=household,
                changes=changes,
                note=request.POST.get("note", ""),
            )
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:detail", pk=household.pk)
    return render(
        request,
        "registry/household_edit.html",
        {
            "household": household,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_id: int | None = None) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    member = None
    if member_id is not None:
        member = household.members.filter(pk=member_id).first()
        if member is None:
            raise Http404
    initial = {}
    if member is not None:
        initial = {f: getattr(member, f) for f in MemberForm.base_fields if f != "national_id"}
    form = MemberForm(request.POST or None, initial=initial)
    if member is not None:
        form.fields["is_head"].disabled = True
        form.fields["national_id"].help_text = _("Leave empty to keep the number on record (%(masked)s).") % {
            "masked": member.national_id_masked or "—"
        }
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actor = actor_from_request(request)
        try:
            if member is None:
                data.pop("status", None)
                member_add(actor=actor, household=household, data=MemberInput(**data))
            else:
                data.pop("is_head", None)
                if not data.get("national_id"):
                    data.pop("national_id", None)
                member_update(actor=actor, member=member, changes=data)
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:detail", pk=household.pk)
    return render(
        request,
        "registry/member_form.html",
        {
            "household": household,
            "member": member,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "form": form,
        },
    )


@require_POST
def household_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you found."))
        return redirect("registry:detail", pk=household.pk)
    corrections: dict[str, Any] = {}
    if form.cleaned_data["house_no"]:
        corrections["house_no"] = form.cleaned_data["house_no"]
    if form.cleaned_data["welfare_card"]:
        corrections["welfare_card"] = form.cleaned_data["welfare_card"] == "yes"
    try:
        household_verify(
            actor=actor_from_request(request),
            household=household,
            outcome=form.cleaned_data["outcome"],
            corrections=corrections or None,
            note=form.cleaned_data["note"],
        )
    except RegistryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Verification recorded."))
    return redirect("registry:detail", pk=household.pk)


@require_http_methods(["GET", "POST"])
def household_needs(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=Write.REGISTRY_EDIT)
    indicators = _current_indicators()
    form = NeedsForm(request.POST or None, indicators=indicators, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_indicators_record(
                actor=actor_from_request(request), household=household, answers=form.cleaned_data
            )
        except RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Needs survey saved."))
            return redirect("registry:detail", pk=household.pk)
    return render(
        request,
        "registry/needs_form.html",
        {
            "household": household,
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "form": form,
        },
    )
