"""What every web page that takes an area code in its URL shares."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chumchon.areas.models import Area
from chumchon.areas.selectors import area_get_for_user


def area_or_404(request: HttpRequest, code: str) -> Area:
    """The area if the user may see it; otherwise the same 404 as a code that does not exist."""
    try:
        return area_get_for_user(request.user, code)
    except Area.DoesNotExist:
        raise Http404 from None
