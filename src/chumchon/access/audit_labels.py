"""What an audit event is about, in words a person reads (Thai by default).

Every ``object_type`` a caller passes to :func:`~chumchon.access.services.audit_record`
has its label here: the audit log shows "viewed the rows behind a figure"
(เปิดดูรายการเบื้องหลังตัวเลข), never ``figure_rows``. A test reads the source of every
app and fails on an object type used anywhere without a label here; an unknown one
(an event written by an older version) still shows its code rather than nothing.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

OBJECT_LABELS: dict[str, Promise] = {
    "address": _("an address's login delays"),
    "agency_demand": _("the demand a body's programmes could meet"),
    "area": _("an area"),
    "assignment": _("a role assignment"),
    "body": _("a body that funds plan items"),
    "boundaries": _("village boundaries"),
    "budget_calendar": _("a local government's budget calendar"),
    "category": _("an account category"),
    "certification": _("a certification of a plan's data"),
    "demo": _("the demo data"),
    "duplicate": _("a possible duplicate"),
    "enterprise": _("a household business"),
    "evidence": _("evidence of a plan item"),
    "figure_rows": _("the rows behind a figure"),
    "finding": _("a problem, cause or option of a forum"),
    "forum": _("a learning forum"),
    "forum_batch": _("forum packs for a tambon's villages"),
    "forum_file": _("a photo or file of a forum"),
    "forum_pack": _("a forum pack"),
    "household": _("a household"),
    "household_enterprises": _("a household's businesses"),
    "household_ledger": _("a household's accounts"),
    "household_list": _("a list of households"),
    "household_search": _("a search for households and people"),
    "household_statement": _("a household statement"),
    "household_statements": _("a village's household statements"),
    "import_job": _("an import"),
    "indicator_edition": _("an edition of the indicators"),
    "ledger_entries": _("account lines"),
    "ledger_entry": _("an account line"),
    "match": _("a plan item asked of a body (the funding ledger)"),
    "match_run": _("a run of the matching of programmes to plan items"),
    "member": _("a household member"),
    "month": _("a village's month"),
    "negotiation": _("a partner negotiation forum"),
    "organisation": _("a community organisation"),
    "pending_line": _("an imported line waiting for a category"),
    "plan": _("a community plan"),
    "plan_item": _("an item of a community plan"),
    "plan_report": _("a printed community plan"),
    "programme": _("a programme of a body"),
    "strategic_issue": _("a strategic issue of a plan"),
    "user": _("a user account"),
    "zone": _("a zone"),
}


def object_label(object_type: str) -> str:
    """The label of an object type; the code itself when it has none (an old event)."""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def event_summary(action_label: str, object_type: str) -> str:
    """ "viewed" + "the rows behind a figure" as one phrase of the active language."""
    if not object_type:
        return action_label
    # Translators: an audit event, e.g. "viewed" + "the rows behind a figure"; Thai joins
    # the two without a space (เปิดดูรายการเบื้องหลังตัวเลข).
    return gettext("%(action)s %(object)s") % {"action": action_label, "object": object_label(object_type)}
