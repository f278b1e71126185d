"""Who may write what, and where: the one table of writes per role.

Every request that may change data (a POST, or any non-GET method) is one of the
:class:`Write` actions below. ``ROLE_WRITES`` lists, for each role, the actions it may
do and how far its reach goes; ``can(user, action, area_code)`` is the single check
every writing view, API operation and service uses. ``WRITE_ENDPOINTS`` names the
action of every URL that accepts a write; the write guard middleware refuses, before
the view runs, a write to any other URL (405) and a write a role may not do anywhere
(403), so a read-only role writes nothing but its own session.

Reading is not here: area scope for reads lives in ``scope.py`` and the entity
selectors (``<entity>_qs_for_user``).
"""

from __future__ import annotations

from enum import StrEnum

from chumchon.access.models import Role
from chumchon.access.scope import scope_of
from chumchon.areas.models import CODE_LENGTH, Level


class Write(StrEnum):
    """A kind of write. The value names it in logs and tests."""

    # One's own account: everyone, logged in or not (login, logout, an API token,
    # the language of the pages).
    OWN_ACCOUNT = "own_account"
    USER_ADMIN = "user_admin"  # users and their assignments
    PROVINCE_SETTINGS = "province_settings"  # zones, village boundaries
    REGISTRY_EDIT = "registry_edit"  # villages, households, members, organisations, duplicates
    NATIONAL_ID_REVEAL = "national_id_reveal"
    HOUSEHOLD_ERASE = "household_erase"
    IMPORT = "import"  # spreadsheets of households, ledgers, areas
    LEDGER_ENTRY = "ledger_entry"  # lines, corrections of one's own lines, business accounts
    LEDGER_CORRECT_OTHERS = "ledger_correct_others"  # correcting lines someone else entered
    LEDGER_REVIEW = "ledger_review"  # confirming imported lines
    MONTH_CLOSE = "month_close"
    STATEMENT_BATCH = "statement_batch"  # household statements of a village (person-level)
    FORUM_PACK_BATCH = "forum_pack_batch"  # forum packs of a tambon's villages
    FORUM_RECORD = "forum_record"  # learning forums: what was found, who came, the pack read
    PLAN_EDIT = "plan_edit"  # community plans: items, evidence, status, certifications
    PROVINCIAL_PLAN = "provincial_plan"  # district, zone and provincial plans' visions and issues; adoptions
    PROGRAMME_EDIT = "programme_edit"  # bodies' programmes and budgets of a province (aggregates only)
    MATCH_RUN = "match_run"  # allocate the programmes' budgets to an area's plan items
    NEGOTIATION_RECORD = "negotiation_record"  # partner negotiation forums, their outcomes, the funding ledger


class Reach(StrEnum):
    EVERYWHERE = "everywhere"  # no area needed
    AREA = "area"  # at or under the area of the assignment
    PROVINCE = "province"  # anywhere in the province of the assignment
    UPPER = "upper"  # the district and province areas at or under the assignment, not a tambon or village


_STAFF_LEDGER = {Write.LEDGER_ENTRY: Reach.AREA}

