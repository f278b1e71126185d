"""The access matrix: every role × every scoped endpoint × targets in and out of scope.

The matrix is generated: roles, endpoints and targets are crossed by parametrisation,
and ``test_every_url_is_classified`` fails when a URL is added to the project without
being placed in this matrix or explicitly declared as not area-scoped. The expected
answer comes from an independent oracle (official codes nest by prefix), not from the
selectors under test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from chumchon.access.models import AuditEvent, Role
from chumchon.access.permissions import ROLE_WRITES, WRITE_ENDPOINTS
from chumchon.access.services import Actor, token_issue
from chumchon.areas.models import Area, Zone
from chumchon.imports.models import ImportJob
from chumchon.ledgers.models import Enterprise, LedgerEntry, MonthStatusChange
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.matching.models import Body, BudgetCalendar, Match, MatchRun, MatchStep, Negotiation
from chumchon.plans.models import Certification, Evidence, Finding, Forum, ForumFile, Plan, PlanItem
from chumchon.registry.models import Household, HouseholdChange, Organisation, OrganisationMembership
from tests import factories

pytestmark = pytest.mark.django_db

# Target villages: the user's own village, a sibling village, another tambon of the same
# district, another district of the same province, another province.
TARGET_VILLAGES = ["37010101", "37010102", "37010201", "37020101", "34010101"]
MISSING_ID = 987654321


@dataclass(frozen=True)
class RoleCase:
    key: str
    role: str | None
    area: str | None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    @property
    def active(self) -> bool:
        today = timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (self.ends_on is None or self.ends_on >= today)


TODAY = timezone.localdate()  # scope uses the date in Bangkok
ROLES = [
    RoleCase("admin", Role.ADMIN, None),
    RoleCase("province", Role.PROVINCE_COORDINATOR, "37"),
    RoleCase("district", Role.DISTRICT_COORDINATOR, "3701"),
    RoleCase("tambon", Role.TAMBON_STAFF, "370101"),
    RoleCase("volunteer", Role.VOLUNTEER, "37010101"),
    RoleCase("agency", Role.AGENCY, "37"),
    RoleCase("agency-national", Role.AGENCY, None),
    RoleCase("tambon-expired", Role.TAMBON_STAFF, "370101", ends_on=TODAY - dt.timedelta(days=1)),
    RoleCase("tambon-future", Role.TAMBON_STAFF, "370101", starts_on=TODAY + dt.timedelta(days=1)),
    RoleCase("no-assignment", None, None),
]


# --- the oracle ----------------------------------------------------------------------


def covers(case: RoleCase, area_code: str) -> bool:
    return case.area is None or area_code.startswith(case.area)


def may_read_persons(case: RoleCase, area_code: str) -> bool:
    if not case.active or case.role is None:
        return False
    if case.role == Role.ADMIN:
        return True
    if case.role == Role.AGENCY:
        return False
    return covers(case, area_code)


def may_read_aggregates(case: RoleCase, area_code: str) -> bool:
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or covers(case, area_code)


def may_write_ledger(case: RoleCase, area_code: str) -> bool:
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or (case.role in (Role.TAMBON_STAFF, Role.VOLUNTEER) and covers(case, area_code))


def may_correct_others_lines(case: RoleCase, area_code: str) -> bool:
    """Correcting a line someone else entered (the world's lines are entered by nobody
    here): staff and administrators; a volunteer corrects only their own."""
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or (case.role == Role.TAMBON_STAFF and covers(case, area_code))


def may_write_registry(case: RoleCase, area_code: str) -> bool:
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or (case.role == Role.TAMBON_STAFF and covers(case, area_code))


def may_act_in_tambon(case: RoleCase, tambon_code: str) -> bool:
    """The tambon's to-do list: for who may act there — its staff and administrators (a
    volunteer acts in a village and does not open the tambon's pages)."""
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or (case.role == Role.TAMBON_STAFF and covers(case, tambon_code))


def may_record_forum(case: RoleCase, area_code: str) -> bool:
    """Forums: tambon staff of the tambon, a volunteer of the village, administrators."""
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or (case.role in (Role.TAMBON_STAFF, Role.VOLUNTEER) and covers(case, area_code))


def may_write_provincial_plan(case: RoleCase, area_code: str) -> bool:
    """District, zone and provincial plans and their adoptions: the coordinators of the
    area and administrators."""
    if not case.active or case.role is None:
        return False
    if case.role == Role.ADMIN:
        return True
    return case.role in (Role.PROVINCE_COORDINATOR, Role.DISTRICT_COORDINATOR) and covers(case, area_code)


def may_write_upper(case: RoleCase, area_code: str) -> bool:
    """The forums and plans of a district, a zone (its province's code) or a province
    itself: their coordinators and administrators — not a tambon or village under them,
    which are the tambon's to write."""
    if not case.active or case.role is None:
        return False
    if case.role == Role.ADMIN:
        return True
    return (
        case.role in (Role.PROVINCE_COORDINATOR, Role.DISTRICT_COORDINATOR)
        and covers(case, area_code)
        and len(area_code) <= 4
    )


def may_run_match(case: RoleCase, area_code: str) -> bool:
    """A match of an area's items to the programmes: its tambon staff and coordinators."""
    if not case.active or case.role is None:
        return False
    if case.role == Role.ADMIN:
        return True
    roles = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_COORDINATOR, Role.TAMBON_STAFF)
    return case.role in roles and covers(case, area_code)


def may_ever(case: RoleCase, endpoint_name: str) -> bool:
    """Does the permissions table give the role this write anywhere? A write no role of
    the user may ever do is refused up front with 403 (the guard), before any lookup."""
    if not case.active or case.role is None:
        return False
    return case.role == Role.ADMIN or WRITE_ENDPOINTS[endpoint_name] in ROLE_WRITES[case.role]


def _line(household: Household) -> LedgerEntry:
    """The line the world fixture gave each household."""
    return LedgerEntry.objects.filter(household=household, import_key__startswith="matrix-line-").get()


def _reversed_in(area: str) -> bool:
    return LedgerEntry.objects.filter(village_id=area, reverses__isnull=False).exists()


