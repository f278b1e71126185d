"""Discussion questions for the learning forum, written from the area's own figures.

The forum reads the data together — problems, causes, options (seed 001) — so every
question starts from a number of this area and month: the largest avoidable spend, the
biggest purchase of food the village could produce itself, the occupation group with
the least surplus, where the village differs most from its tambon, how many households
spent more than they earned, and what debts cost. A question is left out when there is
nothing behind it (no accounts, or the figure is hidden from the reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chumchon.insights.dashboard import Dashboard, Line
from chumchon.insights.forum.tables import format_diff, format_money, format_share
from chumchon.registry.selectors import SMALL_CELL


@dataclass(frozen=True)
class Question:
    key: str  # avoidable, local_food, occupation, comparison, deficit, interest, none
    fact: str  # what the data says
    question: str  # what the forum discusses
    # The figure behind the fact, so a forum can turn it into a problem with its evidence
    # (``plans.figures``): a standard figure key or a dashboard one, its category, and
    # whether it is of the pack's month or of the fiscal year to it.
    figure: str = ""
    category: str = ""
    span: str = "month"  # month, year


def _largest(lines: list[Line]) -> Line | None:
    shown = [line for line in lines if line.total is not None and line.total > 0]
    return max(shown, key=lambda line: line.total or Decimal(0), default=None)


def _item(line: Line) -> str:
    """A category's name inside a sentence: English names start lower case."""
    name = line.name
    if (translation.get_language() or "th").startswith("en") and name[:2] != name[:2].upper():
        return name[:1].lower() + name[1:]
    return name


def _where(dashboard: Dashboard) -> str:
    return _("this village") if dashboard.level == "village" else _("this tambon")


def _avoidable(dashboard: Dashboard) -> Question | None:
    line = _largest(dashboard.avoidable_by_category)
    if line is None:
        return None
    return Question(
        key="avoidable",
        fact=_(
            "The largest avoidable spend: households in %(where)s spent %(amount)s baht on %(item)s "
            "this month (%(per)s baht per household)."
        )
        % {
            "where": _where(dashboard),
            "amount": format_money(line.total),
            "item": _item(line),
            "per": format_money(line.per_household_month),
        },
        question=_(
            "What makes people spend on %(item)s? What could households, friends and the village do "
            "together to spend less on it, and where would the money go instead?"
        )
        % {"item": _item(line)},
        figure="by_category",
        category=line.code,
    )


def _local_food(dashboard: Dashboard) -> Question | None:
    line = _largest(dashboard.local_food)
    if line is None:
        return None
    return Question(
        key="local_food",
        fact=_(
            "The biggest purchase of food we could produce ourselves: %(where)s bought %(item)s for %(amount)s baht this month."
        )
        % {"where": _where(dashboard), "item": _item(line), "amount": format_money(line.total)},
        question=_(
            "Could we produce %(item)s here instead of buying it — in a household garden, or as a "
            "group that sells to the village? Who would start, and what help would they need?"
        )
        % {"item": _item(line)},
        figure="by_category",
        category=line.code,
    )


def _occupation(year: Dashboard) -> Question | None:
    """The group with the least average yearly surplus. Groups of at least SMALL_CELL
    households come first: a forum is public, and a group of one is one family."""
    rows = [r for r in year.repayment if r.avg_yearly_surplus is not None and r.households]
    rows = [r for r in rows if (r.households or 0) >= SMALL_CELL] or rows
    if not rows:
        return None
    row = min(rows, key=lambda r: r.avg_yearly_surplus or Decimal(0))
    surplus = row.avg_yearly_surplus or Decimal(0)
    n = row.households or 0
    params = {"group": row.label, "n": f"{n:,}", "amount": format_money(abs(surplus))}
    if surplus < 0:
        fact = ngettext(
            "The occupation group with the least surplus: %(group)s (%(n)s household) spent "
            "%(amount)s baht a year more than it earned, on average, over the fiscal year.",
            "The occupation group with the least surplus: %(group)s (%(n)s households) spent "
            "%(amount)s baht a year more than they earned, on average, over the fiscal year.",
            n,
        )
    else:
        fact = ngettext(
            "The occupation group with the least surplus: %(group)s (%(n)s household) kept "
            "%(amount)s baht a year, on average, over the fiscal year.",
            "The occupation group with the least surplus: %(group)s (%(n)s households) kept "
            "%(amount)s baht a year, on average, over the fiscal year.",
            n,
        )
    return Question(
        key="occupation",
        fact=fact % params,
        question=_(
            "Which costs weigh most on %(group)s households, and which could they cut or share? "
            "What extra income or group could help them repay their debts?"
        )
        % {"group": row.label},
        figure="occupation",
        category=row.occupation_group,
        span="year",
    )


def _comparison(dashboard: Dashboard) -> Question | None:
    flagged = [c for c in dashboard.comparisons if c.flagged and c.diff_vs_tambon is not None]
    if not flagged:
        return None
    top = max(flagged, key=lambda c: abs(c.diff_vs_tambon or Decimal(0)))
    fact = top.sentence or _("%(figure)s: %(diff)s compared with the median village of the tambon.") % {
        "figure": top.label,
        "diff": format_diff(top.diff_vs_tambon),
    }
    return Question(
        key="comparison",
        fact=fact,
        question=_("Why is this village different from the others in the tambon here? Is it a problem or a strength?"),
        figure="by_category" if top.key.startswith("category:") else top.key,
        category=top.key.removeprefix("category:") if top.key.startswith("category:") else "",
    )


def _deficit(dashboard: Dashboard) -> Question | None:
    if not dashboard.deficit_households or dashboard.deficit_share is None:
        return None
    return Question(
        key="deficit",
        fact=ngettext(
            "%(n)s household (%(share)s of those keeping accounts) spent more than it earned this month.",
            "%(n)s households (%(share)s of those keeping accounts) spent more than they earned this month.",
            dashboard.deficit_households,
        )
        % {"n": f"{dashboard.deficit_households:,}", "share": format_share(dashboard.deficit_share)},
        question=_("Is this a bad month for them or every month? What do they borrow from to cover it?"),
        figure="deficit",
    )


def _interest(dashboard: Dashboard) -> Question | None:
    if not dashboard.interest_paid or dashboard.interest_paid <= 0:
        return None
    return Question(
        key="interest",
        fact=_("Households paid %(amount)s baht in interest this month.")
        % {"amount": format_money(dashboard.interest_paid)},
        question=_(
            "Which debts cost the most interest? Could a savings group or the village fund lend at "
            "a lower rate, or help households repay the costliest debt first?"
        ),
        figure="interest",
    )


def forum_questions(dashboard: Dashboard, year: Dashboard) -> list[Question]:
    """The questions for this area and month (``dashboard``; ``year`` is the 12 months
    to it, for the occupation groups' yearly surplus); the first three are the issue's."""
    candidates = (
        _avoidable(dashboard),
        _local_food(dashboard),
        _occupation(year),
        _comparison(dashboard),
        _deficit(dashboard),
        _interest(dashboard),
    )
    questions = [q for q in candidates if q is not None]
    if not questions:
        questions.append(
            Question(
                key="none",
                fact=_("There are not enough accounts for this month to write questions from."),
                question=_(
                    "Who keeps household accounts in %(where)s, and what would help more households "
                    "keep them every month?"
                )
                % {"where": _where(dashboard)},
            )
        )
    return questions