# The table. A role not listed (or an action missing from its row) may not do it.
ROLE_WRITES: dict[str, dict[Write, Reach]] = {
    Role.ADMIN: dict.fromkeys(Write, Reach.EVERYWHERE),
    Role.PROVINCE_COORDINATOR: {
        Write.OWN_ACCOUNT: Reach.EVERYWHERE,
        Write.PROVINCE_SETTINGS: Reach.PROVINCE,
        Write.STATEMENT_BATCH: Reach.AREA,
        Write.FORUM_PACK_BATCH: Reach.AREA,
        # The provincial team's own forums and plans (the province's, its zones', its
        # districts'), not a tambon's or a village's: those are the tambon's to write.
        Write.FORUM_RECORD: Reach.UPPER,
        Write.PLAN_EDIT: Reach.UPPER,
        Write.PROVINCIAL_PLAN: Reach.AREA,  # visions, strategic issues, adoptions
        Write.PROGRAMME_EDIT: Reach.AREA,
        Write.MATCH_RUN: Reach.AREA,
        Write.NEGOTIATION_RECORD: Reach.AREA,
    },
    Role.DISTRICT_COORDINATOR: {
        Write.OWN_ACCOUNT: Reach.EVERYWHERE,
        Write.STATEMENT_BATCH: Reach.AREA,
        Write.FORUM_PACK_BATCH: Reach.AREA,
        Write.FORUM_RECORD: Reach.UPPER,  # the district's own forums and plan
        Write.PLAN_EDIT: Reach.UPPER,
        Write.PROVINCIAL_PLAN: Reach.AREA,
        Write.MATCH_RUN: Reach.AREA,
        Write.NEGOTIATION_RECORD: Reach.AREA,
    },
    Role.TAMBON_STAFF: {
        Write.OWN_ACCOUNT: Reach.EVERYWHERE,
        Write.PROVINCE_SETTINGS: Reach.AREA,  # the boundaries of their own tambon
        Write.REGISTRY_EDIT: Reach.AREA,
        Write.NATIONAL_ID_REVEAL: Reach.AREA,
        Write.HOUSEHOLD_ERASE: Reach.AREA,
        Write.IMPORT: Reach.AREA,
        Write.LEDGER_REVIEW: Reach.AREA,
        Write.MONTH_CLOSE: Reach.AREA,
        Write.STATEMENT_BATCH: Reach.AREA,
        Write.FORUM_PACK_BATCH: Reach.AREA,
        Write.LEDGER_CORRECT_OTHERS: Reach.AREA,
        Write.FORUM_RECORD: Reach.AREA,
        Write.PLAN_EDIT: Reach.AREA,
        Write.MATCH_RUN: Reach.AREA,  # their tambon's match: try an allocation before the negotiation forum
        Write.NEGOTIATION_RECORD: Reach.AREA,  # the tambon's negotiation forum and what became of each item
        **_STAFF_LEDGER,
    },
    Role.VOLUNTEER: {
        Write.OWN_ACCOUNT: Reach.EVERYWHERE,
        Write.STATEMENT_BATCH: Reach.AREA,
        Write.FORUM_RECORD: Reach.AREA,  # their village's forums
        **_STAFF_LEDGER,
    },
    # Aggregate-only readers: their own account and nothing else.
    Role.AGENCY: {Write.OWN_ACCOUNT: Reach.EVERYWHERE},
}

# A user with no active assignment may still log in and out.
NO_ROLE_WRITES: frozenset[Write] = frozenset({Write.OWN_ACCOUNT})

