"""The ``chumchon`` command: Django's management commands under the contract's names."""

from __future__ import annotations

import os
import sys
from typing import TextIO


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if not args or args[0] in {"-h", "--help", "help"}:
        _usage()
        sys.exit(0 if args else 2)
    if args[0] not in get_commands():
        sys.stderr.write(f"chumchon: ไม่รู้จักคำสั่ง '{args[0]}' (unknown command)\n\n")
        _usage(stream=sys.stderr)
        sys.exit(2)
    execute_from_command_line(["chumchon", *args])


COMMANDS = [
    ("init", "สร้างฐานข้อมูลและโหลดพื้นที่ทั้งประเทศ · migrate and load Thailand's areas"),
    ("demo", "สร้างจังหวัดตัวอย่างและผู้ใช้สาธิต · synthetic demo province and demo users"),
    ("serve", "เปิดเว็บและ API · serve the web app and API"),
    ("areas", "สถิติและเขตพื้นที่ · area statistics and zones"),
    ("import", "นำเข้าหมู่บ้าน ครัวเรือน หรือบัญชีจากไฟล์ · import villages, households or accounts"),
    ("figures", "ตัวเลขมาตรฐานของพื้นที่ · the standard figures of an area"),
    ("report", "เอกสารเวทีเรียนรู้ (PDF/xlsx) · the learning-forum pack of a village or tambon"),
    ("bench", "วัดความเร็วนำเข้า ตรวจยอด และคำนวณตัวเลข · the benchmark"),
    ("rollups", "ตรวจหรือสร้างยอดรวมใหม่จากรายการบัญชี · verify or rebuild the account totals"),
    ("createadmin", "สร้างผู้ดูแลระบบ · create an administrator"),
    ("unlock", "ล้างการหน่วงเวลาเข้าสู่ระบบของผู้ใช้ · clear a user's login delays"),
]


def _usage(stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    lines = ["usage: chumchon COMMAND [options]   (chumchon COMMAND --help)", "", "commands:"]
    lines += [f"  {name:<12} {text}" for name, text in COMMANDS]
    lines += ["", "common options: --lang th|en, --json (where supported)"]
    out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
