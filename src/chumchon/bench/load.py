"""The load run (``chumchon bench --load URL``): many logged-in users at once.

Each simulated user is a tambon officer of one tambon with households (the users are
created here, and logged in through the session store before the run, as a morning's
logins would be), and loops: the tambon page, the dashboard, the household list, with a
random pause between clicks. One thread a user, ``http.client`` on a keep-alive
connection a user (no runtime dependency). Reports requests/s, p50, p95, max and
errors; an answer that is not 200 or a request that fails or times out is an error.
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection
from django.test import Client

from chumchon.access.models import Assignment, Role, User
from chumchon.areas.models import Area, Level
from chumchon.registry.models import Household


@dataclass
class LoadResult:
    database: str
    users: int
    seconds: float
    requests: int
    errors: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    by_page_p95_ms: dict[str, float]

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def _tambons(limit: int) -> list[str]:
    codes = (
        Household.objects.order_by().values_list("tambon_code", flat=True).distinct()[:limit]
    )  # tambons that have households
    return [c for c in codes if Area.objects.filter(code=c, level=Level.TAMBON).exists()]


def load_users(n: int) -> list[tuple[str, str]]:
    """``n`` tambon officers over the tambons with households, each logged in: (tambon, session)."""
    tambons = _tambons(50)
    if not tambons:
        raise ValueError("no households: run `chumchon demo` first")
    out = []
    for i in range(n):
        tambon = tambons[i % len(tambons)]
        user, _ = User.objects.get_or_create(username=f"load-officer-{i:03d}")
        if not user.assignments.filter(role=Role.TAMBON_STAFF, area_id=tambon).exists():
            Assignment.objects.create(user=user, role=Role.TAMBON_STAFF, area=Area.objects.get(code=tambon))
        client = Client()
        client.force_login(user)
        out.append((tambon, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return out


def load_run(
    url: str, *, users: int, seconds: float, pause: tuple[float, float], seed: int, say: Callable[[str], None]
) -> LoadResult:
    logged_in = load_users(users)
    say(f"{users} users logged in; running {seconds:.0f} s against {url}")
    target = urllib.parse.urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    timings: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    pages = [
        ("tambon", "/areas/{code}/"),
        ("dashboard", "/insights/area/{code}/"),
        ("households", "/households/area/{code}/"),
    ]

    def user_loop(n: int, tambon: str, session: str) -> None:
        rng = random.Random(seed * 1000 + n)
        time.sleep(rng.uniform(0, pause[1]))  # the users do not all click in the same instant
        conn = http.client.HTTPConnection(host, port, timeout=60)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Host": target.netloc or host}
        while time.monotonic() < deadline:
            for name, path in pages:
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    conn.request("GET", path.format(code=tambon), headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    problem = f"{name} {response.status}"
                except (OSError, http.client.HTTPException) as exc:
                    ok, problem = False, f"{name} {type(exc).__name__}"
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings.append((name, elapsed))
                    if not ok:
                        errors.append(problem)
                time.sleep(rng.uniform(*pause))
        conn.close()

    threads = [
        threading.Thread(target=user_loop, args=(n, tambon, session), daemon=True)
        for n, (tambon, session) in enumerate(logged_in)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    elapsed = time.monotonic() - started
    if errors:
        say(f"errors: {sorted(set(errors))[:10]}")
    all_ms = sorted(ms for _, ms in timings) or [0.0]

    def p(values: list[float], q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 1)

    by_page = {name: p(sorted(ms for n, ms in timings if n == name) or [0.0], 0.95) for name, _ in pages}
    return LoadResult(
        database=connection.vendor,
        users=users,
        seconds=round(elapsed, 1),
        requests=len(timings),
        errors=len(errors),
        requests_per_s=round(len(timings) / elapsed, 1),
        p50_ms=round(statistics.median(all_ms), 1),
        p95_ms=p(all_ms, 0.95),
        max_ms=round(all_ms[-1], 1),
        by_page_p95_ms=by_page,
    )
