"""Signals of the registry app: how the apps above learn of a write without the
registry importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of every write of households or their debts
# (``versions.registry_touch``), after it; ``provinces``: the codes written. A receiver
# that acts on the new data schedules its work with ``transaction.on_commit``.
registry_changed = Signal()
