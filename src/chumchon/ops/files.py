"""Files on disk are the server user's alone: var/ directories 0700, files 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> None:
    try:
        current = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(current):
        return
    if current & 0o077:
        path.chmod(stat.S_IMODE(current) & mode)


def var_private(var_dir: Path) -> None:
    """Tighten var/ and everything below it that other users could read or write."""
    if not var_dir.is_dir():
        return
    _tighten(var_dir, DIR_MODE)
    for root, dirs, files in os.walk(var_dir):
        for name in dirs:
            _tighten(Path(root) / name, DIR_MODE)
        for name in files:
            _tighten(Path(root) / name, FILE_MODE)


def sqlite_files_private(name: str) -> None:
    if not name or name.startswith(":memory:") or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm"):
        _tighten(Path(name + suffix), FILE_MODE)


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) with mode 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
