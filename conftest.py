"""Test fixtures shared by every test: Thailand's areas are loaded once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from chumchon.areas.services import areas_load_thailand
    from chumchon.ledgers.services import categories_load_standard
    from chumchon.registry.services import indicator_editions_load

    with django_db_blocker.unblock():
        areas_load_thailand()
        categories_load_standard()
        indicator_editions_load()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength costs ~0.3 s a user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # The figures' cache (chumchon.insights.cache) is keyed by the data's versions, which
    # a rolled-back test can reach again with other data: each test starts with none.
    from django.core.cache import cache

    from chumchon.ledgers.selectors import category_kinds_forget

    cache.clear()
    category_kinds_forget()
    yield
    cache.clear()
    category_kinds_forget()


# --- the append-only audit log and transactional tests ----------------------------
# The audit table refuses DELETE and TRUNCATE (database triggers from access migration
# 0002). Transactional tests (live_server, django_db(transaction=True)) end with a flush
# that empties every table, so for those tests the triggers are lifted just before the
# flush and put back by the post_migrate signal that flush sends afterwards.


def _audit_trigger_sql():
    import importlib

    return importlib.import_module("chumchon.access.migrations.0002_audit_append_only")


def _audit_triggers(install: bool) -> None:
    from django.db import connection

    module = _audit_trigger_sql()
    vendor = {"sqlite": "SQLITE", "postgresql": "POSTGRES"}[connection.vendor]
    statements = getattr(module, f"{vendor}_REVERSE")
    if install:
        statements = [*statements, *getattr(module, vendor)]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reinstall_after_flush(**kwargs):
    _audit_triggers(install=True)


@pytest.fixture(autouse=True)
def _audit_triggers_around_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    from django.db.models.signals import post_migrate

    request.getfixturevalue("transactional_db")  # so our teardown runs before its flush
    post_migrate.connect(_reinstall_after_flush, dispatch_uid="chumchon-audit-triggers")
    yield
    _audit_triggers(install=False)


@pytest.fixture(scope="session", autouse=True)
def _field_key():
    # A PostgreSQL test run starts with an empty var/ and no key (the key is generated
    # by ``chumchon`` only once it has seen the database is empty).
    from django.conf import settings

    if not settings.FIELD_ENCRYPTION_KEY:
        settings.FIELD_ENCRYPTION_KEY = "test field key"
