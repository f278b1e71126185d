"""Helpers for the web and API edges: who is acting, from where."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chumchon.access.models import User
from chumchon.access.selectors import area_get_for_user
from chumchon.access.services import Actor
from chumchon.areas.models import Area


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a trusted proxy
    # rewrites it, and throttling must not be bypassable by a header.
    return request.META.get("REMOTE_ADDR") or None


def actor_from_request(request: HttpRequest, user: User | None = None) -> Actor:
    who = user if user is not None else getattr(request, "user", None)
    return Actor(
        user=who if who is not None and who.is_authenticated else None,
        ip=client_ip(request),
        path=request.get_full_path()[:300],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def actor_from_search(request: HttpRequest, masked_query: str) -> Actor:
    """The actor of a request whose query string may hold a national ID (a search):
    its path is recorded with ``q`` as ``masked_query`` and nothing else of the query
    string — the audit log never holds an ID in clear."""
    actor = actor_from_request(request)
    query = request.GET.copy()
    if "q" in query:
        query["q"] = masked_query
    path = request.path + (f"?{query.urlencode()}" if query else "")
    return Actor(user=actor.user, ip=actor.ip, path=path[:300], user_agent=actor.user_agent)


# What every web page that takes an area code in its URL shares.
def area_or_404(request: HttpRequest, code: str) -> Area:
    """The area if the user may see it; otherwise the same 404 as a code that does not exist."""
    try:
        return area_get_for_user(request.user, code)
    except Area.DoesNotExist:
        raise Http404 from None
