"""Running the instance: its keys, its files on disk, backup and restore.

Stands above every domain app (it reads the registry to tell whether data exists)."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "chumchon.ops"
    label = "ops"
    verbose_name = "Operations: keys, files, backup"

    def ready(self) -> None:
        # Sent once per app with models; this app has none, so listen for core's.
        post_migrate.connect(_record_fingerprint, dispatch_uid="ops-fingerprint")
        connection_created.connect(_private_sqlite_file, dispatch_uid="ops-sqlite-mode")


def _record_fingerprint(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", None) != "core" or using != "default":
        return
    from chumchon.ops.keys import field_key_record_if_safe

    field_key_record_if_safe()


def _private_sqlite_file(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        from chumchon.ops.files import sqlite_files_private

        sqlite_files_private(str(connection.settings_dict["NAME"]))
