"""Likely duplicate people: same birth date, similar Thai names.

Thai names are spelt many ways (ศรี/สี, ญ/น, ด/ฐ at the end): two names count as the
same when their LK82 Thai soundex codes agree (PyThaiNLP), or, failing that, when
their letters agree closely once tone marks are set aside. Two members who both carry
a national ID are never duplicates — the ID is unique, so they are different people.
A person decides each candidate: merge (keep one record, fill its blanks from the
other) or dismiss.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pythainlp.soundex import lk82

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.registry.models import DuplicateCandidate, HouseholdChange, Member
from chumchon.registry.services.households import MEMBER_FIELDS, RegistryError, _require_write

THRESHOLD = 0.85
_TONES = re.compile("[\u0e47-\u0e4e]")  # ็ ่ ้ ๊ ๋ ์ ํ ๎


@lru_cache(maxsize=65536)
def _sound(name: str) -> str:
    return lk82(name) if name else ""


def name_similarity(a: str, b: str) -> float:
    """1.0 when the soundex codes agree, else the letter similarity without tone marks."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b or _sound(a) == _sound(b):
        return 1.0
    return SequenceMatcher(None, _TONES.sub("", a), _TONES.sub("", b)).ratio()


def pair_score(a: Member, b: Member) -> float:
    return (name_similarity(a.first_name, b.first_name) + name_similarity(a.last_name, b.last_name)) / 2


def duplicates_scan(*, area_code: str) -> int:
    """Find new candidates among members under an area (usually a province, since
    people move between tambons). Returns how many new candidates were queued."""
    members = (
        Member.objects.filter(household__province_code=area_code[:2], birth_date__isnull=False)
        .select_related("household")
        .only("id", "first_name", "last_name", "birth_date", "national_id_hash", "household__tambon_code",
              "household__district_code", "household__village_id")
        .order_by("birth_date", "id")
    )  # fmt: skip
    if len(area_code) > 2:
        members = members.filter(household__tambon_code__startswith=area_code[:6])
    by_day: dict[object, list[Member]] = defaultdict(list)
    for m in members.iterator(chunk_size=5000):
        by_day[m.birth_date].append(m)
    known = set(DuplicateCandidate.objects.values_list("member_a_id", "member_b_id"))
    new: list[DuplicateCandidate] = []
    now = timezone.now()
    for group in by_day.values():
        for a, b in itertools.combinations(group, 2):
            if a.national_id_hash and b.national_id_hash:
                continue
            if (a.pk, b.pk) in known:
                continue
            score = pair_score(a, b)
            if score >= THRESHOLD:
                new.append(
                    DuplicateCandidate(
                        member_a=a,
                        member_b=b,
                        tambon_code=a.household.tambon_code,
                        score=Decimal(f"{score:.3f}"),
                        reason=f"วันเกิดเดียวกัน ชื่อคล้ายกัน ({score:.0%})",
                        found_at=now,
                    )
                )
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def duplicate_resolve(*, actor: Actor, candidate: DuplicateCandidate, merge: bool, keep: Member | None = None) -> None:
    """Dismiss, or merge the two records into ``keep`` (one of the pair)."""
    a, b = candidate.member_a, candidate.member_b
    if a is None or b is None:
        raise RegistryError("ระเบียนคู่นี้ถูกรวมหรือลบไปแล้ว")
    for m in (a, b):
        _require_write(actor, m.household.village_id)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise RegistryError("รายการนี้ตัดสินไปแล้ว")
    with transaction.atomic():
        if merge:
            if keep is None or keep.pk not in (a.pk, b.pk):
                raise RegistryError("เลือกระเบียนที่จะเก็บไว้")
            other = b if keep.pk == a.pk else a
            filled = []
            for field in (*MEMBER_FIELDS, "national_id_encrypted"):
                if not getattr(keep, field) and getattr(other, field):
                    setattr(keep, field, getattr(other, field))
                    filled.append(field)
            if "national_id_encrypted" in filled:
                keep.national_id_hash = other.national_id_hash
                other.national_id_hash = None
                other.save(update_fields=["national_id_hash"])
            keep.save()
            for household in {keep.household, other.household}:
                HouseholdChange.objects.create(
                    household=household, at=timezone.now(), by=actor.user, kind=HouseholdChange.Kind.MERGE,
                    before={"members": sorted([keep.pk, other.pk])}, after={"kept": keep.pk, "filled": filled},
                )  # fmt: skip
            candidate.status = DuplicateCandidate.Status.MERGED
            candidate.resolved_at = timezone.now()
            candidate.resolved_by = actor.user
            candidate.save()
            # Other open pairs with the removed record are settled by this merge too.
            DuplicateCandidate.objects.filter(
                Q(member_a=other) | Q(member_b=other), status=DuplicateCandidate.Status.OPEN
            ).update(status=DuplicateCandidate.Status.MERGED, resolved_at=timezone.now(), resolved_by=actor.user)
            other.delete()  # the candidate keeps its decision; its link to ``other`` becomes empty
        else:
            candidate.status = DuplicateCandidate.Status.DISMISSED
            candidate.resolved_at = timezone.now()
            candidate.resolved_by = actor.user
            candidate.save()
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="duplicate", object_id=candidate.pk,
            area_code=candidate.tambon_code, detail={"merged": merge},
        )  # fmt: skip
