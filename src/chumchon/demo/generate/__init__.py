"""Generate (or reset) the demo province in one transaction.

Order of work: villages for every tambon that has none; households spread over the
villages (the demo users' tambons and village always get a good share), each with its
registry record (:mod:`chumchon.demo.records`: verification, housing, members' schooling,
work and health, a few people recorded twice); the demo users (who verified the
records of their tambons); members with encrypted national IDs; debts; the account
lines, household by household, written in batches through
:func:`chumchon.demo.ledger.ledger_entries_insert`; the needs survey, answered from
each household's circumstances and its year of accounts (:mod:`chumchon.demo.needs`),
with the dimension flags set as the indicator service sets them; each tambon's
council and welfare fund with their member households; the province's duplicates
scan fills the review queue; last, the demo tambon's learning forums and community
plans, its tambon plan and the province's people's plan (:mod:`chumchon.demo.plans`),
read from the accounts just written.
"""

from chumchon.demo.generate.insert import ledgers_insert, organisations_insert, registry_insert, survey_insert
from chumchon.demo.generate.options import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_MONTHS,
    DEFAULT_PROVINCE,
    DEFAULT_SEED,
    DemoCounts,
    DemoOptions,
    DemoResult,
    default_end,
)
from chumchon.demo.generate.plan import allocate, national_ids_assign, plans_build, records_plan
from chumchon.demo.generate.province import demo_households, demo_reset, province_counts
from chumchon.demo.generate.run import check_ready, demo_generate

__all__ = [
    "DEFAULT_HOUSEHOLDS",
    "DEFAULT_MONTHS",
    "DEFAULT_PROVINCE",
    "DEFAULT_SEED",
    "DemoCounts",
    "DemoOptions",
    "DemoResult",
    "allocate",
    "check_ready",
    "default_end",
    "demo_generate",
    "demo_households",
    "demo_reset",
    "ledgers_insert",
    "national_ids_assign",
    "organisations_insert",
    "plans_build",
    "province_counts",
    "records_plan",
    "registry_insert",
    "survey_insert",
]
