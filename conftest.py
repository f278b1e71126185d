"""Test fixtures shared by every test: Thailand's areas are loaded once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from chumchon.areas.services import areas_load_thailand
    from chumchon.ledgers.services import categories_load_standard

    with django_db_blocker.unblock():
        areas_load_thailand()
        categories_load_standard()
