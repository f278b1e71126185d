"""Registry pages: households and members, verification, needs, privacy, duplicates,
organisations. Every page reads through the scoped selectors; out of scope is a 404.

One module per family of pages: ``lists`` (household list, needs dashboard,
verification report, the list's spreadsheet: ``exports``), ``search`` (the top search box), ``household`` (one household, its members, verification visit,
needs survey), ``privacy`` (consent, reveal, export, erase), ``duplicates``,
``community`` (organisations), ``maps`` (the map, boundaries); ``common`` holds the
scoped household lookup and the current indicators they share."""

from chumchon.registry.views.community import organisation_membership, organisations
from chumchon.registry.views.duplicates import duplicate_resolve_view, duplicates_queue, duplicates_scan_view
from chumchon.registry.views.household import (
    household_add,
    household_detail,
    household_edit,
    household_needs,
    household_verify_view,
    member_edit,
)
from chumchon.registry.views.lists import household_list, household_list_xlsx, needs_dashboard, verification_report
from chumchon.registry.views.maps import DIMENSION_LEGEND, area_map, boundaries_upload
from chumchon.registry.views.privacy import (
    household_consent_view,
    household_erase_view,
    household_export_view,
    member_reveal,
)
from chumchon.registry.views.search import household_search

__all__ = [
    "DIMENSION_LEGEND",
    "area_map",
    "boundaries_upload",
    "duplicate_resolve_view",
    "duplicates_queue",
    "duplicates_scan_view",
    "household_add",
    "household_consent_view",
    "household_detail",
    "household_edit",
    "household_erase_view",
    "household_export_view",
    "household_list",
    "household_list_xlsx",
    "household_needs",
    "household_search",
    "household_verify_view",
    "member_edit",
    "member_reveal",
    "needs_dashboard",
    "organisation_membership",
    "organisations",
    "verification_report",
]
