"""Registry pages: households and members, verification, needs, privacy, duplicates,
organisations. Every page reads through the scoped selectors; out of scope is a 404."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area, Level, under_q
from chumchon.areas.selectors import area_breadcrumbs_for_user
from chumchon.areas.services import AreaError, boundaries_import
from chumchon.areas.web import area_or_404
from chumchon.core import maps
from chumchon.registry.forms import (
    ConsentForm,
    EraseForm,
    HouseholdForm,
    MemberForm,
    NeedsForm,
    OrganisationForm,
    VerifyForm,
)
from chumchon.registry.models import Dimension, Household, Indicator, IndicatorEdition, Member, Organisation
from chumchon.registry.selectors import (
    duplicates_open_for_user,
    household_filter_q,
    household_get_for_user,
    household_points_for_user,
    households_in_area_for_user,
    needs_summary_for_user,
    organisations_in_tambon,
    verification_report_for_user,
    village_figures_for_user,
    welfare_fund_share_for_user,
)
from chumchon.registry.services import (
    HouseholdInput,
    MemberInput,
    RegistryError,
    duplicate_resolve,
    duplicates_scan,
    household_consent_record,
    household_create,
    household_erase,
    household_export,
    household_indicators_record,
    household_update,
    household_verify,
    member_add,
    member_update,
    national_id_reveal,
    organisation_create,
    organisation_membership_set,
)


def _household(request: HttpRequest, pk: int, *, write: bool = False) -> Household:
    try:
        household = household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None
    if write and not scope_of(request.user).can_write_registry_in(household.village_id):
        raise Http404
    return household


def _current_indicators() -> list[Indicator]:
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    return list(edition.indicators.order_by("sort_order")) if edition else []


# --- lists and figures ---------------------------------------------------------------


def household_list(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # aggregate-only roles: no person-level list, same answer as missing
    filters: dict[str, Any] = {
        "dimension": request.GET.get("dimension", ""),
        "indicator": int(request.GET["indicator"]) if request.GET.get("indicator", "").isdigit() else None,
        "target": request.GET.get("target") == "1",
        "verification": request.GET.get("verification", ""),
    }
    try:
        q = household_filter_q(**filters)
    except ValueError:
        raise Http404 from None
    qs = households_in_area_for_user(request.user, area.code).filter(q).distinct()
    qs = qs.select_related("village").prefetch_related("members")
    page = Paginator(qs.order_by("village_id", "code"), 50).get_page(request.GET.get("page"))
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household_list",
        area_code=area.code,
        detail={
            "page": page.number,
            "ids": [h.pk for h in page.object_list],
            "filters": {k: v for k, v in filters.items() if v},
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/household_list.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "can_write": scope_of(request.user).can_write_registry_in(area.code),
        },
    )


def needs_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    summary = needs_summary_for_user(request.user, area.code)
    return render(
        request,
        "registry/needs.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "summary": summary,
            "fund": welfare_fund_share_for_user(request.user, area.code),
            "can_read_persons": scope_of(request.user).can_read_persons_in(area.code),
            "dimensions": [(d.value, d.label, summary.by_dimension[d.value]) for d in Dimension],
        },
    )


def verification_report(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        raise Http404  # per-village progress is close to person-level: not for agencies
    return render(
        request,
        "registry/verification.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "report": verification_report_for_user(request.user, area.code),
        },
    )


# --- one household -----------------------------------------------------------------


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    audit_record(
        actor=actor_from_request(request),
        action=Action.VIEW,
        object_type="household",
        object_id=household.pk,
        area_code=household.village_id,
    )
    can_write = scope_of(request.user).can_write_registry_in(household.village_id)
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
            "can_enter_ledger": scope_of(request.user).can_write_ledger_in(household.village_id),
            "verify_form": VerifyForm(),
            "consent_form": ConsentForm(initial={"consent": household.consent}),
        },
    )


def _village_choices(tambon_code: str) -> list[tuple[str, str]]:
    return [(v.code, v.display_name) for v in Area.objects.filter(parent_id=tambon_code).order_by("village_no")]


@require_http_methods(["GET", "POST"])
def household_add(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in (Level.TAMBON, Level.VILLAGE) or not scope_of(request.user).can_write_registry_in(area.code):
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
                    village=Area.objects.get(code=data["village"]),
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
    household = _household(request, pk, write=True)
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
            changes["village"] = Area.objects.get(code=form.cleaned_data["village"])
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
    household = _household(request, pk, write=True)
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
    household = _household(request, pk, write=True)
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


@require_POST
def household_consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=True)
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


@require_http_methods(["GET", "POST"])
def household_needs(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=True)
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


@require_POST
def member_reveal(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    household = _household(request, pk, write=True)
    member = household.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    full = national_id_reveal(actor=actor_from_request(request), member=member)
    response = HttpResponse(f'<span class="mono revealed">{full}</span>')
    response["Cache-Control"] = "no-store"
    return response


def household_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=True)
    document = household_export(actor=actor_from_request(request), household=household)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def household_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, write=True)
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


# --- duplicates and organisations ----------------------------------------------------


def duplicates_queue(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.registry_write or scope.is_admin):
        raise Http404
    page = Paginator(duplicates_open_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "registry/duplicates.html", {"page": page})


@require_POST
def duplicates_scan_view(request: HttpRequest) -> HttpResponse:
    """Look for likely duplicates in the tambons the user keeps (admins: ?area=CODE)."""
    scope = scope_of(request.user)
    codes = sorted(scope.registry_write)
    if scope.is_admin and request.POST.get("area", "").isdigit():
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


@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest, code: str) -> HttpResponse:
    tambon = area_or_404(request, code)
    if tambon.level != Level.TAMBON or not scope_of(request.user).can_read_persons_in(tambon.code):
        raise Http404
    can_write = scope_of(request.user).can_write_registry_in(tambon.code)
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
    household = _household(request, pk, write=True)
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


# --- the map -----------------------------------------------------------------------


def area_map(request: HttpRequest, code: str) -> HttpResponse:
    """Tambon staff see their households as points coloured by the dimensions they
    fail; everyone else sees households per village as bubbles."""
    area = area_or_404(request, code)
    scope = scope_of(request.user)
    shapes = [
        maps.Shape(geometry=v.boundary, title=v.display_name, href=reverse("areas:detail", args=[v.code]))
        for v in Area.objects.filter(under_q(area.code), level=Level.VILLAGE, boundary__isnull=False)
        if v.boundary
    ]
    if area.boundary and not shapes:
        shapes = [maps.Shape(geometry=area.boundary, title=area.display_name)]
    persons = scope.can_read_persons_in(area.code) and area.level in (Level.TAMBON, Level.VILLAGE)
    if persons:
        points = [
            maps.Point(
                lon=p.lon, lat=p.lat, colour=maps.DIMENSION_COLOURS[min(p.dimensions_failed, 5)], radius=4.5,
                title=f"{p.code}", href=reverse("registry:detail", args=[p.pk]),
            )
            for p in household_points_for_user(request.user, area.code)
        ]  # fmt: skip
        legend = [
            maps.LegendItem(colour=c, label=label)
            for c, label in zip(maps.DIMENSION_COLOURS, DIMENSION_LEGEND, strict=False)
        ]
        mode = "households"
    else:
        figures = [
            f for f in village_figures_for_user(request.user, area.code) if f.lat is not None and f.lon is not None
        ]
        largest = max((f.households or 0 for f in figures), default=0)
        points = []
        for f in figures:
            share = (f.target or 0) / f.households if f.households else 0
            colour = maps.DIMENSION_COLOURS[0 if share < 0.1 else 2 if share < 0.3 else 4]
            n = f.households
            points.append(
                maps.Point(
                    lon=f.lon or 0, lat=f.lat or 0, colour=colour, radius=maps.bubble_radius(n or 4, largest or 1),
                    title=f"{f.village.display_name}: {'<5' if n is None else n}",
                    href=reverse("areas:detail", args=[f.village.code]),
                )
            )  # fmt: skip
        legend = [
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[0], label=_("under 10 percent target households")),
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[2], label=_("10–30 percent target households")),
            maps.LegendItem(colour=maps.DIMENSION_COLOURS[4], label=_("30 percent or more target households")),
        ]
        mode = "villages"
    picture = maps.draw(shapes=shapes, points=points, legend=legend, label=area.display_name)
    return render(
        request,
        "registry/map.html",
        {
            "area": area,
            "crumbs": area_breadcrumbs_for_user(request.user, area),
            "picture": picture,
            "mode": mode,
            "count": len(points),
            "has_boundaries": bool(shapes),
            "can_upload": scope.can_write_registry_in(area.code) or scope.can_manage_province(area.code),
        },
    )


DIMENSION_LEGEND = [
    gettext_lazy("fails no dimension"),
    gettext_lazy("fails 1 dimension"),
    gettext_lazy("fails 2 dimensions"),
    gettext_lazy("fails 3 dimensions"),
    gettext_lazy("fails 4 dimensions"),
    gettext_lazy("fails all 5 dimensions"),
]


@require_http_methods(["GET", "POST"])
def boundaries_upload(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    scope = scope_of(request.user)
    if not (scope.can_write_registry_in(area.code) or scope.can_manage_province(area.code)):
        raise Http404
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a GeoJSON file.")
        elif (upload.size or 0) > 50 * 1024 * 1024:
            error = _("The file is larger than 50 MB.")
        else:
            try:
                document = json.loads(upload.read().decode("utf-8-sig"))
                result = boundaries_import(actor=actor_from_request(request), within=area, document=document)
            except (UnicodeDecodeError, json.JSONDecodeError):
                error = _("This is not a GeoJSON file (JSON could not be read).")
            except AreaError as exc:
                error = str(exc)
    return render(
        request,
        "registry/boundaries.html",
        {"area": area, "crumbs": area_breadcrumbs_for_user(request.user, area), "result": result, "error": error},
    )
