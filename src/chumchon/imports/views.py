from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chumchon.access.models import Action
from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import areas_qs
from chumchon.core.worker import start_background_worker
from chumchon.imports.forms import ImportForm
from chumchon.imports.models import ImportJob
from chumchon.imports.selectors import import_job_get_for_user, import_jobs_recent
from chumchon.imports.services import (
    MAX_UPLOAD_BYTES,
    UploadRefused,
    import_job_check_interrupted,
    import_job_create,
)
from chumchon.imports.workbooks import FILENAMES, template_workbook
from chumchon.ledgers.imports import pending_lines_count

SHOWN_ERRORS = 100
FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _tambon_or_404(request: HttpRequest, code: str) -> Area:
    """The tambon, when the user may import into it; 404 otherwise (as if it did not exist)."""
    tambon = areas_qs().filter(code=code, level=Level.TAMBON).first()
    if tambon is None or not can(request.user, Write.IMPORT, tambon.code):
        raise Http404
    return tambon


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return import_job_get_for_user(request.user, pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, code: str) -> HttpResponse:
    tambon = _tambon_or_404(request, code)
    if request.method == "POST" and _content_length(request) > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        # Refused from its Content-Length: the body is never read, let alone spooled.
        form = ImportForm()
        form.full_clean()  # an unbound form: no errors, no cleaned data
        form.cleaned_data = {}
        form.add_error("file", _("The file is larger than 50 MB."))
        status = 413
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
        status = 200
    if request.method == "POST" and status == 200 and form.is_valid():
        try:
            job = import_job_create(
                actor=actor_from_request(request),
                tambon=tambon,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                lang=get_language() or "th",
            )
        except UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            if not job.is_finished:
                start_background_worker()
            return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/import_page.html",
        {
            "area": tambon,
            "crumbs": area_breadcrumbs_for_user(request.user, tambon),
            "form": form,
            "jobs": import_jobs_recent(request.user, tambon.code),
            "kinds": ImportJob.Kind.choices,
        },
        status=status,
    )


def _context(job: ImportJob) -> dict[str, object]:
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    errors = [{**e, "message": e.get(lang) or e.get("th", "")} for e in job.errors[:SHOWN_ERRORS]]
    waiting = (
        pending_lines_count(job.tambon_id)
        if job.kind == ImportJob.Kind.LEDGERS and job.status == ImportJob.Status.DONE
        else 0
    )
    return {
        "job": job,
        "waiting": waiting,
        "errors": errors,
        "more_errors": max(job.error_count - len(errors), 0),
        "many_sheets": len({e.get("sheet", "") for e in job.errors}) > 1,
        "warnings": [w.get(lang) or w.get("th", "") for w in job.warnings],
    }


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_check_interrupted(_job_or_404(request, pk))
    context = {
        **_context(job),
        "area": job.tambon,
        "crumbs": area_breadcrumbs_for_user(request.user, job.tambon, include_self=True),
    }
    return render(request, "imports/job_detail.html", context)


@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled every second by the job page until it ends."""
    job = import_job_check_interrupted(_job_or_404(request, pk))
    if job.status == ImportJob.Status.QUEUED:
        start_background_worker()  # e.g. the process that queued it has since restarted
    return render(request, "imports/_progress.html", _context(job))


@require_GET
def job_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    job = _job_or_404(request, pk)
    stored = job.error_report if fmt == "xlsx" else job.error_report_csv
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        # The row survived without its file (e.g. a restore without var/'s files).
        return render(request, "errors/file_missing.html", status=404)
    audit_record(
        actor=actor_from_request(request),
        action=Action.EXPORT,
        object_type="import_job",
        object_id=job.pk,
        area_code=job.tambon_id,
        detail={"what": "error report", "format": fmt},
    )
    stem = job.filename.rsplit(".", 1)[0] or "import"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else "text/csv"
    return FileResponse(handle, as_attachment=True, filename=f"{stem}-errors.{fmt}", content_type=content_type)


@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportJob.Kind.values:
        raise Http404
    response = HttpResponse(
        template_workbook(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{FILENAMES[ImportJob.Kind(kind)]}"'
    return response
