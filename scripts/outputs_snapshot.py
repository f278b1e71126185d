"""Write what the demo province prints, so two versions of the code can be compared byte
for byte: a refactoring must not change a figure, a statement or a forum pack.

    .venv/bin/python scripts/outputs_snapshot.py /tmp/before      # on the old commit
    .venv/bin/python scripts/outputs_snapshot.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after && echo identical

Each run builds the demo in a fresh SQLite database of its own (``CHUMCHON_VAR`` is a new
temporary folder) with the clock held at one instant, so the two runs see the same data
and print the same dates. It writes ``chumchon figures --json`` of the province, every
district and tambon and some villages over a month, a quarter and the fiscal year; the
household statements of a village and the forum packs of two villages and a tambon (PDF);
and ``SHA256SUMS`` of them all. To run a commit other than the checkout's, put its
``src`` first: ``PYTHONPATH=/path/to/other/src .venv/bin/python scripts/…``.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tempfile
from pathlib import Path

import time_machine

INSTANT = "2026-11-20 10:00 +0700"  # a day inside the demo's last month of accounts
VILLAGES = 5


def main(out: Path) -> None:
    os.environ["CHUMCHON_VAR"] = tempfile.mkdtemp(prefix="chumchon-snapshot-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
    out.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(INSTANT):  # ticking: durations and timeouts still pass
        import django

        django.setup()
        from django.core.management import call_command

        from chumchon.areas.models import Area, Level
        from chumchon.registry.models import Household

        def command(*args: str) -> str:
            buffer = io.StringIO()
            call_command(*args, stdout=buffer, stderr=io.StringIO())
            return buffer.getvalue()

        command("init")
        command("demo")
        province = Household.objects.values_list("province_code", flat=True).first()
        villages = sorted(set(Household.objects.values_list("village_id", flat=True)))[:VILLAGES]
        areas = list(
            Area.objects.filter(code__startswith=province, level__in=[Level.PROVINCE, Level.DISTRICT, Level.TAMBON])
            .order_by("code")
            .values_list("code", flat=True)
        )
        spans = [("2569-10", "2569-10"), ("2569-10", "2569-12"), ("2568-10", "2569-09")]
        for code in [*areas, *villages]:
            for first, last in spans:
                text = command("figures", code, "--from", first, "--to", last, "--json")
                (out / f"figures-{code}-{first}-{last}.json").write_text(text, encoding="utf-8")
        command("statement", "--village", villages[0], "--month", "2569-10", "--out", str(out / "statements.pdf"))
        tambon = villages[0][:6]
        for code in [villages[0], villages[1], tambon]:
            command("report", "forum", code, "--month", "2569-10", "--out", str(out / f"pack-{code}.pdf"))
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in sorted(out.iterdir()) if p.is_file()]
    sums = [s for s in sums if not s.endswith("SHA256SUMS")]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    print(f"{len(sums)} files in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: outputs_snapshot.py OUT_DIR")
    main(Path(sys.argv[1]))
