"""Forum-pack pages: the pack of a village or tambon as PDF or spreadsheet, and the
background batch of every village of a tambon with its progress and zip download.

Scope goes through ``access.selectors.area_get_for_user``: an area out of scope is the
same 404 as one that does not exist, and so is a level without packs (district,
province). A pack holds aggregates only; for an aggregate-only reader the dashboard
hides every cell under 5 households. Every download is audited ("export"); a refusal
writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.areas.models import Area, Level
from chumchon.core.thai import Month, months_between
from chumchon.core.worker import start_background_worker
from chumchon.insights.forum.batch import (
    BatchRefused,
    batch_villages,
    forum_batch_check_interrupted,
    forum_batch_filename,
    forum_batch_get_for_user,
    forum_batch_record_download,
    forum_batch_start,
    forum_batch_zip_available,
    forum_batch_zip_path,
    forum_batches_recent_for_user,
    forum_pack_record_export,
)
from chumchon.insights.forum.pack import PACK_LEVELS, ForumPack, InternalNotAllowed, forum_pack_build
from chumchon.insights.forum.pdf import forum_pack_filename, forum_pack_pdf
from chumchon.insights.forum.xlsx import forum_pack_xlsx
from chumchon.insights.models import ForumBatch
from chumchon.ledgers.selectors import area_default_month, area_months_with_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PICKER_MONTHS = 24


def _pack_area(request: HttpRequest, code: str, *, levels: tuple[str, ...] = PACK_LEVELS) -> Area:
    area = area_or_404(request, code)
    if area.level not in levels:
        raise Http404
    return area


def default_month(area_code: str) -> Month:
    """The area's last closed month, else its last complete one (``ledgers.selectors.
    area_default_month``, the one definition every default uses)."""
    return area_default_month(area_code).month


def _month(request: HttpRequest, area: Area) -> Month:
    text = request.GET.get("month") or request.POST.get("month") or ""
    if not text:
        return default_month(area.code)
    try:
        return Month.parse(text)
    except ValueError:
        raise BadRequest("month") from None


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


def _download(data: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pack(request: HttpRequest, area: Area, month: Month) -> ForumPack:
    """The public pack; ``?internal=1`` the internal copy, for a reader with person-level
    access to the area only (404 for anyone else, as for an area out of scope)."""
    internal = request.GET.get("internal") == "1"
    try:
        return forum_pack_build(area, month, user=request.user, lang=_lang(), internal=internal)
    except InternalNotAllowed:
        raise Http404 from None


@require_GET
def forum_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """``?month=YYYY-MM`` (BE or CE year); by default the area's last closed or complete month."""
    area = _pack_area(request, code)
    month = _month(request, area)
    pack = _pack(request, area, month)
    pdf, pages = forum_pack_pdf(pack)
    forum_pack_record_export(
        actor=actor_from_request(request), area=area, month=month, fmt="pdf", pages=pages, internal=pack.internal
    )
    return _download(pdf, "application/pdf", forum_pack_filename(pack, "pdf"), inline=True)


@require_GET
def forum_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    area = _pack_area(request, code)
    month = _month(request, area)
    pack = _pack(request, area, month)
    data = forum_pack_xlsx(pack)
    forum_pack_record_export(
        actor=actor_from_request(request), area=area, month=month, fmt="xlsx", internal=pack.internal
    )
    return _download(data, XLSX, forum_pack_filename(pack, "xlsx"), inline=False)


def _month_choices(area: Area, month: Month) -> list[Month]:
    first, last = area_months_with_data(area.code)
    high = max(m for m in (last, month, Month.of(timezone.localdate()).previous()) if m is not None)
    low = max(min(m for m in (first, month, high) if m is not None), high.add(1 - PICKER_MONTHS))
    choices = list(reversed(months_between(low, high)))
    if month not in choices:
        choices.insert(0, month)
    return choices


@require_http_methods(["GET", "POST"])
def forum_batch(request: HttpRequest, code: str) -> HttpResponse:
    """The packs of every village of a tambon: GET shows the form and the user's recent
    batches, POST queues a batch and goes to its progress page."""
    tambon = _pack_area(request, code, levels=(Level.TAMBON,))
    if request.method == "POST" and not can(request.user, Write.FORUM_PACK_BATCH, tambon.code):
        # Packs are printed by the area's staff; an aggregate-only reader may download
        # a pack (a GET) but not start a batch (a row and a background job).
        raise PermissionDenied
    month = _month(request, tambon)
    if request.method == "POST":
        try:
            batch = forum_batch_start(actor=actor_from_request(request), tambon=tambon, month=month, lang=_lang())
        except BatchRefused:
            messages.error(request, _("This tambon has no village with registered households."))
            return redirect(f"{reverse('insights:forum_batch', args=[tambon.code])}?month={month.iso()}")
        if not batch.is_finished:
            start_background_worker()
        return redirect("insights:forum_batch_status", token=batch.token)
    batches = [forum_batch_check_interrupted(b) for b in forum_batches_recent_for_user(request.user, tambon)]
    return render(
        request,
        "insights/forum/batch_start.html",
        {
            "area": tambon,
            "crumbs": area_breadcrumbs_for_user(request.user, tambon),
            "month": month,
            "months": _month_choices(tambon, month),
            "villages": batch_villages(tambon, month),
            "batches": batches,
        },
    )


def _batch(request: HttpRequest, token: str) -> ForumBatch:
    try:
        batch = forum_batch_get_for_user(request.user, token)
    except ForumBatch.DoesNotExist:
        raise Http404 from None
    return forum_batch_check_interrupted(batch)


def _batch_context(batch: ForumBatch) -> dict[str, object]:
    return {
        "batch": batch,
        "batch_month": Month.of(batch.month),
        "zip_available": forum_batch_zip_available(batch),
    }


@require_GET
def forum_batch_status(request: HttpRequest, token: str) -> HttpResponse:
    batch = _batch(request, token)
    return render(
        request,
        "insights/forum/batch_status.html",
        {
            **_batch_context(batch),
            "area": batch.tambon,
            "crumbs": area_breadcrumbs_for_user(request.user, batch.tambon),
        },
    )


@require_GET
def forum_batch_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The progress block alone, polled by the status page until the batch ends."""
    batch = _batch(request, token)
    if batch.status == ForumBatch.Status.QUEUED:
        start_background_worker()  # e.g. the process that queued it has since restarted
    return render(request, "insights/forum/_batch_progress.html", _batch_context(batch))


@require_GET
def forum_batch_zip(request: HttpRequest, token: str) -> FileResponse:
    batch = _batch(request, token)
    if not forum_batch_zip_available(batch):
        raise Http404
    forum_batch_record_download(actor=actor_from_request(request), batch=batch)
    response = FileResponse(
        forum_batch_zip_path(batch).open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=forum_batch_filename(batch),
    )
    response["Cache-Control"] = "private, no-store"
    return response
