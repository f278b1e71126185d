"""The national roll-up, simulated: 77 province instances send aggregates only; a
national node loads them and answers national figures (docs/SCALE.md).

**The design it times.** Each province runs its own Chumchon (provinces manage
themselves) and exports, once its month is closed, only what the rollups keep and an
aggregate-only reader may see: area × month × category totals (whole satang) with the
households behind each, and the households reporting each area and month
(``AreaMonthCategory`` and ``HouseholdMonth``'s counts), for the province, its districts
and its tambons — never a village, a household or a line. The cells fewer than five
households stand behind are hidden before the file is written, with enough
complementary cells (``chumchon.core.disclosure.protect``, the method of the
province's own pages) that none can be found by subtraction: parent area = sum of
its children, per month and cell. A hidden cell is simply absent from the file.

**The file** (:data:`FORMAT` version :data:`FORMAT_VERSION`): ``<province>.csv`` with
the columns of :data:`COLUMNS` (``cell`` is a category code or
``households_reporting``) and ``<province>.manifest.json``: the format and its
version, the province, the months, the province's rollups version, the rows, the
threshold and the file's SHA-256. The national node refuses a file whose checksum,
format, columns, areas or months do not match, or with a row fewer than five households
stand behind; a re-send with the same rollups version and checksum changes nothing, a
higher version replaces the province's rows whole, a lower one is refused as stale.

**Synthetic provinces.** The real tree of ``chumchon init`` gives the provinces,
districts and tambons; each tambon gets households (about 22 million over the
country's 7,436 tambons, log-normally spread), and each category a share of them
reporting it each month and an amount a household. Nothing is written to the
project's tables: the exports are files in a scratch directory, the national node
holds them in memory in polars (a few million rows; see docs/SCALE.md for why).
"""

from __future__ import annotations

from chumchon.bench.national.exports import (
    COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    NATION,
    REPORTING,
    ExportRejected,
    Manifest,
    export_write,
    province_synthetic,
    region_of,
)
from chumchon.bench.national.node import NationalFigures, NationalNode, area_provinces
from chumchon.bench.national.run import NationalResult, national_run

__all__ = [
    "COLUMNS",
    "FORMAT",
    "FORMAT_VERSION",
    "NATION",
    "REPORTING",
    "ExportRejected",
    "Manifest",
    "NationalFigures",
    "NationalNode",
    "NationalResult",
    "area_provinces",
    "export_write",
    "national_run",
    "province_synthetic",
    "region_of",
]
