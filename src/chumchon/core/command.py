"""The base of every ``chumchon`` command: Thai by default, ``--lang en``, ``--json``,
and the contract's exit codes (0 ok, 2 usage, 3 input rejected, 1 anything else)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options
from django.db import connections
from django.utils import translation

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3


class InputRejected(CommandError):
    """The input was refused; nothing was written (exit 3)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=EXIT_REJECTED)


class ChumchonCommand(BaseCommand):
    json_capable = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name.replace("manage.py", "chumchon"), subcommand, **kwargs)
        parser.add_argument("--lang", choices=["th", "en"], default="th", help="message language (default th)")
        if self.json_capable:
            parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        return parser

    def add_action(self, subparsers: Any, name: str, *, help: str) -> CommandParser:
        """A sub-action (``chumchon areas stats``) that also accepts --lang and --json."""
        sub: CommandParser = subparsers.add_parser(name, help=help)
        sub.add_argument("--lang", choices=["th", "en"], default=argparse.SUPPRESS)
        if self.json_capable:
            sub.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        return sub

    def execute(self, *args: Any, **options: Any) -> Any:
        translation.activate(options.get("lang") or "th")
        self.lang = options.get("lang") or "th"
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except KeyboardInterrupt:
            raise CommandError("ยกเลิก" if self.lang == "th" else "Interrupted", returncode=EXIT_FAILURE) from None
        except Exception as exc:
            if options.get("traceback"):
                raise
            message = "เกิดข้อผิดพลาด" if self.lang == "th" else "Failed"
            raise CommandError(f"{message}: {exc.__class__.__name__}: {exc}", returncode=EXIT_FAILURE) from exc

    def t(self, th: str, en: str) -> str:
        """The message in the command's language."""
        return th if getattr(self, "lang", "th") == "th" else en

    def emit_json(self, document: object) -> None:
        self.stdout.write(json.dumps(document, ensure_ascii=False, default=str))
        self.stdout.flush()

    def run_from_argv(self, argv: list[str]) -> None:
        """As Django's, but a refused command prints only its message, not the
        exception's class name: ``chumchon: ไม่พบไฟล์ …``."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            self.stderr.write(f"chumchon: {exc}")
            sys.exit(exc.returncode)
        finally:
            connections.close_all()

    def info(self, message: str, *, json_mode: bool = False) -> None:
        """Progress and human output: stderr in --json mode so stdout stays one document."""
        (self.stderr if json_mode else self.stdout).write(message)
