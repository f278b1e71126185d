"""The learning-forum pack of a village or tambon for one month: what is printed.

``forum_pack_build(area, month, user=…, internal=False)`` reads the dashboard of the
month and of its fiscal year (the trend, the occupation groups' yearly surplus, debts that fell)
and lays them out as sections of charts, tables and sentences, followed by the
discussion questions. The PDF (``forum.pdf``) and the spreadsheet (``forum.xlsx``)
are both written from it.

Scope: a pack is printed for a forum, so it is public: whoever prints it, it follows
the small-cell rule (``insights.disclosure``: no cell 1–4 households stand behind,
nor one that subtraction would give back). ``internal=True`` prints every cell, for
a reader with person-level access to the area or the command line (``user=None``);
every page says "ใช้ภายใน". The caller has scoped ``area``. A pack holds aggregates only — never a household or a person — whoever reads it: it is
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
    InternalNotAllowed,
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
    "InternalNotAllowed",
    "PackMap",
    "PackNotAvailable",
    "Section",
    "forum_pack_build",
]
