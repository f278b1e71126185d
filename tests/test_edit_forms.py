"""No edit loses data: every edit form, saved unchanged exactly as a browser sends it,
changes nothing in the database.

Generated from the permission table's ``WRITE_ENDPOINTS`` (every URL that accepts a
write): each one is either an edit form of an existing object, with a case in
``EDIT_FORMS``, or listed in ``NOT_EDIT_FORMS`` with the reason it is not one. A new
write URL fails ``test_every_write_is_an_edit_form_or_says_why_not`` until it is put in
one of them.

Each edit form is opened with a real object of the demo data, its HTML parsed, and the
form submitted as Chromium would: the named controls in document order, disabled ones
left out, unchecked checkboxes and radios left out, the selected options of a select
(the first when none is), a textarea's text, the submit button pressed, and a value in
an ``<input type="date">`` that is not ``yyyy-mm-dd`` sent empty (the HTML value
sanitisation algorithm) — which is how ``23/11/1989`` in a date input erased birth
dates. A required field left empty is one a person must fill before the browser sends
the form (a correction's reason): it is filled with a reason, nothing else is touched.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from chumchon.access.models import User
from chumchon.access.permissions import WRITE_ENDPOINTS
from chumchon.access.services import Actor
from chumchon.ledgers.models import Enterprise, LedgerEntry
from chumchon.ledgers.services import EnterpriseInput, LineInput, enterprise_create, ledger_entries_add
from chumchon.plans.models import Forum, PlanItem
from chumchon.registry.models import Household, Member
from chumchon.registry.services.indicators import dimensions_recompute

pytestmark = pytest.mark.django_db

# Tables that record that something was looked at or tried, not the data edited.
NOT_DATA = {"access_auditevent", "django_session"}
NOW = dt.datetime(2024, 4, 10, 10, 0, tzinfo=dt.UTC)  # the demo ends with March, complete
DEMO_ARGS = ["--households=60", "--months=2", "--seed=20240301", "--end=2024-03"]
REASON = "ตรวจแล้ว"
MAX_FORMS_A_PAGE = 4  # the grid has a correction form for each saved line; a few are enough


# --- a browser's form submission --------------------------------------------------------------


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    options: list[dict[str, str]] = field(default_factory=list)  # a select's
    text: str = ""  # a textarea's


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: dict[str, str] | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(attrs=a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button"):
            self._form.controls.append(Control(tag, a))
        elif tag == "select":
            self._select = Control(tag, a)
            self._form.controls.append(self._select)
        elif tag == "optgroup" and self._select is not None and "disabled" in a:
            a["_group_disabled"] = ""
        elif tag == "option" and self._select is not None:
            self._option = {**a, "_text": ""}
            self._select.options.append(self._option)
        elif tag == "textarea":
            self._textarea = Control(tag, a)
            self._form.controls.append(self._textarea)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["_text"] += data
        if self._textarea is not None:
            self._textarea.text += data


_ISO_DATE = re.compile(r"\d{4,}-\d{2}-\d{2}")


def _date_input_value(value: str) -> str:
    """What a browser keeps of an ``<input type="date">`` value: a valid date string or ''."""
    if not _ISO_DATE.fullmatch(value):
        return ""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def browser_submission(form: Form, *, fill_required: str = REASON) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser sends for ``form`` when its first submit button
    is pressed (the button's own pair included)."""
    pairs: list[tuple[str, str]] = []
    submitter_used = False
    for c in form.controls:
        name = c.attrs.get("name")
        if "disabled" in c.attrs:
            continue
        kind = c.attrs.get("type", "submit" if c.tag == "button" else "text").lower()
        if c.tag == "button" or kind in ("submit", "image"):
            if not submitter_used:
                submitter_used = True
                if name:
                    pairs.append((name, c.attrs.get("value", "")))
            continue
        if not name or kind in ("button", "reset", "file"):
            continue
        if c.tag == "select":
            enabled = [o for o in c.options if "disabled" not in o]
            chosen = [o for o in enabled if "selected" in o]
            if not chosen and "multiple" not in c.attrs and enabled:
                chosen = [enabled[0]]
            pairs += [(name, o.get("value", o["_text"].strip())) for o in chosen]
        elif c.tag == "textarea":
            text = c.text[1:] if c.text.startswith("\n") else c.text
            pairs.append((name, text))
        elif kind in ("checkbox", "radio"):
            if "checked" in c.attrs:
                pairs.append((name, c.attrs.get("value", "on")))
        elif kind == "date":
            pairs.append((name, _date_input_value(c.attrs.get("value", ""))))
        else:
            value = c.attrs.get("value", "")
            if not value and "required" in c.attrs and kind in ("text", "search", ""):
                value = fill_required  # the browser would not send it empty; a person types this
            pairs.append((name, value))
    return pairs


