"""`chumchon bench --national`: the national roll-up from the provinces' aggregate-only
files, end to end on a few provinces, against totals computed here from the files (the
timings are not tested: see docs/SCALE.md)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from chumchon.bench.national import (
    COLUMNS,
    NATION,
    REPORTING,
    ExportRejected,
    NationalNode,
    area_provinces,
    export_write,
    national_run,
    province_synthetic,
)
from chumchon.core.thai import Month
from chumchon.ledgers.models import AreaMonthCategory
from chumchon.ledgers.selectors import category_kinds

pytestmark = pytest.mark.django_db

OCT, NOV = Month(2025, 10), Month(2025, 11)


def _node() -> NationalNode:
    kinds = category_kinds()
    return NationalNode(area_provinces(), income=kinds.income, expense=kinds.expense)


def _frame(rows: list[tuple[str, str, dt.date, str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


def test_the_run_sends_only_shown_cells_and_the_nation_is_the_sum_of_the_provinces(tmp_path: Path) -> None:
    result = national_run(provinces=3, months=2, households=2_000_000, samples=5, keep=tmp_path)

    assert result.totals_exact and result.regions_exact and result.resend_unchanged
    assert result.small_cells_received == 0 and result.person_level_rows_received == 0
    assert result.query_samples == 5 and result.cells_suppressed_at_source > 0

    # Independently: read the files as a national node would, sum the provinces' rows.
    kinds = category_kinds()
    income = expense = Decimal(0)
    rows = 0
    manifests = sorted(tmp_path.glob("*.manifest.json"))
    assert len(manifests) == 3 and len(list(tmp_path.glob("*.csv"))) == 3
    for path in manifests:
        manifest = json.loads(path.read_text())
        data = path.with_name(f"{manifest['province']}.csv")
        assert hashlib.sha256(data.read_bytes()).hexdigest() == manifest["sha256"]
        assert manifest["months"] == ["2025-10-01", "2025-11-01"]
        with data.open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == list(COLUMNS)  # no household, member or line field
            for row in reader:
                rows += 1
                assert int(row["households"]) >= 5
                assert row["level"] in {"province", "district", "tambon"} and len(row["area_code"]) <= 6
                assert row["area_code"].startswith(manifest["province"])
                if row["level"] != "province":
                    continue
                amount = Decimal(row["amount_satang"]) / 100
                income += amount if row["cell"] in kinds.income else 0
                expense += amount if row["cell"] in kinds.expense else 0
        assert manifest["rows"] == sum(1 for _ in data.open()) - 1
    assert rows == result.rows_exported
    assert Decimal(result.national_income_baht) == income
    assert Decimal(result.national_expense_baht) == expense
    assert not AreaMonthCategory.objects.exists()  # nothing written to the real rollups


def test_a_province_hides_small_cells_and_no_single_one_can_be_subtracted() -> None:
    tambons = {"1001": ["100101", "100102", "100103"], "1002": ["100201", "100202"]}
    p = province_synthetic(
        "10",
        tambons,
        months=[OCT],
        categories={"I01": (0.5, 500_000), "C01": (0.9, 80_000), "I04": (0.05, 300_000)},
        households_per_tambon=30,
        rng=random.Random(7),
    )
    shown = {(a, c): (v, n) for _, a, _, c, v, n in p.shown.iter_rows()}
    assert p.suppressed > 0 and all(n >= 5 for _, n in shown.values())
    parents = {"10": list(tambons), **tambons}
    for cell in [REPORTING, "I01", "C01", "I04"]:
        for parent, children in parents.items():
            if (parent, cell) in shown:
                missing = [c for c in children if (c, cell) not in shown]
                assert len(missing) != 1, (parent, cell)  # the differencing attack
                if not missing:  # all shown: the parent is their sum
                    assert shown[parent, cell][0] == sum(shown[c, cell][0] for c in children)
    for (month, cell), (satang, households) in p.truth.items():
        assert month == "2025-10-01"
        if ("10", cell) in shown:
            assert shown["10", cell] == (satang, households)


def test_the_node_rolls_up_regions_and_the_nation_exactly(tmp_path: Path) -> None:
    oct_, nov = OCT.first_day, NOV.first_day
    sent = {
        "10": [("province", "10", oct_, "I01", 500_000, 10), ("province", "10", nov, "I01", 1, 6),
               ("province", "10", oct_, "C01", 12_345, 9), ("district", "1001", oct_, "I01", 400_000, 6),
               ("province", "10", oct_, REPORTING, 0, 12)],
        "11": [("province", "11", oct_, "I01", 250_050, 7), ("province", "11", oct_, REPORTING, 0, 8)],
        "30": [("province", "30", oct_, "I01", 100_001, 5), ("province", "30", nov, "C01", 99, 5),
               ("province", "30", nov, REPORTING, 0, 30)],
    }  # fmt: skip
    node = _node()
    for province, rows in sent.items():
        assert node.receive(export_write(tmp_path, province, _frame(rows), rollups_version=3)) == "loaded"
    node.roll_up()

    nation = node.figures(NATION, OCT, NOV)
    assert nation.by_category == {"I01": Decimal("8500.52"), "C01": Decimal("124.44")}
    assert nation.income == Decimal("8500.52") and nation.expense == Decimal("124.44")
    assert nation.households_reporting_max == 30 and nation.provinces == 2  # 11 sent October only
    assert node.figures(NATION, OCT, OCT).households_reporting_max == 20
    central = node.figures("R1", OCT, NOV)
    assert central.by_category == {"I01": Decimal("7500.51"), "C01": Decimal("123.45")}
    assert node.figures("1001", OCT, OCT).by_category == {"I01": Decimal("4000.00")}
    assert node.figures("R3", NOV, NOV).by_category == {"C01": Decimal("0.99")}


def test_the_node_refuses_what_it_must_not_receive_and_resends_are_idempotent(tmp_path: Path) -> None:
    node = _node()
    good = _frame([("province", "10", OCT.first_day, "I01", 500_000, 10)])
    path = export_write(tmp_path, "10", good, rollups_version=2)
    assert node.receive(path) == "loaded"
    assert node.receive(path) == "unchanged"
    (tmp_path / "old").mkdir()
    with pytest.raises(ExportRejected, match="stale"):
        node.receive(export_write(tmp_path / "old", "10", good, rollups_version=1))
    with pytest.raises(ExportRejected, match="other content"):
        node.receive(export_write(tmp_path / "old", "10", good.with_columns(households=pl.lit(12)), rollups_version=2))
    newer = _frame([("province", "10", OCT.first_day, "I01", 600_000, 11)])
    (tmp_path / "new").mkdir()
    assert node.receive(export_write(tmp_path / "new", "10", newer, rollups_version=3)) == "replaced"
    node.roll_up()
    assert node.figures(NATION, OCT, OCT).by_category == {"I01": Decimal("6000.00")}

    def refused(name: str, frame: pl.DataFrame, match: str) -> None:
        where = tmp_path / name
        where.mkdir()
        with pytest.raises(ExportRejected, match=match):
            _node().receive(export_write(where, "11", frame, rollups_version=1))

    refused("small", _frame([("province", "11", OCT.first_day, "I01", 3_000, 4)]), "fewer than 5")
    refused("village", _frame([("village", "11010101", OCT.first_day, "I01", 3_000, 9)]), "levels")
    refused("elsewhere", _frame([("district", "1001", OCT.first_day, "I01", 3_000, 9)]), "areas not in it")

    # A file with a person-level column, or changed after its manifest was written.
    where = tmp_path / "person"
    where.mkdir()
    manifest = export_write(
        where, "11", _frame([("province", "11", OCT.first_day, "I01", 3_000, 9)]), rollups_version=1
    )
    data = where / "11.csv"
    data.write_text(data.read_text().replace("households\n", "households,household_id\n").replace(",9\n", ",9,42\n"))
    with pytest.raises(ExportRejected, match="checksum"):
        _node().receive(manifest)
    body = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**body, "sha256": hashlib.sha256(data.read_bytes()).hexdigest()}))
    with pytest.raises(ExportRejected, match="columns"):
        _node().receive(manifest)


def test_the_command_prints_one_json_document() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "bench", "--national", "--provinces", "2", "--months", "2", "--national-households", "500000",
        "--samples", "3", "--json", stdout=out, stderr=err,
    )  # fmt: skip
    document = json.loads(out.getvalue())
    assert document["provinces"] == 2 and document["months"] == 2 and document["totals_exact"] is True
    assert {"export_s", "load_s", "rollup_s", "query_p50_ms", "query_p95_ms", "peak_rss_mb"} <= document.keys()
    assert document["machine"]["cores"] >= 1
