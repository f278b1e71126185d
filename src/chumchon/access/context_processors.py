from __future__ import annotations

from django.http import HttpRequest

from chumchon.access.scope import scope_of


def scope(request: HttpRequest) -> dict[str, object]:
    return {"scope": scope_of(getattr(request, "user", None))}