def forms_posting_to(html: str, page_url: str, endpoint: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        if form.attrs.get("method", "get").lower() != "post":
            continue
        action = form.attrs.get("action") or page_url
        match = resolve(urlsplit(action).path or urlsplit(page_url).path)
        if match.view_name == endpoint:
            found.append(form)
    return found


# --- the database, all of it -------------------------------------------------------------------


def database_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but those in ``NOT_DATA``."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in NOT_DATA:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def changed_tables(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# --- the edit forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    household: Household
    member: Member  # with a birth date
    # ``household`` has a needs survey answered in part: three indicators, the others not asked
    entry: LedgerEntry  # a line the volunteer entered, in an open month
    enterprise: Enterprise  # with start and end dates


@dataclass(frozen=True)
class EditForm:
    user: str  # who opens it
    page: Callable[[World], str]  # the page the form is on


EDIT_FORMS: dict[str, EditForm] = {
    "registry:edit": EditForm("demo-tambon", lambda w: reverse("registry:edit", args=[w.household.pk])),
    "registry:member_edit": EditForm(
        "demo-tambon", lambda w: reverse("registry:member_edit", args=[w.household.pk, w.member.pk])
    ),
    "registry:household_needs": EditForm(
        "demo-tambon", lambda w: reverse("registry:household_needs", args=[w.household.pk])
    ),
    # The grid's correction form of a saved line, on the grid of the line's month.
    "ledgers:entry_correct": EditForm(
        "demo-tambon",
        lambda w: reverse("ledgers:entry_grid", args=[w.entry.household_id, f"{w.entry.date:%Y-%m}"]),
    ),
    "ledgers:phone_fix": EditForm(
        "demo-volunteer", lambda w: reverse("ledgers:phone_fix", args=[w.entry.household_id, w.entry.pk])
    ),
    # Tagging lines to an enterprise: saved unchanged, every tag stays as it was.
    "ledgers:enterprise": EditForm(
        "demo-tambon", lambda w: reverse("ledgers:enterprise", args=[w.household.pk, w.enterprise.pk])
    ),
    # A forum and a plan item of the demo: their households present and committed, the
    # problem an item answers, its owner and team, all kept as they were.
    "plans:forum_edit": EditForm("demo-tambon", lambda w: reverse("plans:forum_edit", args=[_demo_forum(w).pk])),
    "plans:item_edit": EditForm("demo-tambon", lambda w: reverse("plans:item_edit", args=[_demo_item(w).pk])),
    # The budget calendar of the demo's อบต.: the regulation's dates saved unchanged keep nothing.
    "matching:calendar": EditForm(
        "demo-tambon", lambda w: reverse("matching:calendar", args=[w.household.tambon_code]) + "?year=2567"
    ),
}


def _demo_forum(w: World) -> Forum:
    forum = Forum.objects.filter(tambon_code=w.household.tambon_code, level="village").order_by("pk").first()
    assert forum is not None, "the demo records forums"
    return forum


def _demo_item(w: World) -> PlanItem:
    """An item with as much to keep as the demo has: households committed, a team, a problem."""
    items = PlanItem.objects.filter(tambon_code=w.household.tambon_code).exclude(village_code="")
    item = (
        items.filter(committed__isnull=False, problem__isnull=False).first()
        or items.filter(people__role="team").first()
        or items.first()
    )
    assert item is not None, "the demo has community plans"
    return item


NOT_EDIT_FORMS: dict[str, str] = {
    "access:login": "signs in",
    "access:logout": "signs out",
    "set_language": "sets the language cookie",
    "api:obtain_token": "makes a token",
    "access:user_add": "creates a user",
    "access:user_detail": "adds an assignment (its form is always empty)",
    "access:user_unlock": "clears login delays",
    "access:assignment_end": "ends an assignment today (an action button)",
    "areas:zone_add": "creates a zone",
    "registry:boundaries": "uploads a boundary file",
    "areas:village_add": "creates a village",
    "registry:add": "registers a household",
    "registry:member_add": "adds a member",
    "registry:verify": "records a verification visit (a new record each time)",
    "registry:consent": "records a consent statement with its date (a new record each time)",
    "registry:membership": "joins or leaves an organisation (an action button)",
    "registry:organisations": "creates an organisation",
    "registry:duplicates_scan": "starts a scan",
    "registry:duplicate_resolve": "merges or dismisses a pair (an action)",
    "registry:member_reveal": "shows a national ID (audited)",
    "registry:erase": "erases a household (an action that asks for the code)",
    "imports:page": "uploads a file",
    "ledgers:entry_grid": "adds new lines (its rows are blank)",
    "ledgers:entry_remove": "removes a line with a reason (an action)",
    "ledgers:phone_household": "adds a new line",
    "ledgers:phone_lines": "adds queued lines (JSON)",
    "ledgers:enterprises": "creates an enterprise",
    "ledgers:review": "confirms a page of imported lines (an action)",
    "ledgers:review_confirm": "confirms an imported line (an action)",
    "ledgers:review_reject": "rejects an imported line (an action)",
    "ledgers:month_status": "closes or reopens a month (an action)",
    "ledgers:village_statements": "starts a batch of statements",
    "insights:forum_batch": "starts a batch of forum packs",
    "plans:forum_add": "records a new forum",
    "plans:forum_finding": "adds a problem, cause or option",
    "plans:forum_question": "makes a pack question a problem (an action)",
    "plans:forum_file": "uploads a photo or file",
    "plans:item_add": "adds a plan item",
    "plans:item_status": "moves an item along its status path (a new step each time)",
    "plans:item_evidence": "cites a figure or adds other data (a new record each time)",
    "plans:item_adoption": "records an adoption (its form starts from the item's values; saved unchanged it changes nothing, tested in plans)",
    "plans:merge": "gathers village items into a new tambon item",
    "plans:certify": "records a certification (a new record each time)",
    "plans:provincial": "the vision and a strategic issue (an issue is saved by its number)",
    "plans:zone_forum_add": "as plans:forum_add, of a zone",
    "matching:area": "runs a match (a new run kept each time)",
    "matching:negotiations": "records a new negotiation forum",
    "matching:negotiation_outcome": "records a body's answer (a new ledger step each time)",
    "matching:match_step": "records a ledger step (a new dated step each time)",
    "plans:zone_item_add": "as plans:item_add, of a zone",
    "plans:zone_certify": "as plans:certify, of a zone",
    "plans:zone_provincial": "as plans:provincial, of a zone",
    "api:add_plan_item_evidence": "API: cites evidence",
    "api:set_plan_item_status": "API: a status step",
}


def test_every_write_is_an_edit_form_or_says_why_not():
    assert not set(EDIT_FORMS) & set(NOT_EDIT_FORMS)
    unclassified = set(WRITE_ENDPOINTS) - set(EDIT_FORMS) - set(NOT_EDIT_FORMS)
    assert unclassified == set(), "a new write: give it a case in EDIT_FORMS, or say in NOT_EDIT_FORMS why not"
    assert (set(EDIT_FORMS) | set(NOT_EDIT_FORMS)) - set(WRITE_ENDPOINTS) == set(), "no such write any more"


@pytest.fixture
def world() -> World:
    with time_machine.travel(NOW, tick=False):
        call_command("demo", *DEMO_ARGS, stdout=io.StringIO(), stderr=io.StringIO())
        volunteer = User.objects.get(username="demo-volunteer")
        village = volunteer.assignments.get().area_id
        member = (
            Member.objects.filter(household__village_id=village, birth_date__isnull=False, household__erased_at=None)
            .select_related("household")
            .order_by("pk")
            .first()
        )
        assert member is not None, "the demo has members with birth dates"
        household = member.household
        (entry,) = ledger_entries_add(
            actor=Actor(user=volunteer),
            household=household,
            lines=[LineInput(date=dt.date(2024, 4, 8), category="C01", amount=Decimal("120.00"), item="ข้าวสาร")],
            source="phone",
        )
        enterprise = enterprise_create(
            actor=Actor(user=volunteer),
            household=household,
            data=EnterpriseInput(
                name="ร้านค้า", season="", area_rai=Decimal("5"),
                starts_on=dt.date(2024, 2, 1), ends_on=dt.date(2024, 4, 30),
            ),
        )  # fmt: skip
        LedgerEntry.objects.filter(pk=entry.pk).update(enterprise=enterprise)
        # A survey asked in part: some indicators answered (one failed), the rest never asked.
        answers = household.indicators.order_by("indicator__sort_order")
        assert answers.count() > 3, "the demo surveys its households"
        kept = list(answers.values_list("pk", flat=True)[:3])
        household.indicators.exclude(pk__in=kept).delete()
        household.indicators.filter(pk=kept[0]).update(failed=True)
        dimensions_recompute(household)
        household.save()
    return World(household=household, member=member, entry=entry, enterprise=enterprise)


@pytest.mark.parametrize("endpoint", sorted(EDIT_FORMS))
def test_an_edit_form_saved_unchanged_changes_nothing(endpoint: str, world: World):
    spec = EDIT_FORMS[endpoint]
    client = Client()
    client.force_login(User.objects.get(username=spec.user))
    with time_machine.travel(NOW, tick=False):
        url = spec.page(world)
        page = client.get(url)
        assert page.status_code == 200, (endpoint, page.status_code)
        forms = forms_posting_to(page.content.decode(), url, endpoint)
        assert forms, f"{endpoint}: no form on {url} posts there"
        for form in forms[:MAX_FORMS_A_PAGE]:
            before = database_rows()
            action = form.attrs.get("action") or url
            if action.startswith("?"):
                action = urlsplit(url).path + action
            data = browser_submission(form)
            response = client.post(action, _as_post(data))
            assert response.status_code in (200, 302), (endpoint, response.status_code)
            assert changed_tables(before, database_rows()) == [], f"{endpoint}: saved unchanged, {data}"


def _as_post(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def test_the_member_form_shows_the_birth_date_in_buddhist_era(world: World):
    client = Client()
    client.force_login(User.objects.get(username="demo-tambon"))
    url = reverse("registry:member_edit", args=[world.household.pk, world.member.pk])
    (form,) = forms_posting_to(client.get(url).content.decode(), url, "registry:member_edit")
    birth = next(c for c in form.controls if c.attrs.get("name") == "birth_date")
    born = world.member.birth_date
    assert born is not None
    assert birth.attrs.get("type") == "text"
    assert birth.attrs["value"] == f"{born:%d}/{born:%m}/{born.year + 543}"
    assert (birth.attrs["inputmode"], birth.attrs["placeholder"]) == ("numeric", "วว/ดด/ปปปป")


def test_the_browser_rules_of_this_test():
    """The submission rules themselves, on one form of every kind of control."""
    html = """<form method="post" action="/x/">
      <input name="a" value="1"><input type="date" name="d1" value="23/11/1989">
      <input type="date" name="d2" value="1989-11-23"><input type="date" name="d3" value="1989-02-30">
      <input type="checkbox" name="c1" checked><input type="checkbox" name="c2" value="y">
      <input type="radio" name="r" value="p"><input type="radio" name="r" value="q" checked>
      <input name="off" value="z" disabled><input type="text" name="why" required>
      <select name="s1"><option value="u">U</option><option value="v" selected>V</option></select>
      <select name="s2"><option>first</option><option>second</option></select>
      <textarea name="t">
line</textarea>
      <button type="submit" name="go" value="save">Save</button><button name="other" value="no">No</button>
    </form>"""
    parser = FormParser()
    parser.feed(html)
    (form,) = parser.forms
    assert browser_submission(form) == [
        ("a", "1"), ("d1", ""), ("d2", "1989-11-23"), ("d3", ""), ("c1", "on"), ("r", "q"),
        ("why", REASON), ("s1", "v"), ("s2", "first"), ("t", "line"), ("go", "save"),
    ]  # fmt: skip
