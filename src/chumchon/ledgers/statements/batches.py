"""Reads for the village batches of household statements (``StatementBatch``): the one
scoped pair, and where a batch's PDF is.

A batch belongs to the person who asked for it and is theirs only while its village is
still in their person-level scope; anyone else — another officer of the same tambon
included — gets the same answer as for a batch that does not exist.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from chumchon.access.scope import scope_of
from chumchon.areas.models import Area
from chumchon.ledgers.models import StatementBatch


def statement_batches_qs_for_user(user: object) -> QuerySet[StatementBatch]:
    """The user's own batches, of villages still in their person-level scope."""
    user_id = getattr(user, "pk", None)
    if user_id is None:  # not ``user=None``: that would match the batches of deleted users
        return StatementBatch.objects.none()
    person_q = scope_of(user).person_q(prefix="village__", village_field="code")
    return StatementBatch.objects.filter(person_q, user_id=user_id).select_related("village")


def statement_batch_get_for_user(user: object, token: str) -> StatementBatch:
    """``StatementBatch.DoesNotExist`` for a batch that is not the user's to see."""
    return statement_batches_qs_for_user(user).get(token=token)


def statement_batches_recent_for_user(user: object, village: Area, *, limit: int = 5) -> list[StatementBatch]:
    return list(statement_batches_qs_for_user(user).filter(village=village).order_by("-created_at", "-id")[:limit])


def statement_batch_dir() -> Path:
    """The private directory of the batches' PDFs (never served as static or media)."""
    path = Path(settings.VAR_DIR) / "statements"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def statement_batch_pdf_path(batch: StatementBatch) -> Path | None:
    return statement_batch_dir() / batch.pdf_name if batch.pdf_name else None


def statement_batch_pdf_available(batch: StatementBatch) -> bool:
    """Done, and its PDF not yet deleted."""
    path = statement_batch_pdf_path(batch)
    return batch.status == StatementBatch.Status.DONE and path is not None and path.is_file()
