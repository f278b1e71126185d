from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from chumchon.access.forms import AuditFilterForm, LoginForm
from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.selectors import audit_events_filtered, audit_events_qs_for_user
from chumchon.access.services import audit_record, login_failure_record, login_is_locked, login_success_record
from chumchon.access.web import actor_from_request


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
        username = form.cleaned_data["username"]
        actor = actor_from_request(request)
        if login_is_locked(username=username, ip=actor.ip):
            error = _("Too many failed attempts. Please wait 15 minutes and try again.")
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                login_failure_record(username=username, actor=actor)
                error = _("Wrong username or password.")
                status = 200
            else:
                login(request, user)
                login_success_record(user=user, actor=actor_from_request(request, user))
                return redirect(next_url or "areas:home")
    return render(request, "access/login.html", {"form": form, "error": error, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            actor=actor_from_request(request), action=Action.LOGOUT, object_type="user", object_id=request.user.pk
        )
    logout(request)
    return redirect("access:login")


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