# --- endpoints -----------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    households: dict[str, Household]  # by village code


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name, "namespace:name"
    method: str
    api: bool
    url: Callable[[World, str], str]  # (world, target village) -> URL
    missing_url: Callable[[], str]
    target_area: Callable[[str], str]  # target village -> area whose rule decides
    rule: Callable[[RoleCase, str], bool]
    data: Callable[[str], dict[str, object]] | None = None
    # For writes: did the allowed request take effect? (default: something changed)
    effect: Callable[[str], bool] | None = None


ENDPOINTS = [
    Endpoint(
        "registry:detail", "get", False,
        lambda w, v: reverse("registry:detail", args=[w.households[v].pk]),
        lambda: reverse("registry:detail", args=[MISSING_ID]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "registry:list", "get", False,
        lambda w, v: reverse("registry:list", args=[v]),
        lambda: reverse("registry:list", args=["99999999"]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "registry:list_xlsx", "get", False,
        lambda w, v: reverse("registry:list_xlsx", args=[v]),
        lambda: reverse("registry:list_xlsx", args=["99999999"]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "api:get_household", "get", True,
        lambda w, v: reverse("api:get_household", kwargs={"household_id": w.households[v].pk}),
        lambda: reverse("api:get_household", kwargs={"household_id": MISSING_ID}),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "api:list_categories", "get", True,
        lambda w, v: reverse("api:list_categories") + f"?q=ไข่&household={w.households[v].pk}",
        lambda: reverse("api:list_categories") + f"?q=ไข่&household={MISSING_ID}",
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "api:list_households", "get", True,
        lambda w, v: reverse("api:list_households") + f"?area={v}",
        lambda: reverse("api:list_households") + "?area=99999999",
        lambda v: v, lambda case, area: may_read_aggregates(case, area),
    ),
    Endpoint(
        "areas:detail", "get", False,
        lambda w, v: reverse("areas:detail", args=[v]),
        lambda: reverse("areas:detail", args=["99999999"]),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "api:get_area", "get", True,
        lambda w, v: reverse("api:get_area", kwargs={"code": v}),
        lambda: reverse("api:get_area", kwargs={"code": "99999999"}),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "api:needs_summary", "get", True,
        lambda w, v: reverse("api:needs_summary", kwargs={"code": v}),
        lambda: reverse("api:needs_summary", kwargs={"code": "99999999"}),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "api:area_figures_view", "get", True,
        lambda w, v: reverse("api:area_figures_view", kwargs={"code": v}) + "?from=2023-10&to=2024-09",
        lambda: reverse("api:area_figures_view", kwargs={"code": "99999999"}) + "?from=2023-10&to=2024-09",
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "ledgers:completeness", "get", False,
        lambda w, v: reverse("ledgers:completeness", args=[v]),
        lambda: reverse("ledgers:completeness", args=["99999999"]),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "ledgers:month_status", "post", False,
        lambda w, v: reverse("ledgers:month_status", args=[v, "2024-01"]),
        lambda: reverse("ledgers:month_status", args=["99999999", "2024-01"]),
        lambda v: v, may_write_registry,
        data=lambda v: {"action": "close", "back": "/"},
        effect=lambda area: MonthStatusChange.objects.filter(village_id=area).exists(),
    ),
    Endpoint(
        "registry:needs", "get", False,
        lambda w, v: reverse("registry:needs", args=[v]),
        lambda: reverse("registry:needs", args=["99999999"]),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "registry:verification", "get", False,
        lambda w, v: reverse("registry:verification", args=[v]),
        lambda: reverse("registry:verification", args=["99999999"]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "registry:organisations", "get", False,
        lambda w, v: reverse("registry:organisations", args=[v[:6]]),
        lambda: reverse("registry:organisations", args=["999999"]),
        lambda v: v[:6], may_read_persons,
    ),
    Endpoint(
        "registry:map", "get", False,
        lambda w, v: reverse("registry:map", args=[v]),
        lambda: reverse("registry:map", args=["99999999"]),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "registry:add", "get", False,
        lambda w, v: reverse("registry:add", args=[v]),
        lambda: reverse("registry:add", args=["99999999"]),
        lambda v: v, may_write_registry,
    ),
    *[
        Endpoint(
            f"registry:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"registry:{n}", args=[w.households[v].pk]))(name),
            (lambda n: lambda: reverse(f"registry:{n}", args=[MISSING_ID]))(name),
            lambda v: v, may_write_registry,
        )
        for name in ("edit", "member_add", "household_needs", "export", "erase")
    ],
    Endpoint(
        "registry:member_edit", "get", False,
        lambda w, v: reverse("registry:member_edit", args=[w.households[v].pk, w.households[v].members.first().pk]),
        lambda: reverse("registry:member_edit", args=[MISSING_ID, 1]),
        lambda v: v, may_write_registry,
    ),
    Endpoint(
        "registry:member_reveal", "post", False,
        lambda w, v: reverse("registry:member_reveal", args=[w.households[v].pk, w.households[v].members.first().pk]),
        lambda: reverse("registry:member_reveal", args=[MISSING_ID, 1]),
        lambda v: v, may_write_registry,
        data=lambda v: {},
    ),
    Endpoint(
        "registry:verify", "post", False,
        lambda w, v: reverse("registry:verify", args=[w.households[v].pk]),
        lambda: reverse("registry:verify", args=[MISSING_ID]),
        lambda v: v, may_write_registry,
        data=lambda v: {"outcome": "verified"},
    ),
    Endpoint(
        "registry:consent", "post", False,
        lambda w, v: reverse("registry:consent", args=[w.households[v].pk]),
        lambda: reverse("registry:consent", args=[MISSING_ID]),
        lambda v: v, may_write_registry,
        data=lambda v: {"consent": "given"},
    ),
    Endpoint(
        "registry:membership", "post", False,
        lambda w, v: reverse("registry:membership", args=[w.households[v].pk]),
        lambda: reverse("registry:membership", args=[MISSING_ID]),
        lambda v: v, may_write_registry,
        data=lambda v: {"organisation": Organisation.objects.get(tambon_id=v[:6]).pk if v else 0, "member": "1"},
    ),
    Endpoint(
        "imports:page", "get", False,
        lambda w, v: reverse("imports:page", args=[v[:6]]),
        lambda: reverse("imports:page", args=["999999"]),
        lambda v: v[:6], may_write_registry,
    ),
    *[
        Endpoint(
            f"imports:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"imports:{n}", args=[_import_job(v[:6]).pk]))(name),
            (lambda n: lambda: reverse(f"imports:{n}", args=[MISSING_ID]))(name),
            lambda v: v[:6], may_write_registry,
        )
        for name in ("job", "progress", "errors_xlsx", "errors_csv")
    ],
    Endpoint(
        "ledgers:entry_household", "get", False,
        lambda w, v: reverse("ledgers:entry_household", args=[w.households[v].pk]),
        lambda: reverse("ledgers:entry_household", args=[MISSING_ID]),
        lambda v: v, may_write_ledger,
    ),
    Endpoint(
        "ledgers:entry_grid", "get", False,
        lambda w, v: reverse("ledgers:entry_grid", args=[w.households[v].pk, "2024-03"]),
        lambda: reverse("ledgers:entry_grid", args=[MISSING_ID, "2024-03"]),
        lambda v: v, may_write_ledger,
    ),
    Endpoint(
        "ledgers:entry_grid", "post", False,
        lambda w, v: reverse("ledgers:entry_grid", args=[w.households[v].pk, "2024-03"]),
        lambda: reverse("ledgers:entry_grid", args=[MISSING_ID, "2024-03"]),
        lambda v: v, may_write_ledger,
        data=lambda v: {"key": f"matrix-{v}-0001", "day": "5", "category": "C01", "amount": "10"},
        effect=lambda area: LedgerEntry.objects.filter(village_id=area).exists(),
    ),
    Endpoint(
        "ledgers:entry_correct", "post", False,
        lambda w, v: reverse("ledgers:entry_correct", args=[_line(w.households[v]).pk]),
        lambda: reverse("ledgers:entry_correct", args=[MISSING_ID]),
        lambda v: v, may_correct_others_lines,
        data=lambda v: {"day": "6", "category": "C02", "amount": "12", "reason": "คีย์ผิด"},
        effect=_reversed_in,
    ),
    Endpoint(
        "ledgers:entry_remove", "post", False,
        lambda w, v: reverse("ledgers:entry_remove", args=[_line(w.households[v]).pk]),
        lambda: reverse("ledgers:entry_remove", args=[MISSING_ID]),
        lambda v: v, may_correct_others_lines,
        data=lambda v: {"reason": "คีย์ซ้ำ"},
        effect=_reversed_in,
    ),
    Endpoint(
        "ledgers:phone_household", "get", False,
        lambda w, v: reverse("ledgers:phone_household", args=[w.households[v].pk]),
        lambda: reverse("ledgers:phone_household", args=[MISSING_ID]),
        lambda v: v, may_write_ledger,
    ),
    Endpoint(
        "ledgers:entry_categories", "get", False,
        lambda w, v: reverse("ledgers:entry_categories", args=[w.households[v].pk]) + "?q=ไข่",
        lambda: reverse("ledgers:entry_categories", args=[MISSING_ID]) + "?q=ไข่",
        lambda v: v, may_write_ledger,
    ),
    Endpoint(
        "ledgers:phone_month", "get", False,
        lambda w, v: reverse("ledgers:phone_month", args=[w.households[v].pk, "2024-03"]),
        lambda: reverse("ledgers:phone_month", args=[MISSING_ID, "2024-03"]),
        lambda v: v, may_write_ledger,
    ),
    # Household statements and business accounts (ledgers/views/statements.py).
    *[
        Endpoint(
            f"ledgers:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"ledgers:{n}", args=[w.households[v].pk]) + "?month=2024-01")(name),
            (lambda n: lambda: reverse(f"ledgers:{n}", args=[MISSING_ID]) + "?month=2024-01")(name),
            lambda v: v, may_read_persons,
        )
        for name in ("statement", "statement_pdf", "enterprises")
    ],
    *[
        Endpoint(
            f"ledgers:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"ledgers:{n}", args=[v]) + "?month=2024-01")(name),
            (lambda n: lambda: reverse(f"ledgers:{n}", args=["99999999"]) + "?month=2024-01")(name),
            lambda v: v, may_read_persons,
        )
        for name in ("village_statements", "village_statements_pdf")
    ],
    Endpoint(
        "ledgers:enterprise", "get", False,
        lambda w, v: reverse("ledgers:enterprise", args=[w.households[v].pk, _enterprise(w.households[v]).pk]),
        lambda: reverse("ledgers:enterprise", args=[MISSING_ID, MISSING_ID]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "ledgers:enterprises", "post", False,
        lambda w, v: reverse("ledgers:enterprises", args=[w.households[v].pk]),
        lambda: reverse("ledgers:enterprises", args=[MISSING_ID]),
        lambda v: v, may_write_ledger,
        data=lambda v: {"name": "ทำนา", "season": "นาปี 2567", "area_rai": "5"},
        effect=lambda area: Enterprise.objects.filter(household__village_id=area, name="ทำนา").exists(),
    ),
    Endpoint(
        "ledgers:review", "get", False,
        lambda w, v: reverse("ledgers:review", args=[v[:6]]),
        lambda: reverse("ledgers:review", args=["999999"]),
        lambda v: v[:6], may_write_registry,
    ),
    # Insights (insights/views.py): the dashboard and the figure map are aggregates; the
    # rows behind a figure are person-level (aggregate-only roles: 404).
    Endpoint(
        "insights:dashboard", "get", False,
        lambda w, v: reverse("insights:dashboard", args=[v]) + "?from=2024-01&to=2024-12",
        lambda: reverse("insights:dashboard", args=["99999999"]) + "?from=2024-01&to=2024-12",
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "insights:map", "get", False,
        lambda w, v: reverse("insights:map", args=[v[:6]]) + "?from=2024-01&to=2024-12&figure=income",
        lambda: reverse("insights:map", args=["999999"]) + "?from=2024-01&to=2024-12&figure=income",
        lambda v: v[:6], may_read_aggregates,
    ),
    # The household businesses of a tambon: medians under the small-cell rule, an aggregate.
    Endpoint(
        "insights:enterprises", "get", False,
        lambda w, v: reverse("insights:enterprises", args=[v[:6]]) + "?to=2024-12",
        lambda: reverse("insights:enterprises", args=["999999"]) + "?to=2024-12",
        lambda v: v[:6], may_read_aggregates,
    ),
    Endpoint(
        "insights:todo", "get", False,
        lambda w, v: reverse("insights:todo", args=[v[:6]]),
        lambda: reverse("insights:todo", args=["999999"]),
        lambda v: v[:6], may_act_in_tambon,
    ),
    Endpoint(
        "insights:rows", "get", False,
        lambda w, v: reverse("insights:rows", args=[v]) + "?from=2024-01&to=2024-12&figure=income",
        lambda: reverse("insights:rows", args=["99999999"]) + "?from=2024-01&to=2024-12&figure=income",
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "insights:rows_xlsx", "get", False,
        lambda w, v: reverse("insights:rows_xlsx", args=[v]) + "?from=2024-01&to=2024-12&figure=income",
        lambda: reverse("insights:rows_xlsx", args=["99999999"]) + "?from=2024-01&to=2024-12&figure=income",
        lambda v: v, may_read_persons,
    ),
    # Forum packs (insights/forum_views.py): aggregates of a village or tambon, and the
    # page that starts a tambon's batch.
    *[
        Endpoint(
            f"insights:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"insights:{n}", args=[v]) + "?month=2024-01")(name),
            (lambda n: lambda: reverse(f"insights:{n}", args=["99999999"]) + "?month=2024-01")(name),
            lambda v: v, may_read_aggregates,
        )
        for name in ("forum_pdf", "forum_xlsx")
    ],
    Endpoint(
        "insights:forum_batch", "get", False,
        lambda w, v: reverse("insights:forum_batch", args=[v[:6]]),
        lambda: reverse("insights:forum_batch", args=["999999"]),
        lambda v: v[:6], may_read_aggregates,
    ),
    Endpoint(
        "areas:village_add", "post", False,
        lambda w, v: reverse("areas:village_add", args=[v[:6]]),
        lambda: reverse("areas:village_add", args=["999999"]),
        lambda v: v[:6], may_write_registry,
        data=lambda v: {"village_no": 77, "name_th": "บ้านใหม่"},
        effect=lambda area: Area.objects.filter(code=f"{area}77").exists(),
    ),
    # Forums and plans (plans/views.py): pages of aggregates (forums, plans, items), and
    # their writes — forums by staff and the village's volunteer, plans by staff, the
    # higher plans' adoptions by coordinators.
    *[
        Endpoint(
            f"plans:{name}", "get", False,
            (lambda n, f: lambda w, v: reverse(f"plans:{n}", args=[f(v)]))(name, target),
            (lambda n: lambda: reverse(f"plans:{n}", args=["99999999"]))(name),
            target, rule,
        )
        for name, target, rule in (
            ("area", lambda v: v, may_read_aggregates),
            ("summary", lambda v: v[:6], may_read_aggregates),
            ("forum_add", lambda v: v, may_record_forum),
            ("item_add", lambda v: v, may_write_registry),
            ("merge", lambda v: v[:6], may_write_registry),
            ("provincial", lambda v: v[:4], may_write_provincial_plan),
        )
    ],
    *[
        Endpoint(
            f"plans:{name}", "get", False,
            (lambda n, f: lambda w, v: reverse(f"plans:{n}", args=[f(v)]))(name, getter),
            (lambda n: lambda: reverse(f"plans:{n}", args=[MISSING_ID]))(name),
            lambda v: v, rule,
        )
        for name, getter, rule in (
            ("forum", lambda v: _forum(v).pk, may_read_aggregates),
            ("forum_edit", lambda v: _forum(v).pk, may_record_forum),
            ("item", lambda v: _plan_item(v).pk, may_read_aggregates),
            ("item_edit", lambda v: _plan_item(v).pk, may_write_registry),
        )
    ],
    *[
        Endpoint(
            f"plans:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"plans:{n}", args=[v]) + "?year=2567")(name),
            (lambda n: lambda: reverse(f"plans:{n}", args=["99999999"]) + "?year=2567")(name),
            lambda v: v, may_read_aggregates,
        )
        for name in ("plan_pdf", "plan_xlsx")
    ],
    # A zone's plan: read and written where its province is (the province's code).
    *[
        Endpoint(
            f"plans:zone_{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"plans:zone_{n}", args=[_zone(v)]) + "?year=2567")(name),
            (lambda n: lambda: reverse(f"plans:zone_{n}", args=[MISSING_ID]) + "?year=2567")(name),
            lambda v: v[:2], rule,
        )
        for name, rule in (
            ("area", may_read_aggregates),
            ("plan_pdf", may_read_aggregates),
            ("plan_xlsx", may_read_aggregates),
            ("forum_add", may_write_upper),
            ("item_add", may_write_upper),
            ("provincial", may_write_provincial_plan),
        )
    ],
    # Programmes and matching (matching/views.py): aggregates; a run by staff and coordinators.
    Endpoint(
        "matching:area", "get", False,
        lambda w, v: reverse("matching:area", args=[v[:6]]) + "?year=2567",
        lambda: reverse("matching:area", args=["999999"]) + "?year=2567",
        lambda v: v[:6], may_read_aggregates,
    ),
    Endpoint(
        "matching:area", "post", False,
        lambda w, v: reverse("matching:area", args=[v[:6]]),
        lambda: reverse("matching:area", args=["999999"]),
        lambda v: v[:6], may_run_match,
        data=lambda v: {"year": "2567"},
        effect=lambda area: MatchRun.objects.filter(area_id=area).exists(),
    ),
    # The negotiation forum and the funding ledger: aggregates; written by staff and coordinators.
    *[
        Endpoint(
            f"matching:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"matching:{n}", args=[v[:6]]) + "?year=2567")(name),
            (lambda n: lambda: reverse(f"matching:{n}", args=["999999"]) + "?year=2567")(name),
            lambda v: v[:6], may_read_aggregates,
        )
        for name in ("negotiations", "ledger", "calendar", "calendar_summary", "demand", "demand_xlsx")
    ],
    *[
        Endpoint(
            f"matching:{name}", "get", False,
            (lambda n: lambda w, v: reverse(f"matching:{n}", args=[_negotiation(v).pk]))(name),
            (lambda n: lambda: reverse(f"matching:{n}", args=[MISSING_ID]))(name),
            lambda v: v[:6], may_read_aggregates,
        )
        for name in ("negotiation", "negotiation_pdf")
    ],
    Endpoint(
        "matching:item_change", "get", False,
        lambda w, v: reverse("matching:item_change", args=[_plan_item(v).pk]),
        lambda: reverse("matching:item_change", args=[MISSING_ID]),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "matching:negotiations", "post", False,
        lambda w, v: reverse("matching:negotiations", args=[v[:6]]),
        lambda: reverse("matching:negotiations", args=["999999"]),
        lambda v: v[:6], may_run_match,
        data=lambda v: {"year": "2567", "held_on": "10/03/2567", "place": "matrix negotiation",
                        "bodies": [str(_body(v).pk)] if v else []},
        effect=lambda area: Negotiation.objects.filter(area_id=area, place="matrix negotiation").exists(),
    ),
    Endpoint(
        "matching:calendar", "post", False,
        lambda w, v: reverse("matching:calendar", args=[v[:6]]),
        lambda: reverse("matching:calendar", args=["999999"]),
        lambda v: v[:6], may_run_match,
        data=lambda v: {"year": "2567", "body": str(_local_government(v).pk) if v else "", "note": "matrix",
                        "plan_amended_by": "30/06/2566", "draft_to_council_by": "15/08/2566",
                        "council_by": "15/09/2566", "starts_on": "01/10/2566"},
        effect=lambda area: BudgetCalendar.objects.filter(body__tambons__code=area, note="matrix").exists(),
    ),
    Endpoint(
        "matching:negotiation_outcome", "post", False,
        lambda w, v: reverse("matching:negotiation_outcome", args=[_negotiation(v).pk]),
        lambda: reverse("matching:negotiation_outcome", args=[MISSING_ID]),
        lambda v: v[:6], may_run_match,
        data=lambda v: {"item": str(_plan_item(v).pk), "body": str(_body(v).pk), "outcome": "deferred"} if v else {},
        effect=lambda area: Match.objects.filter(area_code__startswith=area, stage="deferred").exists(),
    ),
    Endpoint(
        "matching:match_step", "post", False,
        lambda w, v: reverse("matching:match_step", args=[Match.objects.get(item=_plan_item(v)).pk]),
        lambda: reverse("matching:match_step", args=[MISSING_ID]),
        lambda v: v, may_run_match,
        data=lambda v: {"stage": "in_local_plan", "on": "01/04/2567"},
        effect=lambda area: Match.objects.filter(area_code=area, stage="in_local_plan").exists(),
    ),
    Endpoint(
        "plans:zone_forum_add", "post", False,
        lambda w, v: reverse("plans:zone_forum_add", args=[_zone(v)]),
        lambda: reverse("plans:zone_forum_add", args=[MISSING_ID]),
        lambda v: v[:2], may_write_upper,
        data=lambda v: {"held_on": "05/03/2567", "month": "2567-02", "mechanism": "provincial_team", "place": "matrix zone", "attendance": "30"},
        effect=lambda area: Forum.objects.filter(zone__province_id=area, place="matrix zone").exists(),
    ),
    Endpoint(
        "plans:zone_item_add", "post", False,
        lambda w, v: reverse("plans:zone_item_add", args=[_zone(v)]) + "?year=2567",
        lambda: reverse("plans:zone_item_add", args=[MISSING_ID]) + "?year=2567",
        lambda v: v[:2], may_write_upper,
        data=lambda v: {"title": "matrix zone item", "actor": "agency", "households": "40", "cost": "1000", "amount_asked": "1000"},
        effect=lambda area: PlanItem.objects.filter(plan__zone__province_id=area, title="matrix zone item").exists(),
    ),
    Endpoint(
        "plans:zone_certify", "post", False,
        lambda w, v: reverse("plans:zone_certify", args=[_zone(v)]) + "?year=2567",
        lambda: reverse("plans:zone_certify", args=[MISSING_ID]) + "?year=2567",
        lambda v: v[:2], may_write_upper,
        data=lambda v: {"certified_on": "01/03/2567", "by_kind": "forum", "by_name": "matrix zone forum", "year": "2567"},
        effect=lambda area: Certification.objects.filter(plan__zone__province_id=area, by_name="matrix zone forum").exists(),
    ),
    # Photos and documents may show people: person-level.
    Endpoint(
        "plans:forum_file_get", "get", False,
        lambda w, v: reverse("plans:forum_file_get", args=[_forum(v).pk, _forum(v).files.get(caption="world").pk]),
        lambda: reverse("plans:forum_file_get", args=[MISSING_ID, MISSING_ID]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "plans:evidence_file", "get", False,
        lambda w, v: reverse(
            "plans:evidence_file", args=[_plan_item(v).pk, _plan_item(v).evidence.get(title="world survey").pk]
        ),
        lambda: reverse("plans:evidence_file", args=[MISSING_ID, MISSING_ID]),
        lambda v: v, may_read_persons,
    ),
    Endpoint(
        "api:list_plans", "get", True,
        lambda w, v: reverse("api:list_plans") + f"?area={v}&year=2567",
        lambda: reverse("api:list_plans") + "?area=99999999&year=2567",
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "api:get_plan_item", "get", True,
        lambda w, v: reverse("api:get_plan_item", kwargs={"item_id": _plan_item(v).pk}),
        lambda: reverse("api:get_plan_item", kwargs={"item_id": MISSING_ID}),
        lambda v: v, may_read_aggregates,
    ),
    Endpoint(
        "api:set_plan_item_status", "post", True,
        lambda w, v: reverse("api:set_plan_item_status", kwargs={"item_id": _plan_item(v).pk}),
        lambda: reverse("api:set_plan_item_status", kwargs={"item_id": MISSING_ID}),
        lambda v: v, may_write_registry,
        data=lambda v: {"status": "adopted_in_principle"},
        effect=lambda area: PlanItem.objects.filter(village_code=area, status="adopted_in_principle").exists(),
    ),
    Endpoint(
        "api:add_plan_item_evidence", "post", True,
        lambda w, v: reverse("api:add_plan_item_evidence", kwargs={"item_id": _plan_item(v).pk}),
        lambda: reverse("api:add_plan_item_evidence", kwargs={"item_id": MISSING_ID}),
        lambda v: v, may_write_registry,
        data=lambda v: {"figure": "households", "area": v or "37010101", "from": "2024-03", "to": "2024-03"},
        effect=lambda area: Evidence.objects.filter(item__village_code=area, figure="households").exists(),
    ),
    Endpoint(
        "plans:forum_add", "post", False,
        lambda w, v: reverse("plans:forum_add", args=[v]),
        lambda: reverse("plans:forum_add", args=["99999999"]),
        lambda v: v, may_record_forum,
        data=lambda v: {"held_on": "05/03/2567", "month": "2567-02", "mechanism": "village_committee", "place": "matrix", "attendance": "3"},
        effect=lambda area: Forum.objects.filter(village_code=area, place="matrix").exists(),
    ),
    Endpoint(
        "plans:forum_finding", "post", False,
        lambda w, v: reverse("plans:forum_finding", args=[_forum(v).pk]),
        lambda: reverse("plans:forum_finding", args=[MISSING_ID]),
        lambda v: v, may_record_forum,
        data=lambda v: {"kind": "problem", "text": "matrix problem"},
        effect=lambda area: Finding.objects.filter(forum__village_code=area, text="matrix problem").exists(),
    ),
    Endpoint(
        "plans:forum_question", "post", False,
        lambda w, v: reverse("plans:forum_question", args=[_forum(v).pk]),
        lambda: reverse("plans:forum_question", args=[MISSING_ID]),
        lambda v: v, may_record_forum,
        data=lambda v: {"question": "deficit"},
        effect=lambda area: Finding.objects.filter(forum__village_code=area, question_key="deficit").exists(),
    ),
    Endpoint(
        "plans:forum_file", "post", False,
        lambda w, v: reverse("plans:forum_file", args=[_forum(v).pk]),
        lambda: reverse("plans:forum_file", args=[MISSING_ID]),
        lambda v: v, may_record_forum,
        data=lambda v: {"file": SimpleUploadedFile("minutes.txt", b"minutes"), "caption": "matrix"},
        effect=lambda area: ForumFile.objects.filter(forum__village_code=area, caption="matrix").exists(),
    ),
    Endpoint(
        "plans:item_add", "post", False,
        lambda w, v: reverse("plans:item_add", args=[v]) + "?year=2567",
        lambda: reverse("plans:item_add", args=["99999999"]) + "?year=2567",
        lambda v: v, may_write_registry,
        data=lambda v: {"title": "matrix item", "actor": "household", "households": "1"},
        effect=lambda area: PlanItem.objects.filter(village_code=area, title="matrix item").exists(),
    ),
    Endpoint(
        "plans:item_status", "post", False,
        lambda w, v: reverse("plans:item_status", args=[_plan_item(v).pk]),
        lambda: reverse("plans:item_status", args=[MISSING_ID]),
        lambda v: v, may_write_registry,
        data=lambda v: {"status": "adopted_in_principle"},
        effect=lambda area: PlanItem.objects.filter(village_code=area, status="adopted_in_principle").exists(),
    ),
    Endpoint(
        "plans:item_evidence", "post", False,
        lambda w, v: reverse("plans:item_evidence", args=[_plan_item(v).pk]),
        lambda: reverse("plans:item_evidence", args=[MISSING_ID]),
        lambda v: v, may_write_registry,
        data=lambda v: {"type": "other", "title": "matrix survey", "source": "รพ.สต."},
        effect=lambda area: Evidence.objects.filter(item__village_code=area, title="matrix survey").exists(),
    ),
    Endpoint(
        "plans:item_adoption", "post", False,
        lambda w, v: reverse("plans:item_adoption", args=[_plan_item(v).pk]),
        lambda: reverse("plans:item_adoption", args=[MISSING_ID]),
        lambda v: v, may_write_provincial_plan,
        data=lambda v: {"provincial": "included"},
        effect=lambda area: PlanItem.objects.filter(village_code=area, provincial_adoption="included").exists(),
    ),
    Endpoint(
        "plans:certify", "post", False,
        lambda w, v: reverse("plans:certify", args=[v]) + "?year=2567",
        lambda: reverse("plans:certify", args=["99999999"]) + "?year=2567",
        lambda v: v, may_write_registry,
        data=lambda v: {"certified_on": "01/03/2567", "by_kind": "forum", "by_name": "matrix forum", "year": "2567"},
        effect=lambda area: Certification.objects.filter(plan__village_code=area, by_name="matrix forum").exists(),
    ),
]  # fmt: skip


def _forum(village: str) -> Forum:
    return Forum.objects.filter(village_code=village, place="world").get()


def _plan_item(village: str) -> PlanItem:
    return PlanItem.objects.filter(village_code=village, title="world item").get()


def _body(village: str) -> Body:
    return Body.objects.get(province_id=village[:2], name="world body")


def _local_government(village: str) -> Body:
    return Body.objects.get(province_id=village[:2], name=f"world อบต. {village[:6]}")


def _negotiation(village: str) -> Negotiation:
    return Negotiation.objects.get(area_id=village[:6], place="world")


def _zone(village: str) -> int:
    return Zone.objects.get(province_id=village[:2], name="world zone").pk


def _enterprise(household: Household) -> Enterprise:
    enterprise, _ = Enterprise.objects.get_or_create(household=household, name="สวน", season="")
    return enterprise


def _import_job(tambon: str) -> ImportJob:
    job = ImportJob.objects.filter(tambon_id=tambon).first()
    if job is None:
        job = ImportJob.objects.create(tambon_id=tambon, kind="households", filename="x.csv", status="done")
        job.error_report.save("x.xlsx", ContentFile(b"xlsx"), save=False)
        job.error_report_csv.save("x.csv", ContentFile(b"csv"))
    return job


# URLs that are not area-scoped, with the reason. A new URL must go here or above.
NOT_AREA_SCOPED = {
    "areas:home": "lists the user's own assignment areas",
    "areas:search": "results filtered by areas_qs_for_user; tested in test_scoped_search",
    "registry:search": "areas through areas_qs_for_user, households through households_qs_for_user; "
    "tested in registry test_search",
    "areas:zone_add": "province zones; admin or the province's coordinator; tested in areas tests",
    "registry:boundaries": "admin, province coordinator or tambon staff of the area; tested in test_map",
    "registry:duplicates": "queue filtered by duplicates_open_for_user; tested in registry view tests",
    "registry:duplicates_scan": "scans only the tambons the user keeps; tested in registry view tests",
    "registry:duplicate_resolve": "candidate looked up through duplicates_open_for_user; tested in registry view tests",
    "access:login": "public",
    "access:logout": "own session",
    "access:audit": "administrators only; tested in test_audit",
    "access:overview": "administrators only; tested in access/tests/test_overview",
    "access:users": "administrators only; tested in test_users",
    "access:user_add": "administrators only; tested in test_users",
    "access:user_detail": "administrators only; tested in test_users",
    "access:assignment_end": "administrators only; tested in test_users",
    "access:user_unlock": "administrators only; tested in access/tests/test_throttle",
    "set_language": "public",
    "ledgers:phone": "lists only the user's own villages; tested in ledger entry view tests",
    "ledgers:phone_lines": "JSON; tested in test_phone_lines_matrix below",
    "ledgers:phone_fix": "the user's own lines only; tested in test_phone_fix_matrix below",
    "healthz": "public, no data",
    "favicon": "public, no data (a redirect to the static icon)",
    "guide": "the Thai guide, no data; tested in core/tests/test_guide",
    "ledgers:paper_form": "the blank paper form, no data; tested in ledgers test_small_things",
    "imports:template": "an empty import template, no data",
    "api:openapi-json": "schema only",
    "api:openapi-view": "schema only",
    "api:api-root": "no data",
    "api:obtain_token": "authentication",
    "api:search_areas": "results filtered by areas_qs_for_user; tested in test_api",
    "ledgers:review_confirm": "a pending line looked up within the tambon the user keeps; tested in ledgers test_review",
    "ledgers:review_reject": "as ledgers:review_confirm",
    "ledgers:statement_batch": "belongs to the user who started it, re-checked against their scope; tested in ledgers test_statement_batches",
    "ledgers:statement_batch_progress": "as ledgers:statement_batch",
    "ledgers:statement_batch_pdf": "as ledgers:statement_batch",
    "insights:forum_batch_status": "belongs to the user who started it, re-checked against their scope; "
    "tested in insights test_forum_views",
    "insights:forum_batch_progress": "as insights:forum_batch_status",
    "insights:forum_batch_zip": "as insights:forum_batch_status",
}

# The list endpoint of the API answers 200 with only in-scope rows when the area is
# visible; for an aggregate-only role it answers with an empty page.
PERSON_LIST_API = "api:list_households"


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = p.namespace or namespace
                walk(p.url_patterns, ns)
            elif p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_classified():
    classified = {e.name for e in ENDPOINTS} | set(NOT_AREA_SCOPED)
    assert _all_url_names() - classified == set(), "add new URLs to the access matrix"
    assert classified - _all_url_names() == set(), "the matrix names URLs that no longer exist"


# --- the matrix ----------------------------------------------------------------------


@pytest.fixture
def world() -> World:
    households = {}
    for code in TARGET_VILLAGES:
        village = factories.village(code[:6], int(code[6:]))
        households[code] = factories.household(village, members=2)
        Organisation.objects.get_or_create(tambon_id=code[:6], kind="welfare_fund", name="กองทุนสวัสดิการ")
        ledger_entries_add(
            actor=Actor.system("test"),
            household=households[code],
            lines=[
                LineInput(date=dt.date(2024, 3, 5), category="C01", amount=Decimal("10"), key=f"matrix-line-{code}")
            ],
        )
        village_area = households[code].village
        Forum.objects.create(
            area=village_area, level="village", province_code=code[:2], district_code=code[:4], tambon_code=code[:6],
            village_code=code, held_on=dt.date(2024, 3, 5), month=dt.date(2024, 2, 1), mechanism="village_committee",
            place="world",
            pack={"questions": [{"key": "deficit", "fact": "f", "question": "q", "figure": "households", "span": "month"}]},
        )  # fmt: skip
        plan = Plan.objects.create(
            area=village_area, level="village", fiscal_year=2567, province_code=code[:2], district_code=code[:4],
            tambon_code=code[:6], village_code=code,
        )  # fmt: skip
        item = PlanItem.objects.create(
            plan=plan, title="world item", actor="agency", cost=Decimal(1000), amount_asked=Decimal(1000),
            fiscal_year=2567, province_code=code[:2], district_code=code[:4], tambon_code=code[:6], village_code=code,
        )  # fmt: skip
        photo = ForumFile(forum=Forum.objects.get(village_code=code, place="world"), caption="world", is_photo=True)
        photo.file.save("world.jpg", ContentFile(b"jpeg"))
        document = Evidence(item=item, title="world survey", source="world", cited_at=timezone.now())
        document.file.save("world.pdf", ContentFile(b"%PDF"))
        zone, _ = Zone.objects.get_or_create(province_id=code[:2], name="world zone")
        zone.members.add(code[:6])
        body, _ = Body.objects.get_or_create(province_id=code[:2], name="world body", defaults={"kind": "agency"})
        negotiation, _ = Negotiation.objects.get_or_create(
            area_id=code[:6], place="world",
            defaults={"province_code": code[:2], "fiscal_year": 2567, "held_on": dt.date(2024, 3, 5)},
        )  # fmt: skip
        negotiation.bodies.add(body)
        local, _ = Body.objects.get_or_create(
            province_id=code[:2], name=f"world อบต. {code[:6]}", defaults={"kind": "local_government"}
        )
        local.tambons.add(code[:6])
        match = Match.objects.create(
            item=item, body=body, area_code=code, province_code=code[:2], fiscal_year=2567, stage="accepted",
            amount=Decimal(1000), negotiation=negotiation,
        )  # fmt: skip
        MatchStep.objects.create(match=match, stage="disbursed", on=dt.date(2024, 3, 5))  # started: what changed
    return World(households=households)


def _client_for(case: RoleCase, api: bool) -> tuple[Client, dict[str, str]]:
    user = (
        factories.user(case.role, case.area, starts_on=case.starts_on, ends_on=case.ends_on)
        if case.role
        else factories.user()
    )
    client = Client()
    if api:
        token = token_issue(user=user, actor=Actor.system("test"))
        return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client.force_login(user)
    return client, {}


def _strip_tokens(html: bytes) -> str:
    """The page minus what differs per request: CSRF tokens and the echoed own URL."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|name="next" value=")[^"]+', r"\1", html.decode())


def _state() -> tuple[int, ...]:
    """Everything a refused request must leave as it was."""
    return (
        Area.objects.count(),
        Household.objects.count(),
        AuditEvent.objects.exclude(action="token").count(),
        HouseholdChange.objects.count(),
        OrganisationMembership.objects.count(),
        Household.objects.exclude(verification="unverified").count(),
        Household.objects.exclude(consent="unknown").count(),
        LedgerEntry.objects.count(),
        MonthStatusChange.objects.count(),
        Forum.objects.count(),
        Finding.objects.count(),
        ForumFile.objects.count(),
        PlanItem.objects.count(),
        PlanItem.objects.exclude(status="under_consideration").count(),
        PlanItem.objects.exclude(provincial_adoption="").count(),
        Evidence.objects.count(),
        Certification.objects.count(),
        MatchRun.objects.count(),
        Negotiation.objects.count(),
        Match.objects.exclude(stage="accepted").count(),
        MatchStep.objects.count(),
        BudgetCalendar.objects.count(),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@pytest.mark.parametrize("case", ROLES, ids=lambda c: c.key)
def test_access_matrix(case: RoleCase, endpoint: Endpoint, world: World):
    client, headers = _client_for(case, endpoint.api)
    send = getattr(client, endpoint.method)
    if endpoint.api and endpoint.method == "post":
        headers = {**headers, "content_type": "application/json"}
    missing = send(endpoint.missing_url(), data=endpoint.data("") if endpoint.data else None, **headers)
    never = endpoint.method == "post" and not may_ever(case, endpoint.name)
    assert missing.status_code == (403 if never else 404)
    failures = []
    for village in TARGET_VILLAGES:
        area = endpoint.target_area(village)
        allowed = endpoint.rule(case, area)
        before = _state()
        kwargs = {"data": endpoint.data(village)} if endpoint.data else {}
        response = send(endpoint.url(world, village), **kwargs, **headers)
        if allowed:
            ok = response.status_code in (200, 302)
            if endpoint.method == "post":
                took_effect = endpoint.effect(area) if endpoint.effect else _state() != before
                ok = ok and took_effect
                client.get(reverse("areas:home"))  # consume the success message
        elif never:
            ok = response.status_code == 403 and _state() == before
        else:
            ok = response.status_code == 404 and _state() == before
            # "Not allowed" is indistinguishable from "does not exist".
            if endpoint.api:
                ok = ok and response.json() == missing.json()
            else:
                ok = ok and _strip_tokens(response.content) == _strip_tokens(missing.content)
        if endpoint.name == PERSON_LIST_API and allowed and not may_read_persons(case, area):
            # Aggregate-only roles may name the area but get no person rows.
            ok = response.status_code == 200 and response.json()["items"] == []
        if endpoint.name == PERSON_LIST_API and may_read_persons(case, area):
            codes = {item["code"] for item in response.json()["items"]}
            ok = ok and codes == {world.households[village].code}
        if not ok:
            failures.append((village, allowed, response.status_code))
    assert failures == [], f"{case.key} × {endpoint.name}: (village, allowed, status) that went wrong"


def test_household_list_without_area_returns_only_scope(world: World):
    client, headers = _client_for(ROLES[2], api=True)  # district 3701
    response = client.get(reverse("api:list_households"), **headers)
    assert response.status_code == 200
    got = {item["village"] for item in response.json()["items"]}
    assert got == {"37010101", "37010102", "37010201"}


@pytest.mark.parametrize("case", ROLES, ids=lambda c: c.key)
def test_phone_lines_matrix(case: RoleCase, world: World):
    """The phone's JSON endpoint (the form posts above cannot reach it): saved, or 404."""
    client, _ = _client_for(case, api=False)

    def url(pk: int) -> str:
        return reverse("ledgers:phone_lines", args=[pk])

    def body(v: str) -> str:
        line = {"key": f"matrix-phone-{v}", "date": "2024-03-05", "category": "C01", "amount": "5"}
        return json.dumps({"lines": [line]})

    never = not may_ever(case, "ledgers:phone_lines")
    missing = client.post(url(MISSING_ID), body("x"), content_type="application/json")
    assert missing.status_code == (403 if never else 404)
    for v in TARGET_VILLAGES:
        before = _state()
        response = client.post(url(world.households[v].pk), body(v), content_type="application/json")
        if may_write_ledger(case, v):
            assert response.status_code == 200 and response.json()["saved"] == [f"matrix-phone-{v}"], (case.key, v)
            assert LedgerEntry.objects.count() == before[7] + 1
        else:
            assert response.status_code == (403 if never else 404) and _state() == before, (case.key, v)


@pytest.mark.parametrize("case", ROLES, ids=lambda c: c.key)
def test_phone_fix_matrix(case: RoleCase, world: World):
    """A line the user entered, corrected from the phone: reversed where the user may
    write accounts, else 404 (403 for a role that never may) and nothing changes."""
    client, _ = _client_for(case, api=False)
    user_pk = int(client.session["_auth_user_id"])
    never = not may_ever(case, "ledgers:phone_fix")
    for v in TARGET_VILLAGES:
        line = _line(world.households[v])
        LedgerEntry.objects.filter(pk=line.pk).update(created_by=user_pk)
        url = reverse("ledgers:phone_fix", args=[world.households[v].pk, line.pk])
        before = _state()
        response = client.post(url, {"action": "remove", "reason": "คีย์ซ้ำ"})
        if may_write_ledger(case, v):
            assert response.status_code == 302 and LedgerEntry.objects.filter(reverses=line).exists(), (case.key, v)
        else:
            assert response.status_code == (403 if never else 404) and _state() == before, (case.key, v)
