"""``chumchon demo``: the synthetic demo province and the demo users."""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from typing import Any

from django.core.management.base import CommandError, CommandParser

from chumchon.areas.models import Area, Level
from chumchon.core.command import EXIT_USAGE, ChumchonCommand, InputRejected
from chumchon.core.thai import Month
from chumchon.demo.generate import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_MONTHS,
    DEFAULT_PROVINCE,
    DEFAULT_SEED,
    DemoCounts,
    DemoOptions,
    default_end,
    demo_generate,
    province_counts,
)
from chumchon.demo.places import DemoError
from chumchon.demo.users import DEMO_PASSWORD, DemoLogin, demo_logins_existing
from chumchon.registry.models import Household


def _bounded(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _province(text: str) -> str:
    if not re.fullmatch(r"\d{2}", text.strip()):
        raise argparse.ArgumentTypeError(f"a province code has 2 digits: {text!r}")
    return text.strip()


def _pad(text: str, width: int) -> str:
    """Pad to a column width as a terminal shows it (Thai vowel and tone marks take no column)."""
    shown = sum(1 for ch in text if unicodedata.category(ch) != "Mn")
    return text + " " * max(0, width - shown)


class Command(ChumchonCommand):
    help = (
        "Create a synthetic but realistic province (villages, households, members, debts, months "
        "of household accounts, a verification drive, needs survey, community organisations and "
        "a few likely duplicates), the demo tambon's learning forums and community plans with a "
        "people's provincial plan, and the demo users (password 'demo'). --reset removes the demo "
        "households with everything of theirs but keeps the tambons' organisations. --json counts "
        "what the province holds after the run."
    )
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=_province, default=DEFAULT_PROVINCE, help="province code (default 37)")
        parser.add_argument(
            "--households",
            type=_bounded(1, 50_000),
            default=DEFAULT_HOUSEHOLDS,
            help=f"households in the province (default {DEFAULT_HOUSEHOLDS}; the demo users' areas always get some)",
        )
        parser.add_argument(
            "--months",
            type=_bounded(1, 60),
            default=DEFAULT_MONTHS,
            help=f"months of accounts (default {DEFAULT_MONTHS})",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument(
            "--end", type=_month, help="last month of accounts, YYYY-MM (BE years accepted; default last month)"
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty", action="store_true", help="do nothing (but print the logins) when the province has households"
        )
        mode.add_argument("--reset", action="store_true", help="delete the province's demo data first, then regenerate")

    def handle(self, *args: Any, **options: Any) -> None:
        json_mode = options["json"]
        demo = self._options(options)
        if not Area.objects.filter(code=demo.province, level=Level.PROVINCE).exists():
            raise InputRejected(
                self.t(
                    f"ไม่พบจังหวัดรหัส {demo.province} (รัน chumchon init ก่อน)",
                    f"no province {demo.province} (run chumchon init first)",
                )
            )
        if options["if_empty"] and Household.objects.filter(province_code=demo.province).exists():
            self._report(demo.province, generated=False, logins=demo_logins_existing(), json_mode=json_mode)
            return
        started = time.monotonic()
        try:
            result = demo_generate(demo, reset=options["reset"])
        except DemoError as exc:
            raise InputRejected(str(exc)) from exc
        seconds = time.monotonic() - started
        if not json_mode:
            self._summary(result.province, result.counts, demo, seconds)
        self._report(demo.province, generated=True, logins=result.logins, json_mode=json_mode, demo=demo)

    def _options(self, options: dict[str, Any]) -> DemoOptions:
        """The run's options, validated. ``call_command()`` passes keyword options through
        without argparse's conversion, so strings are parsed here again."""
        latest = default_end()
        try:
            end = options["end"] or latest
            demo = DemoOptions(
                end=_month(end) if isinstance(end, str) else end,
                province=_province(str(options["province"])),
                households=_bounded(1, 50_000)(str(options["households"])),
                months=_bounded(1, 60)(str(options["months"])),
                seed=int(options["seed"]),
            )
        except (argparse.ArgumentTypeError, ValueError) as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from exc
        if demo.end > latest:
            raise InputRejected(
                self.t(
                    f"--end ต้องเป็นเดือนที่จบแล้ว (ไม่เกิน {latest.label(lang='th', full=False)})",
                    f"--end must be a complete month (at most {latest.iso()})",
                )
            )
        return demo

    def _summary(self, province: Area, counts: DemoCounts, demo: DemoOptions, seconds: float) -> None:
        lang = self.lang
        period = f"{demo.first.label(lang=lang, full=False)} – {demo.end.label(lang=lang, full=False)}"
        self.stdout.write(
            self.t(
                f"สร้างข้อมูลสาธิต {province.display_name}: หมู่บ้านใหม่ {counts.villages:,} "
                f"ครัวเรือน {counts.households:,} สมาชิก {counts.members:,} คน หนี้สิน {counts.debts:,} รายการ "
                f"บัญชีครัวเรือน {counts.ledger_entries:,} รายการ ({period}) ใช้เวลา {seconds:.1f} วินาที",
                f"Demo data for {province.name_en or province.name_th}: {counts.villages:,} new villages, "
                f"{counts.households:,} households, {counts.members:,} members, {counts.debts:,} debts, "
                f"{counts.ledger_entries:,} account lines ({period}) in {seconds:.1f} s",
            )
        )
        self.stdout.write(
            self.t(
                f"สำรวจความจำเป็น {counts.surveyed:,} ครัวเรือน (ครัวเรือนเป้าหมาย {counts.target:,}) "
                f"องค์กรใหม่ {counts.organisations:,} แห่ง รายชื่อที่อาจซ้ำรอตรวจ {counts.duplicates:,} คู่",
                f"Needs survey of {counts.surveyed:,} households ({counts.target:,} target households), "
                f"{counts.organisations:,} new organisations, {counts.duplicates:,} likely duplicates to review",
            )
        )

    def _report(
        self,
        province: str,
        *,
        generated: bool,
        logins: list[DemoLogin],
        json_mode: bool,
        demo: DemoOptions | None = None,
    ) -> None:
        """The closing output: the JSON document, or the logins table."""
        if json_mode:
            document: dict[str, Any] = {
                "province": province,
                "generated": generated,
                **province_counts(province).as_dict(),
                "logins": [login.as_json() for login in logins],
            }
            if demo is not None:
                document.update({"seed": demo.seed, "from": demo.first.iso(), "to": demo.end.iso()})
            self.emit_json(document)
            return
        if not generated:
            self.stdout.write(
                self.t(
                    "จังหวัดนี้มีครัวเรือนอยู่แล้ว ไม่ได้สร้างข้อมูลสาธิตใหม่",
                    "The province already has households; no demo data was generated",
                )
            )
        self._logins_table(logins)

    def _logins_table(self, logins: list[DemoLogin]) -> None:
        if not logins:
            self.stdout.write(
                self.t(
                    "ยังไม่มีผู้ใช้สาธิต (รัน chumchon demo --reset เพื่อสร้าง)",
                    "No demo users yet (run chumchon demo --reset to create them)",
                )
            )
            return
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.t("เข้าสู่ระบบด้วยผู้ใช้สาธิต:", "Demo logins:"))
        head = (self.t("ผู้ใช้", "user"), self.t("รหัสผ่าน", "password"), self.t("ขอบเขต", "scope"))
        self.stdout.write(f"  {_pad(head[0], width)}  {_pad(head[1], 8)}  {head[2]}")
        for login in logins:
            self.stdout.write(f"  {_pad(login.username, width)}  {_pad(DEMO_PASSWORD, 8)}  {login.scope(self.lang)}")
        self.stdout.write(self.t("(ข้อมูลสาธิตเป็นข้อมูลสมมติ ไม่ใช่บุคคลจริง)", "(synthetic data, not real people)"))
