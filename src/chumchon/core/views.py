"""Error pages and small site-wide views. Error pages are Thai first and reveal nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from chumchon.core.guide import guide_html

# Under /api/ the answers are JSON, in the API's error shape, even for a URL no API
# operation matches (a path parameter with a "/" in it, a stray trailing slash).
API_PREFIX = "/api/"
API_JSON = "application/json; charset=utf-8"


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The same page for "does not exist" and "not yours": the exception text is never shown.
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "ไม่พบข้อมูล (Not found)"}, status=404, content_type=API_JSON)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "เกิดข้อผิดพลาดในระบบ (Server error)"}, status=500, content_type=API_JSON)
    return render(request, "errors/500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """The Thai guide for tambon officers and volunteers (``docs/guide-th.md``), always in Thai."""
    body, toc = guide_html()
    return render(request, "guide.html", {"guide": mark_safe(body), "toc": toc})  # noqa: S308 - escaped by render_markdown


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG."""
    return redirect(static("chumchon/img/favicon.svg"), permanent=True)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A spreadsheet download of person-level data: never cached, never shown inline."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
