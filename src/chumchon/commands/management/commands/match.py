"""``chumchon match AREA --year YYYY [--json]``: allocate the programmes' budgets to the
plan items of a tambon, district or province (``plan-template.md``, Matching).

Every run is kept (``matching.MatchRun``: inputs, solver, gap, time, objective and the
greedy baseline). ``--lock ITEM:PROGRAMME[:AMOUNT]`` and ``--exclude ITEM:PROGRAMME``
(repeatable; ids as ``GET /api/plans`` and the run's JSON give them) fix or forbid a
pair, as people do on the page.

Exit codes: 0 the run is stored (whatever its status); 3 the locks cannot all hold
(status ``infeasible``) or a lock names a pair that cannot be matched; 2 usage.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.access.services import Actor
from chumchon.areas.selectors import area_by_code
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.core.thai import arabic_digits
from chumchon.matching.selectors import programmes_of
from chumchon.matching.services import MatchingError, PairChoice, match_run
from chumchon.plans.models import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN

PAIR = re.compile(r"^(\d+):(\d+|[^:]+)(?::([\d,.]+))?$")


class Command(ChumchonCommand):
    help = (
        "Allocate the programmes' budgets to the plan items of an area for a fiscal year (BE), "
        "maximising the households served (HiGHS, with a greedy fallback)."
    )
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("area", help="a 6-digit tambon, 4-digit district or 2-digit province code")
        parser.add_argument("--year", required=True, help="the fiscal year, Buddhist Era (e.g. 2568)")
        parser.add_argument("--gap", type=float, default=0.01, help="the relative MIP gap to stop at (default 0.01)")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for the solver (default 30)")
        parser.add_argument("--lock", action="append", default=[], metavar="ITEM:PROGRAMME[:AMOUNT]")
        parser.add_argument("--exclude", action="append", default=[], metavar="ITEM:PROGRAMME")

    def handle(self, *args: Any, **options: Any) -> None:
        code = arabic_digits(options["area"]).strip()
        area = area_by_code(code) if len(code) in (2, 4, 6) else None
        if area is None:
            raise CommandError(
                self.t(
                    f"ไม่พบพื้นที่รหัส '{code}' (ใช้รหัสตำบล 6 หลัก อำเภอ 4 หลัก หรือจังหวัด 2 หลัก)",
                    f"no tambon, district or province with code '{code}'",
                ),
                returncode=EXIT_USAGE,
            )
        year_text = arabic_digits(options["year"]).strip()
        if not year_text.isdigit() or not FISCAL_YEAR_MIN <= int(year_text) <= FISCAL_YEAR_MAX:
            raise CommandError(
                self.t(
                    f"--year ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2568 (ไม่ใช่ '{options['year']}')",
                    f"--year is a Buddhist Era fiscal year such as 2568 (not '{options['year']}')",
                ),
                returncode=EXIT_USAGE,
            )
        year = int(year_text)
        locks = [self._pair(text, year, area.province_code, amount=True) for text in options["lock"]]
        excludes = [self._pair(text, year, area.province_code, amount=False) for text in options["exclude"]]
        try:
            run = match_run(
                actor=Actor.system(f"cli: chumchon match {area.code} --year {year}"),
                area=area, fiscal_year=year, locks=locks, excludes=excludes,
                gap=options["gap"], time_limit=options["time_limit"],
            )  # fmt: skip
        except MatchingError as error:
            raise InputRejected(str(error)) from None
        if options["json"]:
            self.emit_json(run.result)
        else:
            self._summary(run.result)
        if run.status == "infeasible":
            raise InputRejected(self.t("ล็อกคู่ที่กำหนดไว้ไม่สามารถเป็นจริงพร้อมกันได้", "the locks cannot all hold"))

    def _pair(self, text: str, year: int, province: str, *, amount: bool) -> PairChoice:
        match = PAIR.match(arabic_digits(text).strip())
        if match is None or (match.group(3) and not amount):
            raise CommandError(
                self.t(f"'{text}' ต้องเป็น ITEM:PROGRAMME", f"'{text}' is ITEM:PROGRAMME"), returncode=EXIT_USAGE
            )
        item, programme_ref, money = match.groups()
        programmes = programmes_of(province, year)
        programme = next((p for p in programmes if p.code == programme_ref), None) or next(
            (p for p in programmes if str(p.pk) == programme_ref), None
        )
        if programme is None:
            raise CommandError(
                self.t(f"ไม่พบโครงการ '{programme_ref}' ของปี {year}", f"no programme '{programme_ref}' of {year}"),
                returncode=EXIT_USAGE,
            )
        value = None
        if money:
            try:
                value = Decimal(money.replace(",", "")).quantize(Decimal("0.01"))
            except InvalidOperation:
                raise CommandError(self.t(f"จำนวนเงิน '{money}' ไม่ถูกต้อง", f"bad amount '{money}'")) from None
        return PairChoice(item=int(item), programme=programme.pk, amount=value)

    def _summary(self, body: dict[str, Any]) -> None:
        funded = sum(a["amount"] for a in body["allocations"])
        self.stdout.write(
            self.t(
                f"จับคู่ {body['area']} ปีงบประมาณ {body['fiscal_year']}: {body['status']} "
                f"({body['solver']}, {body['seconds']} วินาที, gap {body['gap']})",
                f"Match of {body['area']} for fiscal year {body['fiscal_year']}: {body['status']} "
                f"({body['solver']}, {body['seconds']} s, gap {body['gap']})",
            )
        )
        self.stdout.write(
            self.t(
                f"ได้รับงบ {body['items_funded']:,} รายการ {funded:,.2f} บาท ครัวเรือนได้ประโยชน์ "
                f"{body['objective_households']:,} ครัวเรือน (วิธีละโมบได้ {body['greedy_households']:,}) "
                f"ยังไม่ได้ {len(body['unfunded']):,} รายการ",
                f"{body['items_funded']:,} items funded, {funded:,.2f} baht, {body['objective_households']:,} "
                f"households served (greedy: {body['greedy_households']:,}); {len(body['unfunded']):,} unfunded",
            )
        )
        for row in body["unfunded"][:20]:
            self.stdout.write(f"  - {row['item']} {row['title']}: {'; '.join(row['reasons'])}")
