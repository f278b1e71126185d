"""The whole run, in one transaction (see the package doc for the order of work)."""

from __future__ import annotations

from django.db import transaction

from chumchon.access.models import Action, User
from chumchon.access.services import Actor, audit_record
from chumchon.core.thai import months_between
from chumchon.demo.generate.insert import ledgers_insert, organisations_insert, registry_insert, survey_insert
from chumchon.demo.generate.options import DemoCounts, DemoOptions, DemoResult
from chumchon.demo.generate.plan import allocate, national_ids_assign, plans_build, records_plan
from chumchon.demo.generate.province import demo_households, demo_reset
from chumchon.demo.matching import demo_matching_delete, demo_matching_insert
from chumchon.demo.places import DemoError, demo_areas_resolve, demo_village, villages_ensure
from chumchon.demo.plans import community_plans_insert
from chumchon.demo.records import drives_plan
from chumchon.demo.users import DEMO_USERNAMES, demo_logins, demo_users_ensure
from chumchon.ledgers.models import Category
from chumchon.registry.services.duplicates import duplicates_scan

ACTOR = "cli:demo"


def check_ready() -> None:
    missing = sorted({"I02", "C02", "F01"} - set(Category.objects.values_list("code", flat=True)))
    if missing:
        raise DemoError("ยังไม่มีหมวดบัญชีมาตรฐาน (รัน chumchon init ก่อน)")


def demo_generate(options: DemoOptions, *, reset: bool = False) -> DemoResult:
    """Create the demo province and users in one transaction (after ``--reset``, anew)."""
    check_ready()
    actor = Actor.system(ACTOR)
    with transaction.atomic():
        areas = demo_areas_resolve(options.province)
        if reset:
            removed = demo_reset(options.province)
            audit_record(
                actor=actor,
                action=Action.DELETE,
                object_type="demo",
                object_id=options.province,
                area_code=options.province,
                detail=removed.as_dict(),
            )
        elif demo_households(options.province).exists():
            raise DemoError(f"{areas.province.display_name} มีข้อมูลสาธิตอยู่แล้ว: ใช้ --reset เพื่อสร้างใหม่ หรือ --if-empty")
        villages, villages_created = villages_ensure(seed=options.seed, province=areas.province)
        village = demo_village(villages, areas.tambon)
        counts = allocate(seed=options.seed, villages=villages, total=options.households, areas=areas, village=village)
        months = months_between(options.first, options.end)
        ref = options.end.last_day
        plans = plans_build(seed=options.seed, villages=villages, counts=counts, ref=ref)
        verifiers = {areas.other_tambon.code: "demo-tambon-other", areas.tambon.code: "demo-tambon"}
        drives = drives_plan(seed=options.seed, villages=villages, demo_tambons=verifiers)
        records_plan(seed=options.seed, plans=plans, drives=drives, first=options.first.first_day, ref=ref)
        hashes = national_ids_assign(seed=options.seed, plans=plans)
        logins = demo_logins(areas, village)
        demo_users_ensure(logins, actor=actor)
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        households = registry_insert(plans=plans, hashes=hashes, as_of=options.first.first_day, users=users)
        entries, incomes = ledgers_insert(seed=options.seed, plans=plans, households=households, months=months)
        surveyed, target = survey_insert(
            seed=options.seed, plans=plans, households=households, incomes=incomes, ref=ref, users=users
        )
        organisations = organisations_insert(
            seed=options.seed, plans=plans, households=households, before=options.first.first_day
        )
        duplicates = duplicates_scan(area_code=options.province)
        demo_matching_delete(areas.province.province_code, actor)  # before the plans' items it keeps
        community_plans_insert(
            seed=options.seed, tambon=areas.tambon, province=areas.province, months=months, actor=actor
        )
        demo_matching_insert(
            seed=options.seed, tambon=areas.tambon, province=areas.province, months=months, actor=actor
        )
        created = DemoCounts(
            villages=villages_created,
            households=len(plans),
            members=sum(len(p.people) for p in plans),
            debts=sum(len(p.debts) for p in plans),
            ledger_entries=entries,
            users=len(logins),
            organisations=organisations,
            surveyed=surveyed,
            target=target,
            duplicates=duplicates,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="demo",
            object_id=options.province,
            area_code=options.province,
            detail={
                **created.as_dict(),
                "seed": options.seed,
                "from": options.first.iso(),
                "to": options.end.iso(),
            },
        )
    return DemoResult(counts=created, logins=logins, province=areas.province)
