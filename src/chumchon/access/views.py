from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.forms import AssignmentForm, AuditFilterForm, LoginForm, UserForm
from chumchon.access.models import Action, Assignment, User
from chumchon.access.permissions import Write, can
from chumchon.access.scope import scope_of
from chumchon.access.selectors import (
    admin_overview_for_user,
    audit_events_filtered,
    audit_events_qs_for_user,
    login_throttles_for_username,
    user_get_for_user,
    users_qs_for_user,
)
from chumchon.access.services import (
    AccessError,
    assignment_create,
    assignment_end,
    audit_record,
    user_create,
)
from chumchon.access.throttle import LoginFailed, LoginRefused, login_authenticate, login_throttles_clear
from chumchon.access.web import actor_from_request
from chumchon.areas.selectors import area_by_code


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = login_authenticate(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                actor=actor_from_request(request),
            )
        except LoginRefused as exc:
            error, status = str(exc), 429
        except LoginFailed as exc:
            error = str(exc)
        else:
            login(request, user)
            # An administrator has no area of their own: their first page is the overview
            # of users, roles and the audit log, not the country's first province.
            default = "access:overview" if scope_of(user).is_admin else "areas:home"
            return redirect(next_url or default)
    return render(request, "access/login.html", {"form": form, "error": error, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            actor=actor_from_request(request), action=Action.LOGOUT, object_type="user", object_id=request.user.pk
        )
    logout(request)
    return redirect("access:login")


def admin_overview(request: HttpRequest) -> HttpResponse:
    try:
        overview = admin_overview_for_user(request.user)
    except User.DoesNotExist:
        raise Http404 from None
    return render(request, "access/overview.html", {"overview": overview})


def audit_log(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).is_admin:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    qs = audit_events_qs_for_user(request.user)
    if form.is_valid():
        qs = audit_events_filtered(qs, **form.cleaned_data)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "access/audit.html", {"form": form, "page": page, "query": query.urlencode()})


def _admin_only(request: HttpRequest) -> None:
    if not can(request.user, Write.USER_ADMIN):
        raise Http404


def user_list(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    query = request.GET.get("q", "").strip()
    qs = users_qs_for_user(request.user)
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "access/users.html", {"page": page, "q": query, "query": f"q={query}" if query else ""})


@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(actor=actor_from_request(request), **form.cleaned_data)
        except AccessError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("User %(name)s created. Now give them a role and an area.") % {"name": user.username}
            )
            return redirect("access:user_detail", pk=user.pk)
    return render(request, "access/user_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    try:
        target = user_get_for_user(request.user, pk)
    except User.DoesNotExist:
        raise Http404 from None
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["area"].strip()
        area = area_by_code(code) if code else None
        if code and area is None:
            form.add_error("area", _("No area has this code."))
        else:
            try:
                assignment_create(
                    user=target,
                    role=form.cleaned_data["role"],
                    area=area,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    actor=actor_from_request(request),
                )
            except AccessError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Assignment added."))
                return redirect("access:user_detail", pk=target.pk)
    assignments = target.assignments.select_related("area").order_by("-starts_on", "role")
    return render(
        request,
        "access/user_detail.html",
        {
            "target": target,
            "assignments": assignments,
            "form": form,
            "today": timezone.localdate(),
            "throttles": login_throttles_for_username(target.get_username()),
            "now": timezone.now(),
        },
    )


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear the user's login delays (audited)."""
    _admin_only(request)
    try:
        target = user_get_for_user(request.user, pk)
    except User.DoesNotExist:
        raise Http404 from None
    login_throttles_clear(username=target.get_username(), actor=actor_from_request(request))
    messages.success(request, _("Login delays cleared."))
    return redirect("access:user_detail", pk=target.pk)


@require_POST
def assignment_end_view(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    _admin_only(request)
    try:
        target = user_get_for_user(request.user, pk)
        assignment = target.assignments.get(pk=assignment_id)
    except (User.DoesNotExist, Assignment.DoesNotExist):
        raise Http404 from None
    try:
        assignment_end(actor=actor_from_request(request), assignment=assignment, ends_on=timezone.localdate())
    except AccessError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assignment ended today."))
    return redirect("access:user_detail", pk=target.pk)
