"""QR codes for printed figures: each points at the live page of its figure.

``live_link("/insights/area/37010101/", {"from": "2024-03", "to": "2024-03"})`` gives the
absolute URL (under ``settings.SITE_URL``) and its QR code as an SVG ``data:`` URL of
shapes only (segno, no text), which WeasyPrint embeds as vectors and CSS sizes: print it
at 15 mm or more so a phone reads it. Made offline; the same URL makes the same code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings


@dataclass(frozen=True)
class LiveLink:
    url: str  # absolute
    qr: str  # data:image/svg+xml,… for an <img>


def absolute_url(path: str, params: Mapping[str, str] | None = None) -> str:
    """``path`` (``/insights/…``) under the site's address, with ``params`` as its query."""
    base = str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    url = base + (path if path.startswith("/") else f"/{path}")
    return f"{url}?{urlencode(params)}" if params else url


@lru_cache(maxsize=1024)
def qr_svg_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG data URL without a fixed size (a viewBox only)."""
    import segno

    code = segno.make(text, error="m", micro=False)
    uri: str = code.svg_data_uri(border=2, omitsize=True, xmldecl=False, svgns=True, nl=False)
    return uri


def live_link(path: str, params: Mapping[str, str] | None = None) -> LiveLink:
    url = absolute_url(path, params)
    return LiveLink(url=url, qr=qr_svg_data_uri(url))
