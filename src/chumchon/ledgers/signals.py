"""Signals of the ledgers app: how the apps above learn of a write without the ledgers
importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of every write of the rollups (``rollups._bump_version``),
# after it; no arguments. A receiver that acts on the new data schedules its work with
# ``transaction.on_commit``.
rollups_changed = Signal()
