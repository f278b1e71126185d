"""Writes of the registry. Every function is one transaction, audited, with history."""

from chumchon.registry.services.duplicates import duplicate_resolve, duplicates_scan
from chumchon.registry.services.households import (
    HouseholdInput,
    MemberInput,
    RegistryError,
    household_consent_record,
    household_create,
    household_erase,
    household_export,
    household_update,
    household_verify,
    member_add,
    member_update,
    national_id_reveal,
)
from chumchon.registry.services.indicators import (
    household_indicators_record,
    indicator_edition_activate,
    indicator_editions_load,
)
from chumchon.registry.services.organisations import organisation_create, organisation_membership_set

__all__ = [
    "HouseholdInput",
    "MemberInput",
    "RegistryError",
    "duplicate_resolve",
    "duplicates_scan",
    "household_consent_record",
    "household_create",
    "household_erase",
    "household_export",
    "household_indicators_record",
    "household_update",
    "household_verify",
    "indicator_edition_activate",
    "indicator_editions_load",
    "member_add",
    "member_update",
    "national_id_reveal",
    "organisation_create",
    "organisation_membership_set",
]
