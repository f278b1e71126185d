from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db import transaction

from chumchon.access.models import Role, User
from chumchon.access.services import Actor, assignment_create
from chumchon.core.command import ChumchonCommand, InputRejected


class Command(ChumchonCommand):
    help = "Create an administrator (asks for the password, or reads CHUMCHON_ADMIN_PASSWORD)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:

        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise InputRejected(self.t(f"มีผู้ใช้ {username} อยู่แล้ว", f"user {username} already exists"))
        password = os.environ.get("CHUMCHON_ADMIN_PASSWORD") or getpass.getpass(self.t("รหัสผ่าน: ", "Password: "))
        user = User(username=username, email=options["email"], is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InputRejected(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            assignment_create(user=user, role=Role.ADMIN, area=None, actor=Actor.system("cli:createadmin"))
        self.stdout.write(self.t(f"สร้างผู้ดูแลระบบ {username} แล้ว", f"Created administrator {username}"))
