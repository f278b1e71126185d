"""The audit log says in Thai what happened: every action and every object type any code
records has a label (found by reading the source, so a new one cannot be forgotten)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from chumchon.access.audit_labels import OBJECT_LABELS, event_summary, object_label
from chumchon.access.models import Action, AuditEvent
from chumchon.access.services import Actor, audit_record
from tests import factories

PACKAGE = Path(__file__).resolve().parents[2]
THAI = re.compile(r"[\u0e01-\u0e5b]")


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _assigned(tree: ast.AST, name: str) -> set[str]:
    """Strings assigned to ``name`` in a module (``object_type, object_id = "x", y`` too)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                found |= _strings(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for element, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(element, ast.Name) and element.id == name:
                        found |= _strings(value)
    return found


def object_types_in_source() -> dict[str, str]:
    """Every object type passed to an audit call outside tests: type -> where it is."""
    used: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.relative_to(PACKAGE).parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "object_type":
                    continue
                value = keyword.value
                names = _strings(value)
                if isinstance(value, ast.Name):
                    names |= _assigned(tree, value.id)
                for name in names:
                    used.setdefault(name, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return used


# Read once, while the tests are collected. CPython 3.11's AST constructor keeps one
# recursion counter per interpreter (gh-106905): parsing while a live server's thread
# also parses can fail with "AST constructor recursion depth mismatch".
USED = object_types_in_source()


def test_the_source_is_read_right():
    used = USED
    # literal, conditional (throttle: "user" if name else "address") and assigned ones
    assert {"figure_rows", "household", "address", "household_statements", "month"} <= set(used)
    assert "object_type" not in used  # a filter's own keyword is not an object type


def test_every_object_type_used_anywhere_has_a_label():
    missing = {name: where for name, where in USED.items() if name not in OBJECT_LABELS}
    assert not missing, f"give these audit object types a label in access/audit_labels.py: {missing}"


@pytest.mark.parametrize("name", sorted(OBJECT_LABELS))
def test_every_object_label_is_thai(name):
    with translation.override("th"):
        assert THAI.search(object_label(name)), name


@pytest.mark.parametrize("action", list(Action))
def test_every_action_is_thai(action):
    with translation.override("th"):
        assert THAI.search(str(action.label)), action


def test_the_summary_reads_as_one_thai_phrase():
    with translation.override("th"):
        assert event_summary(str(Action.VIEW.label), "figure_rows") == "เปิดดูรายการเบื้องหลังตัวเลข"
        assert object_label("something_old") == "something_old"
    with translation.override("en"):
        assert event_summary(str(Action.VIEW.label), "figure_rows") == "viewed the rows behind a figure"


@pytest.mark.django_db
def test_the_audit_log_says_what_happened_in_thai(client):
    audit_record(actor=Actor.system("t"), action=Action.VIEW, object_type="figure_rows", area_code="370101")
    audit_record(actor=Actor.system("t"), action=Action.LOGIN, object_type="user", object_id=7)
    client.force_login(factories.admin(username="boss"))
    html = client.get(reverse("access:audit")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html.split("<tbody>", 1)[1])  # the log's rows as one reads them
    assert "เปิดดูรายการเบื้องหลังตัวเลข" in text
    assert "figure_rows" not in text
    assert "เข้าสู่ระบบ" in text
    event = AuditEvent.objects.get(action=Action.LOGIN)
    with translation.override("th"):
        assert event.summary == "เข้าสู่ระบบ"  # one's own login: the action says it all


@pytest.mark.django_db
def test_the_audit_log_filters_by_object_in_words(client):
    audit_record(actor=Actor.system("t"), action=Action.VIEW, object_type="figure_rows", area_code="370101")
    audit_record(actor=Actor.system("t"), action=Action.VIEW, object_type="household", object_id=1)
    client.force_login(factories.admin(username="boss"))
    page = client.get(reverse("access:audit"), {"object_type": "figure_rows"})
    assert [e.object_type for e in page.context["page"]] == ["figure_rows"]
    assert '<option value="figure_rows" selected>รายการเบื้องหลังตัวเลข</option>' in page.content.decode()
