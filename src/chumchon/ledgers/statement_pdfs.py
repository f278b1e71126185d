"""Household statements as PDF: one household within the request, a village in the background.

Laying out one statement page takes WeasyPrint about 0.5–0.7 s on an office PC, so a
village of 150 reporting households is 1½–2 minutes of work: too long for a request.
A village batch is therefore a background task (django-tasks, run by the in-process
worker of ``chumchon.imports.worker`` or a ``chumchon db_worker``) with progress the
page polls, unless it is small (``IN_REQUEST_LIMIT`` households), when the request
renders it itself.

A batch is kept as two files in a private directory (``$CHUMCHON_VAR/statements``,
never served as static or media): ``<token>.json``, the job (who asked, which
village, period and households, status and progress), written atomically, and
``<token>.pdf`` once done. Only the person who asked may see or download a batch,
and only while the village is still in their scope. Batches older than
``BATCH_KEEP`` are deleted when a new one starts: the files hold personal data.
(A database table, as the imports have, would do as well; the files keep this
feature free of a migration for now.)

Every page must be exactly one sheet. The lists on a statement are capped (see
``statements.common``), so they fit; should a page still run over, the document is laid
out again in the compact style.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area
from chumchon.core.pdf import document_pdf, new_font_config, render_html_document
from chumchon.core.thai import Month
from chumchon.ledgers.statements import Period, Statement, statements_build
from chumchon.registry.models import Household

logger = logging.getLogger(__name__)

TEMPLATE = "ledgers/statement_pdf.html"
STYLESHEETS = ("ledgers/statement.css",)
IN_REQUEST_LIMIT = 12  # households a request lays out itself (well under 20 s)
CHUNK = 10  # households laid out together in a batch, between progress updates
BATCH_KEEP = dt.timedelta(hours=24)
TOKEN_RE = re.compile(r"[0-9a-f]{32}")
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def _html(statements: Sequence[Statement], *, title: str, compact: bool) -> str:
    with translation.override("th"):
        html = render_to_string(TEMPLATE, {"statements": statements, "title": title, "compact": compact, "pdf": True})
    # Line breaks between tags only make text boxes for WeasyPrint to lay out; a space
    # that matters (``</b> <span>``) is kept on its line in the templates.
    return _BETWEEN_TAGS.sub("><", html)


def statements_document(statements: Sequence[Statement], *, title: str = "", font_config: Any = None) -> Any:
    """The laid-out document (WeasyPrint), one page per statement."""
    font_config = font_config or new_font_config()
    document = render_html_document(
        _html(statements, title=title, compact=False), stylesheets=STYLESHEETS, font_config=font_config
    )
    if len(document.pages) != len(statements):
        logger.warning(
            "statements ran over one page each (%s pages, %s households)", len(document.pages), len(statements)
        )
        document = render_html_document(
            _html(statements, title=title, compact=True), stylesheets=STYLESHEETS, font_config=font_config
        )
    return document


def statements_pdf(statements: Sequence[Statement], *, title: str = "") -> bytes:
    return document_pdf(statements_document(statements, title=title))


def statement_filename(code: str, period: Period) -> str:
    safe = re.sub(r"[^0-9A-Za-z_-]+", "-", code).strip("-") or "household"
    return f"statement-{safe}-{period.slug}.pdf"


# --- village batches -----------------------------------------------------------------


class BatchNotFound(LookupError):
    """No such batch, or not one this user may see (the same answer)."""


@dataclass(frozen=True)
class StatementBatch:
    token: str
    user_id: int | None
    village_code: str
    period: dict[str, str]  # Period.params
    household_ids: list[int] = field(default_factory=list)
    status: str = "queued"  # queued, running, done, failed
    done: int = 0
    created_at: str = ""
    finished_at: str = ""
    failure: str = ""  # an exception's class name only

    @property
    def total(self) -> int:
        return len(self.household_ids)

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def period_obj(self) -> Period:
        return Period.from_params(self.period, default=Month.of(timezone.localdate()))

    @property
    def created(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.created_at) if self.created_at else None


def batch_dir() -> Path:
    path = Path(settings.VAR_DIR) / "statements"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def batch_pdf_path(batch: StatementBatch) -> Path:
    return batch_dir() / f"{batch.token}.pdf"


def _manifest(token: str) -> Path:
    if not TOKEN_RE.fullmatch(token):
        raise BatchNotFound(token)
    return batch_dir() / f"{token}.json"


def _write(batch: StatementBatch) -> None:
    target = _manifest(batch.token)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(batch), fh, ensure_ascii=False)
    os.replace(tmp, target)


def _read(token: str) -> StatementBatch:
    try:
        data = json.loads(_manifest(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BatchNotFound(token) from None
    return StatementBatch(**data)


def _sweep(now: dt.datetime) -> None:
    """Delete batches older than BATCH_KEEP (both files)."""
    cutoff = (now - BATCH_KEEP).timestamp()
    for path in batch_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # pragma: no cover - raced by another sweep
            pass


def statement_batch_start(
    *, actor: Actor, village: Area, period: Period, households: Sequence[Household]
) -> StatementBatch:
    """Queue the PDF of these households' statements (the caller scoped them). With the
    immediate task backend (tests) it is made before this returns."""
    now = timezone.now()
    _sweep(now)
    batch = StatementBatch(
        token=secrets.token_hex(16),
        user_id=actor.user.pk if actor.user is not None else None,
        village_code=village.code,
        period=period.params,
        household_ids=[h.pk for h in households],
        created_at=now.isoformat(),
    )
    _write(batch)
    run_statement_batch.enqueue(batch.token)
    return _read(batch.token)


def statement_batch_get_for_user(user: object, token: str) -> StatementBatch:
    """A batch the user asked for, in a village still in their person-level scope."""
    batch = _read(token)
    if batch.user_id is None or batch.user_id != getattr(user, "pk", None):
        raise BatchNotFound(token)
    if not scope_of(user).can_read_persons_in(batch.village_code):
        raise BatchNotFound(token)
    return batch


def statement_batches_recent_for_user(user: object, village_code: str, *, limit: int = 5) -> list[StatementBatch]:
    out = []
    for path in sorted(batch_dir().glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            batch = statement_batch_get_for_user(user, path.stem)
        except BatchNotFound:
            continue
        if batch.village_code == village_code:
            out.append(batch)
        if len(out) >= limit:
            break
    return out


def statements_pdf_for(
    households: Sequence[Household], period: Period, *, title: str = "", progress: Any = None
) -> tuple[bytes, int]:
    """The PDF of these households' statements, laid out CHUNK at a time (memory stays
    flat-ish and ``progress(done)`` can be reported); returns (pdf, pages)."""
    font_config = new_font_config()
    documents: list[Any] = []
    pages: list[Any] = []
    for i in range(0, len(households), CHUNK):
        chunk = statements_build(list(households[i : i + CHUNK]), period)
        document = statements_document(chunk, title=title, font_config=font_config)
        documents.append(document)
        pages.extend(document.pages)
        if progress is not None:
            progress(i + len(chunk))
    if not documents:
        return statements_pdf([], title=title), 0
    # WeasyPrint's documented way of joining documents: copy the first with every page.
    # The documents stay referenced until written (their fonts are in use).
    return documents[0].copy(pages).write_pdf(), len(pages)


def statement_batch_run(token: str) -> StatementBatch:
    """Lay out a queued batch, reporting progress, then write its PDF."""
    batch = _read(token)
    if batch.status != "queued":
        return batch
    batch = replace(batch, status="running")
    _write(batch)
    started = time.monotonic()
    try:
        period = batch.period_obj
        by_id = Household.objects.select_related("village").in_bulk(batch.household_ids)
        households = [by_id[pk] for pk in batch.household_ids if pk in by_id]

        def progress(done: int) -> None:
            nonlocal batch
            batch = replace(batch, done=done)
            _write(batch)

        pdf, pages = statements_pdf_for(
            households, period, title=f"รู้จักตัวเอง {batch.village_code} {period.label}", progress=progress
        )
        target = batch_pdf_path(batch)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, target)
        logger.info("statement batch %s: %s pages in %.1f s", token, pages, time.monotonic() - started)
        batch = replace(batch, status="done", done=batch.total, finished_at=timezone.now().isoformat())
    except Exception as exc:
        logger.exception("statement batch %s failed", token)
        batch = replace(
            batch, status="failed", failure=type(exc).__name__[:200], finished_at=timezone.now().isoformat()
        )
        _write(batch)
        raise
    _write(batch)
    return batch


@task()
def run_statement_batch(token: str) -> str:
    return statement_batch_run(token).status


def statement_batch_record_download(*, actor: Actor, batch: StatementBatch) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="household_statements",
        object_id=batch.village_code,
        area_code=batch.village_code,
        detail={"period": batch.period, "households": batch.household_ids, "batch": batch.token},
    )
