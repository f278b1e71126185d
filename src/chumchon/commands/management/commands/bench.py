from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chumchon.bench.run import BenchError, bench_run
from chumchon.core.command import ChumchonCommand, InputRejected


class Command(ChumchonCommand):
    help = "The benchmark (docs/BENCHMARKS.md): import, raw COPY, rollup verification and figures on this database."
    json_capable = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=10_000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--province", default="37", help="a province with no households yet (default 37)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--samples", type=int, default=300, help="figures calls to time")
        parser.add_argument("--dashboards", type=int, default=30, help="tambon dashboard pages to time (0: none)")
        parser.add_argument("--packs", type=int, default=5, help="village forum packs to time (0: none)")
        parser.add_argument("--keep", action="store_true", help="keep the generated households and accounts")
        parser.add_argument(
            "--no-copy",
            dest="copy",
            action="store_false",
            help="skip the two COPY baselines (import_vs_copy is then not measured: 0)",
        )
        parser.add_argument(
            "--load",
            metavar="URL",
            help="instead: the load run against a running `chumchon serve` (docs/BENCHMARKS.md)",
        )
        parser.add_argument("--users", type=int, default=200, help="--load: simulated logged-in users")
        parser.add_argument("--seconds", type=float, default=120, help="--load: how long")
        parser.add_argument(
            "--national",
            action="store_true",
            help="instead: the national roll-up from the provinces' aggregates, simulated (docs/SCALE.md)",
        )
        parser.add_argument(
            "--matching",
            action="store_true",
            help="instead: the optimiser on a province's generated items × programmes (docs/BENCHMARKS.md)",
        )
        parser.add_argument("--items", type=int, default=3000, help="--matching: plan items")
        parser.add_argument("--programmes", type=int, default=40, help="--matching: programmes")
        parser.add_argument("--tambons", type=int, default=80, help="--matching: tambons the items are spread over")
        parser.add_argument("--provinces", type=int, default=77, help="--national: provinces sending")
        parser.add_argument("--national-households", type=int, default=22_000_000, help="--national: in all 77")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] < 1 or not 1 <= options["months"] <= 60:
            raise InputRejected(
                self.t("--households ต้องมากกว่า 0 และ --months 1–60", "--households must be > 0, --months 1–60")
            )
        json_mode = options["json"]
        if options["load"]:
            self._load(options)
            return
        if options["national"]:
            self._national(options)
            return
        if options["matching"]:
            self._matching(options)
            return
        try:
            result = bench_run(
                households=options["households"],
                months=options["months"],
                province_code=options["province"],
                seed=options["seed"],
                samples=options["samples"],
                dashboards=max(0, options["dashboards"]),
                packs=max(0, options["packs"]),
                keep=options["keep"],
                copy=options["copy"],
                say=lambda text: self.stderr.write(f"… {text}"),
            )
        except BenchError as exc:
            raise InputRejected(str(exc)) from exc
        if json_mode:
            self.emit_json(result.as_json())
            return
        for key, value in result.as_json().items():
            if key != "machine":
                self.stdout.write(f"{key:>26}  {value}")

    def _matching(self, options: dict[str, Any]) -> None:
        from chumchon.bench.matching import matching_bench

        if options["items"] < 1 or options["programmes"] < 2 or options["tambons"] < 1:
            raise InputRejected(
                self.t(
                    "--items ต้องมากกว่า 0, --programmes อย่างน้อย 2, --tambons มากกว่า 0",
                    "--items must be > 0, --programmes at least 2, --tambons > 0",
                )
            )
        result = matching_bench(
            items=options["items"], programmes=options["programmes"], tambons=options["tambons"], seed=options["seed"]
        )
        if options["json"]:
            self.emit_json(result.as_json())
            return
        for key, value in result.as_json().items():
            if key != "machine":
                self.stdout.write(f"{key:>22}  {value}")

    def _load(self, options: dict[str, Any]) -> None:
        from chumchon.bench.load import load_run

        try:
            result = load_run(
                options["load"],
                users=options["users"],
                seconds=options["seconds"],
                pause=(2.0, 5.0),
                seed=options["seed"],
                say=lambda text: self.stderr.write(f"… {text}"),
            )
        except ValueError as exc:
            raise InputRejected(str(exc)) from exc
        if options["json"]:
            self.emit_json(result.as_json())
            return
        for key, value in result.as_json().items():
            self.stdout.write(f"{key:>26}  {value}")

    def _national(self, options: dict[str, Any]) -> None:
        from chumchon.bench.national import national_run

        if not 1 <= options["provinces"] <= 77 or options["national_households"] < 1:
            raise InputRejected(
                self.t(
                    "--provinces ต้องอยู่ระหว่าง 1–77 และ --national-households มากกว่า 0",
                    "--provinces must be 1–77, --national-households > 0",
                )
            )
        result = national_run(
            provinces=options["provinces"],
            months=options["months"],
            households=options["national_households"],
            samples=options["samples"],
            seed=options["seed"],
            say=lambda text: self.stderr.write(f"… {text}"),
        )
        if options["json"]:
            self.emit_json(result.as_json())
            return
        for key, value in result.as_json().items():
            if key != "machine":
                self.stdout.write(f"{key:>28}  {value}")
