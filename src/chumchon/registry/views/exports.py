"""The household list as a spreadsheet to take away: households and their members.

Headers are the model fields' names (Thai by default), dates Buddhist Era, national
ID numbers masked (``1-2345-xxxxx-xx-1``) — a full number is only ever shown one at a
time, by the audited reveal on the household's page.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chumchon.areas.models import Area
from chumchon.core.spreadsheet.writer import Column, Sheet, Value, be_datetime, workbook_bytes
from chumchon.registry.models import DIMENSION_FIELDS, Household, Member


def _label(model: type[Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


def household_list_workbook(
    area: Area, households: Sequence[Household], filters_text: str, *, made_by: object
) -> bytes:
    """``households`` (members prefetched) as two sheets: households, members."""
    yes = pgettext("spreadsheet", "Yes")
    who = getattr(made_by, "get_username", lambda: "")()
    note = " · ".join(
        part
        for part in (
            filters_text,
            _("%(n)s households") % {"n": f"{len(households):,}"},
            _("exported by %(user)s on %(when)s") % {"user": who, "when": be_datetime(timezone.now())},
            _("national ID numbers partly hidden"),
        )
        if part
    )
    h_cols = [
        Column(_label(Household, "code"), width=14),
        Column(_("Village"), width=22),
        Column(_("Village code"), width=11),
        Column(_label(Household, "house_no"), width=10),
        Column(_("Head of household"), width=26),
        Column(_("Head's national ID"), width=20),
        Column(_label(Household, "members_count"), "count", width=8),
        Column(_label(Household, "occupation_group"), width=20),
        Column(_label(Household, "welfare_card"), "bool", width=10),
        Column(_label(Household, "is_target"), "bool", width=10),
        Column(_("Dimensions failed"), width=28),
        Column(_label(Household, "status"), width=14),
        Column(_label(Household, "verification"), width=20),
        Column(_label(Household, "verified_at"), "datetime", width=16),
        Column(_label(Household, "consent"), width=14),
    ]
    m_cols = [
        Column(_label(Household, "code"), width=14),
        Column(_("Village"), width=22),
        Column(_label(Member, "title"), width=8),
        Column(_label(Member, "first_name"), width=16),
        Column(_label(Member, "last_name"), width=16),
        Column(_label(Member, "is_head"), "bool", width=10),
        Column(_("National ID"), width=20),
        Column(_label(Member, "birth_date"), "date", width=12),
        Column(_label(Member, "sex"), width=8),
        Column(_label(Member, "relation"), width=14),
        Column(_label(Member, "education"), width=18),
        Column(_label(Member, "occupation"), width=16),
        Column(_label(Member, "status"), width=14),
        Column(_label(Member, "disability"), "bool", width=10),
        Column(_label(Member, "chronic_illness"), "bool", width=10),
        Column(_label(Member, "bedridden"), "bool", width=10),
        Column(_label(Member, "elderly_living_alone"), "bool", width=10),
    ]

    def household_rows() -> list[list[Value]]:
        rows: list[list[Value]] = []
        for h in households:
            head = next((m for m in h.members.all() if m.is_head), None)
            rows.append(
                [
                    h.code,
                    h.village.display_name,
                    h.village_id,
                    h.house_no,
                    head.full_name if head else "",
                    head.national_id_masked if head else "",
                    h.members_count if h.members_count is not None else len(h.members.all()),
                    h.get_occupation_group_display(),
                    h.welfare_card,
                    h.is_target,
                    ", ".join(str(d.label) for d, field in DIMENSION_FIELDS.items() if getattr(h, field)),
                    h.get_status_display(),
                    h.get_verification_display(),
                    h.verified_at,
                    h.get_consent_display(),
                ]
            )
        return rows

    def member_rows() -> list[list[Value]]:
        return [
            [
                h.code,
                h.village.display_name,
                m.title,
                m.first_name,
                m.last_name,
                m.is_head,
                m.national_id_masked,
                m.birth_date,
                m.get_sex_display(),
                m.relation,
                m.get_education_display(),
                m.occupation,
                m.get_status_display(),
                m.disability,
                m.chronic_illness,
                m.bedridden,
                m.elderly_living_alone,
            ]
            for h in households
            for m in h.members.all()
        ]

    title = _("Households · %(area)s") % {"area": area.display_name}
    return workbook_bytes(
        [
            Sheet(_("Households"), title, h_cols, household_rows(), note=note, yes=yes),
            Sheet(_("Members"), title, m_cols, member_rows(), note=note, yes=yes),
        ]
    )
