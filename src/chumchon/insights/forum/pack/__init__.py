"""The learning-forum pack of a village or tambon for one month: what is printed.

``forum_pack_build(area, month, user=…)`` reads the dashboard of the month and of the
12 months to it (the trend, the occupation groups' yearly surplus, debts that fell)
and lays them out as sections of charts, tables and sentences, followed by the
discussion questions. The PDF (``forum.pdf``) and the spreadsheet (``forum.xlsx``)
are both written from it.

Scope: ``user=None`` is the command line (every figure, unscoped). With a user the
caller has scoped ``area`` (``areas.selectors.area_get_for_user``) and the dashboard
hides what an aggregate-only reader may not see (cells under 5 households). A pack
holds aggregates only — never a household or a person — whoever reads it: it is
printed and read aloud in a village meeting.

Layout: ``types.py`` (the pack, its sections and blocks), ``build.py`` (the pack and
its cover), ``sections.py`` (money, cutting and growing, debts, the trend, repayment),
``compare.py`` (the village beside its tambon, the tambon's villages, the map) and
``reads.py`` (the dashboards and values as the reader may see them).
"""

from chumchon.insights.forum.pack.build import forum_pack_build
from chumchon.insights.forum.pack.compare import CATEGORY_KEY, COMPARED_FIGURES, MAP_FIGURE
from chumchon.insights.forum.pack.types import (
    PACK_LEVELS,
    YEAR,
    Block,
    ForumPack,
    Headline,
    PackMap,
    PackNotAvailable,
    Section,
)

__all__ = [
    "CATEGORY_KEY",
    "COMPARED_FIGURES",
    "MAP_FIGURE",
    "PACK_LEVELS",
    "YEAR",
    "Block",
    "ForumPack",
    "Headline",
    "PackMap",
    "PackNotAvailable",
    "Section",
    "forum_pack_build",
]
