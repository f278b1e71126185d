"""Browser test harness: Playwright driving Debian's Chromium against pytest-django's live server.

* ``browser`` launches /usr/bin/chromium once for the package. Playwright cannot
  download browsers here; a missing Chromium skips the tests on a workstation and
  fails them under CI (``CI`` set), where it must be installed.
* ``demo`` loads the ``chumchon demo`` province for one test. ``live_server``
  implies ``transactional_db``, and a transactional test ends by flushing every
  table — including the Thai areas that the root conftest loads once per session —
  so each test loads what it needs again, and ``_areas_restored`` puts the areas
  and ledger categories back once the package is done, for the tests that follow.
* ``page`` is a fresh browser context (Thai, 1280 px wide) per test; ``shot`` saves
  a full-page screenshot of a step to ``test-artifacts/screenshots/<test>-<step>.png``
  (``CHUMCHON_TEST_ARTIFACTS`` moves ``test-artifacts``). A failing test also
  leaves ``<test>-failure.png``.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / os.environ.get("CHUMCHON_TEST_ARTIFACTS", "test-artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000

DEMO_PASSWORD = "demo"
# Given as command-line options: call_command() does not run keyword options through
# the parser's type= converters, and --end must become a Month.
DEMO_ARGS = ["--households=80", "--months=2", "--seed=20240301", "--end=2024-03"]


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _unavailable(reason: str) -> None:
    """Skip on a workstation; under CI the browser is part of the test environment, so fail."""
    if _under_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="package")
def _areas_restored(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """After the browser tests, leave the database as the session started it: areas and categories.

    Requesting ``django_db_setup`` here also makes the test database outlive the
    (session-scoped) live server, which would otherwise still hold a connection when
    PostgreSQL is asked to drop it.
    """
    yield
    from chumchon.areas.models import Area, Level
    from chumchon.areas.services import areas_load_thailand
    from chumchon.ledgers.services import categories_load_standard

    with django_db_blocker.unblock():
        if not Area.objects.filter(level=Level.PROVINCE).exists():
            areas_load_thailand()
            categories_load_standard()


@pytest.fixture(scope="package")
def browser(_areas_restored: None) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (make install-dev)")
    patch = pytest.MonkeyPatch()
    # Playwright's sync API keeps an asyncio loop registered as running on this thread
    # while it is started; without this, Django refuses the ORM calls that the tests
    # and the transactional flush make from here (SynchronousOnlyOperation). The
    # server thread is unaffected. Undone as soon as the browser has stopped.
    patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        patch.undo()


@pytest.fixture
def page(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest, shot: Callable[..., Path]
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    # Nothing outside the live server: fonts, scripts and styles are all served locally.
    origin = live_server.url.rstrip("/")
    context.route(re.compile(r"^(?!" + re.escape(origin) + r")https?://"), lambda route: route.abort())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
        if request.node.stash.get(_CALL_FAILED, False):
            shot(pg, "failure")
        assert not errors, f"uncaught JavaScript errors: {errors}"
    finally:
        context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``shot(page, "03-tambon")`` saves test-artifacts/screenshots/<test>-03-tambon.png."""
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def save(pg: Page, step: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        pg.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@dataclass(frozen=True)
class Demo:
    """What the tests need to know about the demo province, read from the database."""

    tambon_code: str  # demo-tambon's tambon (first tambon of district 3701)
    other_tambon_code: str  # demo-tambon-other's tambon (the province's second district)


@pytest.fixture
def demo(live_server: Any, settings: Any) -> Demo:
    """The demo province, freshly loaded for this (transactional) test."""
    from django.core.management import call_command

    from chumchon.access.models import Assignment
    from chumchon.areas.models import Area, Level
    from chumchon.areas.services import areas_load_thailand
    from chumchon.ledgers.services import categories_load_standard

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The session's areas are still here for the first transactional test; its flush
    # empties the tables for the next ones.
    if Area.objects.filter(level=Level.PROVINCE).count() != 77:
        areas_load_thailand()
    categories_load_standard()  # idempotent
    call_command("demo", *DEMO_ARGS, stdout=io.StringIO(), stderr=io.StringIO())

    def area_of(username: str) -> str:
        assignment = Assignment.objects.select_related("area").get(user__username=username)
        assert assignment.area is not None
        return assignment.area.code

    return Demo(tambon_code=area_of("demo-tambon"), other_tambon_code=area_of("demo-tambon-other"))
