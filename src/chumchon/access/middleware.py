"""Every page needs a logged-in user, except the few listed here.

The API authenticates its own requests (bearer tokens) and static files are public.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

PUBLIC_PREFIXES = ("/api/", "/static/", "/i18n/", "/healthz", "/favicon.ico")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            not request.user.is_authenticated
            and not path.startswith(PUBLIC_PREFIXES)
            and path != reverse(settings.LOGIN_URL)
        ):
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/"


class WriteGuardMiddleware:
    """Refuse, before the view runs, a write the permissions table does not allow.

    A non-GET request to a URL missing from ``WRITE_ENDPOINTS`` answers 405 (a view
    that accepts writes must be declared there); one whose action none of the user's
    roles may do anywhere answers 403 with the Thai "not allowed" page, so read-only
    roles write nothing. The area of a write is checked by the view with ``can``.
    The API authenticates inside django-ninja, so for API writes only the declaration
    is checked here; each operation calls ``can`` itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        from chumchon.access.permissions import WRITE_ENDPOINTS, can_anywhere

        if request.method in SAFE_METHODS:
            return None
        match = request.resolver_match
        action = WRITE_ENDPOINTS.get(match.view_name) if match is not None else None
        api = request.path_info.startswith(API_PREFIX)
        if action is None:
            if api:
                return JsonResponse({"detail": "ไม่รองรับวิธีนี้ (Method not allowed)"}, status=405)
            return HttpResponseNotAllowed(["GET"])
        if not api and not can_anywhere(request.user, action):
            raise PermissionDenied(action.value)
        return None
