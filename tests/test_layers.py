"""The house's rule the import linter cannot see: an app reads another app's data only
through that app's selectors (and writes it only through its services).

``lint-imports`` keeps the layers one way (pyproject.toml); this keeps each app's tables
its own. A module of one app may import another app's model class — as a type, a
foreign key's target, a choice — but may not query it (``Model.objects``, its default
manager): the query belongs in the other app's ``selectors``. The synthetic province
(``demo``), the benchmark (``bench``), the operations (``ops``) and the commands that tie
the apps together stand above every app and write all of them by design; they are not
checked. Tests and migrations are not app code.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

from django.db import models

import chumchon

ROOT = Path(chumchon.__file__).parent
ABOVE_THE_APPS = {"demo", "bench", "ops", "commands"}
MANAGERS = {"objects", "_default_manager"}


@dataclass(frozen=True)
class Query:
    module: str
    line: int
    model: str  # app.Model

    def __str__(self) -> str:
        return f"{self.module}:{self.line} queries {self.model}"


def apps() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and (p / "models.py").exists())


def foreign_queries(source: str, app: str, name: str) -> list[Query]:
    """The queries in one module of ``app`` (its ``source``) of a model class imported
    from another app."""
    tree = ast.parse(source, filename=name)
    imported: dict[str, str] = {}  # local name -> "other_app.Model"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chumchon."):
            parts = node.module.split(".")
            if len(parts) >= 3 and parts[2] == "models" and parts[1] != app:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    value = getattr(module, alias.name, None)
                    if isinstance(value, type) and issubclass(value, models.Model):
                        imported[alias.asname or alias.name] = f"{parts[1]}.{alias.name}"
    return [
        Query(name, node.lineno, imported[node.value.id])
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in MANAGERS
        and isinstance(node.value, ast.Name)
        and node.value.id in imported
    ]


def app_modules(app: str) -> list[Path]:
    return [
        p
        for p in sorted((ROOT / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(p.relative_to(ROOT / app).parts)
    ]


def test_no_app_queries_another_apps_models() -> None:
    found = [
        query
        for app in apps()
        if app not in ABOVE_THE_APPS
        for path in app_modules(app)
        for query in foreign_queries(path.read_text(encoding="utf-8"), app, str(path.relative_to(ROOT.parent)))
    ]
    assert len(apps()) >= 6  # the scan reads the apps themselves
    assert found == [], "read through the other app's selectors:\n" + "\n".join(map(str, found))


def test_the_check_sees_a_foreign_query() -> None:
    """The scan itself: a module of insights that queries the ledgers' rollups is found;
    one that names another app's models only as types, or queries its own app's, is not."""
    source = (
        "from chumchon.ledgers.models import HouseholdMonth, Kind\n"
        "from chumchon.areas.models import Area\n"
        "from chumchon.insights.models import ResultCache\n"
        "def rows():\n"
        "    return HouseholdMonth.objects.filter(entries__gt=0)\n"
        "def typed(area: Area, kind: Kind) -> int:\n"
        "    return ResultCache.objects.count()\n"
    )
    found = foreign_queries(source, "insights", "probe.py")
    assert [(q.model, q.line) for q in found] == [("ledgers.HouseholdMonth", 5)]
    assert [(q.model, q.line) for q in foreign_queries(source, "ledgers", "probe.py")] == [("insights.ResultCache", 7)]
