"""Building the pack: the month's and the year's dashboards laid out as sections, the
cover's headlines and the discussion questions."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chumchon.areas.models import Area, Level
from chumchon.areas.selectors import area_ancestors
from chumchon.core.pinned import versions_pinned
from chumchon.core.thai import Month, fiscal_year, fiscal_year_months, format_datetime
from chumchon.insights.coverage import area_coverage_warning
from chumchon.insights.dashboard import Dashboard
from chumchon.insights.forum.pack.compare import compare_section
from chumchon.insights.forum.pack.enterprises import enterprise_section
from chumchon.insights.forum.pack.reads import can_read_persons, dashboard_of
from chumchon.insights.forum.pack.sections import (
    cut_and_grow_section,
    debt_section,
    money_section,
    repayment_section,
    trend_section,
)
from chumchon.insights.forum.pack.types import (
    PACK_LEVELS,
    ForumPack,
    Headline,
    InternalNotAllowed,
    PackNotAvailable,
    Section,
)
from chumchon.insights.forum.questions import forum_questions
from chumchon.insights.forum.tables import PackTable, format_money


@versions_pinned()
def forum_pack_build(
    area: Area, month: Month, *, user: object | None = None, lang: str = "th", internal: bool = False
) -> ForumPack:
    """The pack of ``area`` (a village or tambon) for ``month``: public (the small-cell
    rule, whoever prints it), or ``internal`` (every cell, marked "ใช้ภายใน" on every
    page) for a reader with person-level access to the area or the command line
    (``user=None``). ``InternalNotAllowed`` otherwise."""
    if area.level not in PACK_LEVELS:
        raise PackNotAvailable(area.code)
    if internal and user is not None and not can_read_persons(user, area):
        raise InternalNotAllowed(area.code)
    lang = "en" if lang == "en" else "th"
    with translation.override(lang):
        return _build(area, month, user=user, lang=lang, internal=internal)


def _build(area: Area, month: Month, *, user: object | None, lang: str, internal: bool) -> ForumPack:
    d = dashboard_of(area, month, month, internal=internal)
    fy = fiscal_year_months(fiscal_year(month.first_day))
    year = dashboard_of(area, fy[0], fy[-1], internal=internal)
    aggregate_only = not internal
    sections: list[Section] = []
    extra: list[PackTable] = []
    if not d.suppressed:  # hidden from this reader: the cover says so, and nothing more
        compare, extra = compare_section(d, area, month, user, internal=internal)
        sections = [
            money_section(d),
            cut_and_grow_section(d),
            debt_section(d, year),
            trend_section(year, month, lang),
            repayment_section(year),
            compare,
            enterprise_section(area, month, internal=internal),
        ]
    now = timezone.localtime()
    ancestors = area_ancestors(area)
    return ForumPack(
        area_code=area.code,
        area_name=area.display_name,
        level=area.level,
        level_label=str(Level(area.level).label),
        place=(", " if lang == "en" else " ").join(a.display_name for a in reversed(ancestors)),
        month=month,
        month_label=month.label(lang=lang),
        lang=lang,
        dashboard=d,
        year=year,
        headlines=tuple(_headlines(d)),
        sections=tuple(s for s in sections if s.blocks),
        questions=tuple(forum_questions(d, year)),
        generated_at=now,
        generated_label=format_datetime(now, lang=lang),
        suppressed=d.suppressed,
        aggregate_only=aggregate_only,
        internal=internal,
        tables_extra=tuple(extra),
        # The same count as the default month's; its numbers only where the cover shows them.
        coverage_warning=area_coverage_warning(
            area.code,
            month,
            show_numbers=internal or (d.reporting is not None and d.households is not None),
            lang=lang,
        ),
    )


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _headlines(d: Dashboard) -> list[Headline]:
    deficit = "–"
    if d.deficit_households is not None and d.deficit_share is not None:
        deficit = f"{(d.deficit_share * 100).quantize(Decimal('1'))}%"
    return [
        Headline(
            _("Households keeping accounts"),
            _count(d.reporting),
            _("of %(n)s registered") % {"n": _count(d.households)},
        ),
        Headline(
            _("Income per household"),
            format_money(d.income_mean),
            _("median %(amount)s baht") % {"amount": format_money(d.income_median)},
        ),
        Headline(
            _("Expense per household"),
            format_money(d.expense_mean),
            _("median %(amount)s baht") % {"amount": format_money(d.expense_median)},
        ),
        Headline(
            _("Households in deficit"),
            deficit,
            _("%(n)s households spent more than they earned") % {"n": _count(d.deficit_households)},
        ),
    ]
