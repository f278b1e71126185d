"""No page is an orphan: for every demo role, walking the navigation from the home page
reaches every page that role may open.

The pages a role may open are generated, not listed: every named URL pattern of the
project (the API, log-in and log-out, language switching, downloads and the health check
aside) with one representative set of arguments for each parametrised pattern — areas
along the demo users' own areas, a household, a member, a line, a user — and a pattern
counts as a page of the role when a GET of a representative answers 200 with HTML.

The walk is what a person does with a browser: from ``/``, breadth-first, it follows
every internal link of each page — ``<a href>``, the action of a GET form and its
buttons' ``formaction`` (a form submitted as it stands), ``hx-get`` (what HTMX fetches)
and a ``data-…-url`` (what the page's own script fetches) — following redirects, GET
only, never a download, with a bound on the pages visited (one visit a pattern and area
level). A page is reached when some visit of its pattern answered 200.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from chumchon.access.models import Assignment, User
from chumchon.demo.users import DEMO_USERNAMES
from chumchon.imports.models import ImportJob
from chumchon.insights.models import ForumBatch
from chumchon.ledgers.models import Enterprise, LedgerEntry, PendingLine, StatementBatch
from chumchon.registry.models import DuplicateCandidate, Household

pytestmark = pytest.mark.django_db

DEMO = ("--households", "60", "--months", "3", "--end", "2024-03", "--seed", "7")
NOW = dt.datetime(2024, 4, 10, 3, 0, tzinfo=dt.UTC)  # a working morning after the demo's months
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".zip", ".json")
NOT_NAVIGATION = {"access:login", "access:logout", "set_language", "healthz"}  # and the API
MAX_VISITS = 700  # per role
ATTEMPTS_PER_PAGE = 3  # visits of one pattern (and area level) that did not answer 200
# Demo areas: the province, its first district, tambon and village, and the second
# district's (demo-tambon-other's) — every code a representative may take.
CODES = ("37", "3701", "370101", "37010101", "3702", "370201", "37020101")
# Open by address but deliberately not linked: a village's figure map only says that a
# village has no smaller areas to map (the village dashboard has no map for that reason).
DEAD_ENDS = {("insights:map", 8)}


@dataclass(frozen=True)
class Pattern:
    name: str  # namespaced: "registry:detail"
    route: str  # "/households/<int:pk>/"
    params: tuple[str, ...]


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns: list, namespace: str, params: set[str], route: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns, p.namespace or namespace, params | set(p.pattern.converters), route + str(p.pattern)
                )
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append(Pattern(name, route + str(p.pattern), tuple(sorted(params | set(p.pattern.converters)))))

    walk(get_resolver().url_patterns, "", set(), "/")
    return found


def is_navigation(p: Pattern) -> bool:
    return p.name not in NOT_NAVIGATION and not p.name.startswith("api:") and not p.route.endswith(DOWNLOADS)


def representatives(p: Pattern) -> Iterator[str]:
    """URLs of ``p`` with demo arguments (none when the demo holds nothing to fill it)."""
    households = [
        h
        for h in (Household.objects.filter(village_id=v).order_by("pk").first() for v in ("37010101", "37020101"))
        if h is not None
    ]
    kwargs_list: list[dict[str, object]] = []
    params = set(p.params)
    if not params:
        kwargs_list = [{}]
    elif params == {"code"}:
        kwargs_list = [{"code": c} for c in CODES if (p.name, len(c)) not in DEAD_ENDS]
    elif p.name.startswith("access:"):
        for a in Assignment.objects.filter(user__username__in=DEMO_USERNAMES).order_by("pk")[:3]:
            kwargs_list.append(
                {"pk": a.user_id, "assignment_id": a.pk} if "assignment_id" in params else {"pk": a.user_id}
            )
    elif p.name.startswith("imports:"):
        kwargs_list = [{"pk": j.pk} for j in ImportJob.objects.order_by("pk")[:2]]
    elif params == {"token"}:
        model = StatementBatch if p.name.startswith("ledgers:") else ForumBatch
        kwargs_list = [{"token": b.token} for b in model.objects.order_by("pk")[:2]]
    elif params == {"candidate_id"}:
        kwargs_list = [{"candidate_id": c.pk} for c in DuplicateCandidate.objects.order_by("pk")[:2]]
    elif params == {"code", "pk"}:
        kwargs_list = [{"code": line.tambon_code, "pk": line.pk} for line in PendingLine.objects.order_by("pk")[:2]]
    elif params == {"code", "month"}:
        kwargs_list = [{"code": c, "month": "2024-03"} for c in ("37010101", "37020101")]
    elif params == {"entry_id"}:
        for h in households:
            entry = LedgerEntry.objects.filter(household=h).order_by("pk").first()
            if entry is not None:
                kwargs_list.append({"entry_id": entry.pk})
    else:
        for h in households:
            kwargs: dict[str, object] = {"pk": h.pk}
            if "member_id" in params:
                head = h.members.order_by("pk").first()
                if head is None:
                    continue
                kwargs["member_id"] = head.pk
            if "month" in params:
                kwargs["month"] = "2024-03"
            if "eid" in params:
                enterprise = Enterprise.objects.filter(household=h).order_by("pk").first()
                if enterprise is None:
                    continue
                kwargs["eid"] = enterprise.pk
            if set(kwargs) == params:
                kwargs_list.append(kwargs)
    for kwargs in kwargs_list:
        try:
            yield reverse(p.name, kwargs=kwargs)
        except NoReverseMatch:
            continue


def is_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def pages_the_role_may_open(client: Client) -> dict[str, str]:
    """Every navigable pattern with a representative the role opens: name → that URL."""
    pages = {}
    for p in url_patterns():
        if not is_navigation(p):
            continue
        for url in representatives(p):
            if is_page(client.get(url)):
                pages[p.name] = url
                break
    return pages


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "form":
            self.in_get_form = (a.get("method") or "get").lower() == "get"
            if self.in_get_form:
                self.links.append(a.get("action") or "")
        if tag in ("button", "input") and self.in_get_form and a.get("formaction"):
            self.links.append(a["formaction"] or "")  # a submit button sending the form elsewhere
        if a.get("hx-get"):
            self.links.append(a["hx-get"] or "")
        for name, value in attrs:  # what a page's own script fetches (data-month-url …)
            if name.startswith("data-") and name.endswith("-url") and value:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.links:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path
        out.append(path + (f"?{parts.query}" if parts.query else ""))
    return out


def _key(path: str) -> tuple[str, tuple[object, ...]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    # One visit a pattern, and one an area level for the pages of an area.
    shape = tuple(len(str(v)) if k == "code" else k for k, v in sorted(match.kwargs.items()))
    return name, shape


def walk(client: Client) -> set[str]:
    """The patterns reached by following the navigation from ``/``."""
    reached: set[str] = set()
    done: set[tuple[str, tuple[object, ...]]] = set()
    tries: dict[tuple[str, tuple[object, ...]], int] = {}
    seen: set[str] = {"/"}
    queue: deque[str] = deque(["/"])
    visits = 0
    while queue and visits < MAX_VISITS:
        url = queue.popleft()
        path = urlsplit(url).path
        key = _key(path)
        if key is None or key in done or tries.get(key, 0) >= ATTEMPTS_PER_PAGE:
            continue
        name = key[0]
        if name in NOT_NAVIGATION or name.startswith("api:") or path.endswith(DOWNLOADS) or path.startswith("/static/"):
            continue
        visits += 1
        response = client.get(url, follow=True)  # as a browser does
        if not is_page(response):
            tries[key] = tries.get(key, 0) + 1
            continue
        done.add(key)
        reached.add(name)
        if response.redirect_chain:
            url = response.redirect_chain[-1][0]
            landed = _key(urlsplit(url).path)
            if landed is not None:
                done.add(landed)
                reached.add(landed[0])
        for link in _links(url, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return reached


@time_machine.travel(NOW, tick=True)
def test_every_demo_role_reaches_every_page_it_may_open_from_the_home_page() -> None:
    call_command("demo", *DEMO, stdout=io.StringIO(), stderr=io.StringIO())
    missing: dict[str, dict[str, str]] = {}
    opened: dict[str, int] = {}
    for username in DEMO_USERNAMES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages = pages_the_role_may_open(client)
        opened[username] = len(pages)
        reached = walk(client)
        unreached = {name: url for name, url in pages.items() if name not in reached}
        if unreached:
            missing[username] = unreached
    assert not missing, f"pages a role may open but cannot reach from the home page: {missing}"
    # The walk is not vacuous: every role opens pages, the staff many.
    assert all(n >= 3 for n in opened.values()), opened
    assert opened["demo-tambon"] >= 25, opened