# The write of every URL that accepts one ("namespace:name" as reversed).
WRITE_ENDPOINTS: dict[str, Write] = {
    "access:login": Write.OWN_ACCOUNT,
    "access:logout": Write.OWN_ACCOUNT,
    "set_language": Write.OWN_ACCOUNT,
    "api:obtain_token": Write.OWN_ACCOUNT,
    "access:user_add": Write.USER_ADMIN,
    "access:user_detail": Write.USER_ADMIN,
    "access:assignment_end": Write.USER_ADMIN,
    "access:user_unlock": Write.USER_ADMIN,  # clear a user's login delays
    "areas:zone_add": Write.PROVINCE_SETTINGS,
    "registry:boundaries": Write.PROVINCE_SETTINGS,
    "areas:village_add": Write.REGISTRY_EDIT,
    "registry:add": Write.REGISTRY_EDIT,
    "registry:edit": Write.REGISTRY_EDIT,
    "registry:member_add": Write.REGISTRY_EDIT,
    "registry:member_edit": Write.REGISTRY_EDIT,
    "registry:verify": Write.REGISTRY_EDIT,
    "registry:consent": Write.REGISTRY_EDIT,
    "registry:household_needs": Write.REGISTRY_EDIT,
    "registry:membership": Write.REGISTRY_EDIT,
    "registry:organisations": Write.REGISTRY_EDIT,
    "registry:duplicates_scan": Write.REGISTRY_EDIT,
    "registry:duplicate_resolve": Write.REGISTRY_EDIT,
    "registry:member_reveal": Write.NATIONAL_ID_REVEAL,
    "registry:erase": Write.HOUSEHOLD_ERASE,
    "imports:page": Write.IMPORT,
    "ledgers:entry_grid": Write.LEDGER_ENTRY,
    "ledgers:entry_correct": Write.LEDGER_ENTRY,
    "ledgers:entry_remove": Write.LEDGER_ENTRY,
    "ledgers:phone_household": Write.LEDGER_ENTRY,
    "ledgers:phone_lines": Write.LEDGER_ENTRY,
    "ledgers:phone_fix": Write.LEDGER_ENTRY,
    "ledgers:enterprises": Write.LEDGER_ENTRY,
    "ledgers:enterprise": Write.LEDGER_ENTRY,
    "ledgers:review": Write.LEDGER_REVIEW,
    "ledgers:review_confirm": Write.LEDGER_REVIEW,
    "ledgers:review_reject": Write.LEDGER_REVIEW,
    "ledgers:month_status": Write.MONTH_CLOSE,
    "ledgers:village_statements": Write.STATEMENT_BATCH,
    "insights:forum_batch": Write.FORUM_PACK_BATCH,
    # Forums and plans (plans/views.py, plans/api.py)
    "plans:forum_add": Write.FORUM_RECORD,
    "plans:forum_edit": Write.FORUM_RECORD,
    "plans:forum_finding": Write.FORUM_RECORD,
    "plans:forum_question": Write.FORUM_RECORD,
    "plans:forum_file": Write.FORUM_RECORD,
    "plans:item_add": Write.PLAN_EDIT,
    "plans:item_edit": Write.PLAN_EDIT,
    "plans:item_status": Write.PLAN_EDIT,
    "plans:item_evidence": Write.PLAN_EDIT,
    "plans:merge": Write.PLAN_EDIT,
    "plans:certify": Write.PLAN_EDIT,
    "plans:provincial": Write.PROVINCIAL_PLAN,
    "plans:zone_forum_add": Write.FORUM_RECORD,
    "plans:zone_item_add": Write.PLAN_EDIT,
    "plans:zone_certify": Write.PLAN_EDIT,
    "plans:zone_provincial": Write.PROVINCIAL_PLAN,
    "matching:area": Write.MATCH_RUN,
    "matching:negotiations": Write.NEGOTIATION_RECORD,
    "matching:negotiation_outcome": Write.NEGOTIATION_RECORD,
    "matching:match_step": Write.NEGOTIATION_RECORD,
    "matching:calendar": Write.NEGOTIATION_RECORD,
    "plans:item_adoption": Write.PROVINCIAL_PLAN,
    "api:add_plan_item_evidence": Write.PLAN_EDIT,
    "api:set_plan_item_status": Write.PLAN_EDIT,
}


def _reaches(reach: Reach, assigned: str | None, area_code: str | None) -> bool:
    if reach == Reach.EVERYWHERE:
        return True
    if assigned is None or area_code is None:
        return False
    if reach == Reach.PROVINCE:
        return area_code.startswith(assigned[:2])
    if reach == Reach.UPPER:
        return area_code.startswith(assigned) and len(area_code) <= CODE_LENGTH[Level.DISTRICT]
    return area_code.startswith(assigned)


def can(user: object, action: Write, area_code: str | None = None) -> bool:
    """May ``user`` do ``action`` in ``area_code``? (``None``: an action with no area,
    e.g. user administration.) Assignments count on today's date in Bangkok."""
    action = Write(action)
    if action in NO_ROLE_WRITES:
        return True
    scope = scope_of(user)
    if scope.is_admin:
        return True
    for role, assigned in scope.assignments:
        reach = ROLE_WRITES.get(role, {}).get(action)
        if reach is not None and _reaches(reach, assigned, area_code):
            return True
    return False


def can_anywhere(user: object, action: Write) -> bool:
    """Does any of ``user``'s roles allow ``action`` in some area? (The guard's
    pre-check: a role that may never do it is refused before any lookup.)"""
    action = Write(action)
    if action in NO_ROLE_WRITES:
        return True
    scope = scope_of(user)
    return scope.is_admin or any(action in ROLE_WRITES.get(role, {}) for role, _ in scope.assignments)


def writable_areas(user: object, action: Write) -> frozenset[str] | None:
    """The area codes under which ``user`` may do ``action``; ``None`` means everywhere."""
    action = Write(action)
    scope = scope_of(user)
    if scope.is_admin or action in NO_ROLE_WRITES:
        return None
    codes: set[str] = set()
    for role, assigned in scope.assignments:
        reach = ROLE_WRITES.get(role, {}).get(action)
        if reach == Reach.EVERYWHERE:
            return None
        if reach is not None and assigned is not None:
            codes.add(assigned[:2] if reach == Reach.PROVINCE else assigned)
    return frozenset(codes)
