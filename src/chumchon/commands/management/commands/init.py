from __future__ import annotations

from typing import Any

from django.core.management import call_command

from chumchon.areas.selectors import area_stats
from chumchon.areas.services import areas_load_thailand
from chumchon.core.command import ChumchonCommand
from chumchon.ledgers.services import categories_load_standard
from chumchon.registry.services import indicator_editions_load


class Command(ChumchonCommand):
    help = "Migrate the database and load Thailand's areas and the standard ledger categories."
    json_capable = True

    def handle(self, *args: Any, **options: Any) -> None:
        json_mode = options["json"]
        call_command("migrate", interactive=False, verbosity=0, stdout=self.stderr if json_mode else self.stdout)
        areas = areas_load_thailand()
        cats = categories_load_standard()
        indicators = indicator_editions_load()
        stats = area_stats()
        if json_mode:
            self.emit_json(
                {
                    "areas_created": areas.created,
                    "areas_updated": areas.updated,
                    "categories_created": cats.created,
                    "categories_updated": cats.updated,
                    "indicators_created": indicators,
                    **stats.__dict__,
                }
            )
            return
        self.stdout.write(
            self.t(
                f"พร้อมใช้งาน: {stats.provinces} จังหวัด {stats.districts:,} อำเภอ {stats.tambons:,} ตำบล "
                f"{stats.villages:,} หมู่บ้าน (เพิ่มพื้นที่ {areas.created:,} ปรับปรุง {areas.updated:,}; "
                f"หมวดบัญชีใหม่ {cats.created})",
                f"Ready: {stats.provinces} provinces, {stats.districts:,} districts, {stats.tambons:,} tambons, "
                f"{stats.villages:,} villages (areas added {areas.created:,}, updated {areas.updated:,}; "
                f"new categories {cats.created})",
            )
        )
