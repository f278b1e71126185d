"""What a run is asked for (:class:`DemoOptions`) and what it reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.core.thai import Month
from chumchon.demo.users import DemoLogin

DEFAULT_PROVINCE = "37"
DEFAULT_HOUSEHOLDS = 1000  # ~340,000 account lines: 15–30 s on SQLite here (see ledger_entries_insert)
DEFAULT_MONTHS = 12
DEFAULT_SEED = 1


@dataclass(frozen=True)
class DemoOptions:
    end: Month
    province: str = DEFAULT_PROVINCE
    households: int = DEFAULT_HOUSEHOLDS
    months: int = DEFAULT_MONTHS
    seed: int = DEFAULT_SEED

    @property
    def first(self) -> Month:
        return self.end.add(1 - self.months)


@dataclass(frozen=True)
class DemoCounts:
    villages: int = 0
    households: int = 0
    members: int = 0
    debts: int = 0
    ledger_entries: int = 0
    users: int = 0
    organisations: int = 0
    surveyed: int = 0  # households with a needs survey
    target: int = 0  # households failing a dimension and holding the welfare card
    duplicates: int = 0  # candidate pairs waiting for review

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class DemoResult:
    counts: DemoCounts  # what this run created
    logins: list[DemoLogin]
    province: Area


def default_end(today: dt.date | None = None) -> Month:
    """The last complete month before today."""
    return Month.of(today or timezone.localdate()).previous()
