"""The demo users: one per role, each assigned where the demo data is.

They all log in with the password ``demo``, printed on screen by ``chumchon demo``;
the password validators (which refuse it) are for real users.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from chumchon.access.models import Assignment, Role, User
from chumchon.access.services import Actor, assignment_create
from chumchon.areas.models import Area
from chumchon.demo.places import DemoAreas

DEMO_PASSWORD = "demo"  # noqa: S105 (published on screen; demo users only)
DEMO_USERNAMES = (
    "demo-province",
    "demo-district",
    "demo-tambon",
    "demo-tambon-other",
    "demo-volunteer",
    "demo-agency",
    "demo-admin",
)

ROLE_NAMES: dict[str, tuple[str, str]] = {
    Role.ADMIN: ("ผู้ดูแลระบบ", "Administrator"),
    Role.PROVINCE_COORDINATOR: ("ผู้ประสานงานจังหวัด", "Province coordinator"),
    Role.DISTRICT_COORDINATOR: ("ผู้ประสานงานอำเภอ", "District coordinator"),
    Role.TAMBON_STAFF: ("เจ้าหน้าที่ตำบล/นักจัดการสังคม", "Tambon staff"),
    Role.VOLUNTEER: ("อาสาสมัครหมู่บ้าน", "Village volunteer"),
    Role.AGENCY: ("เจ้าหน้าที่หน่วยงาน", "Agency officer"),
}
# What each role may do with the data, as the logins table says it.
ROLE_RIGHTS: dict[str, tuple[str, str]] = {
    Role.ADMIN: ("ทั้งระบบ ดูบันทึกการใช้งานได้", "everything, including the audit log"),
    Role.PROVINCE_COORDINATOR: ("ดูข้อมูล", "read"),
    Role.DISTRICT_COORDINATOR: ("ดูข้อมูล", "read"),
    Role.TAMBON_STAFF: ("ดูและแก้ไข", "read and write"),
    Role.VOLUNTEER: ("บันทึกบัญชีครัวเรือน", "ledger entry"),
    Role.AGENCY: ("ข้อมูลภาพรวมเท่านั้น", "aggregates only"),
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: Area | None

    def scope(self, lang: str = "th") -> str:
        """``ผู้ประสานงานอำเภอ: อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ (ดูข้อมูล)``."""
        th = lang == "th"
        role = ROLE_NAMES[self.role][0 if th else 1]
        rights = ROLE_RIGHTS[self.role][0 if th else 1]
        where = area_path(self.area, lang=lang) if self.area else ("ทั้งประเทศ" if th else "nationwide")
        return f"{role}: {where} ({rights})"

    def as_json(self) -> dict[str, str | None]:
        return {
            "username": self.username,
            "password": DEMO_PASSWORD,
            "role": self.role,
            "area": self.area.code if self.area else None,
            "scope": self.scope("th"),
        }


def area_path(area: Area, *, lang: str = "th") -> str:
    """The area and those above it, as officials write it: ``ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ``."""
    chain = [area, *sorted(Area.objects.filter(code__in=area.ancestor_codes), key=lambda a: -len(a.code))]
    if lang == "th":
        return " ".join(a.display_name for a in chain)
    return ", ".join(
        (f"Village {a.village_no} {a.name_th}" if a.village_no else (a.name_en or a.name_th)) for a in chain
    )


def demo_logins(areas: DemoAreas, village: Area) -> list[DemoLogin]:
    return [
        DemoLogin("demo-province", Role.PROVINCE_COORDINATOR, areas.province),
        DemoLogin("demo-district", Role.DISTRICT_COORDINATOR, areas.district),
        DemoLogin("demo-tambon", Role.TAMBON_STAFF, areas.tambon),
        DemoLogin("demo-tambon-other", Role.TAMBON_STAFF, areas.other_tambon),
        DemoLogin("demo-volunteer", Role.VOLUNTEER, village),
        DemoLogin("demo-agency", Role.AGENCY, areas.province),
        DemoLogin("demo-admin", Role.ADMIN, None),
    ]


def demo_users_ensure(logins: list[DemoLogin], *, actor: Actor) -> None:
    """Create or refresh the demo users: password ``demo`` and exactly one assignment each.

    The password is hashed once and the hash given to every demo user (one PBKDF2
    run instead of seven; they share a published password anyway).
    """
    encoded = make_password(DEMO_PASSWORD)
    for login in logins:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.password = encoded
        user.first_name = ROLE_NAMES[login.role][0]
        user.last_name = "(สาธิต)"
        user.organisation = "ข้อมูลสาธิต ชุมชน"
        user.is_active = True
        user.is_staff = login.role == Role.ADMIN
        user.save()
        Assignment.objects.filter(user=user).delete()
        assignment_create(user=user, role=login.role, area=login.area, actor=actor)


def demo_logins_existing() -> list[DemoLogin]:
    """The demo users as they are now (for ``--if-empty``), in the usual order."""
    assignments = {
        a.user.username: a
        for a in Assignment.objects.filter(user__username__in=DEMO_USERNAMES).select_related("user", "area")
    }
    return [
        DemoLogin(name, assignments[name].role, assignments[name].area)
        for name in DEMO_USERNAMES
        if name in assignments
    ]


def demo_assignments_delete() -> int:
    deleted, _ = Assignment.objects.filter(user__username__in=DEMO_USERNAMES).delete()
    return deleted
