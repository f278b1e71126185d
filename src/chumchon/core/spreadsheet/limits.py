"""How big a spreadsheet may be, checked before anything reads it.

python-calamine loads a whole worksheet into memory, and an .xlsx is a zip: a 7 MB
file can unpack to gigabytes (a "zip bomb"), and one sheet of repeated cells can hold
tens of millions of them. So before calamine opens an .xlsx, its zip directory is read
with :mod:`zipfile` and every member is unpacked once, in 1 MiB pieces that are
counted and thrown away:

* the file must be a valid zip of at most ``members`` members;
* the unpacked total must stay under ``unpacked_bytes`` — counted from every packed
  byte as it unpacks, not from the sizes the directory declares (Python's zipfile
  stops at the declared size, another reader need not); a member whose size or
  checksum is not what it declares is refused as damaged;
* a member bigger than ``ratio_min_bytes`` must not unpack to more than ``ratio``
  times its packed size (real sheets pack 5–20 to 1);
* the cells (``<c>`` elements) and rows (``<row>``) of all its sheets must stay under
  ``cells`` and ``rows``. The sheet's own ``<dimension>`` is not trusted: it can say
  ``A1`` over a million cells.

An .xls is not compressed: its file size bounds its memory, and once calamine has a
sheet its width × height is checked before any row is turned into Python. A .csv is
streamed; its size and row count are bounded while it is read.

The limits are :class:`Limits`; a deployment may lower or raise them with the Django
setting ``CHUMCHON_IMPORT_LIMITS`` (a dict of the same names). The toolkit does not need
settings: without Django configured the defaults apply.
"""

from __future__ import annotations

import dataclasses
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from chumchon.core.spreadsheet.errors import UnreadableFile
from chumchon.core.spreadsheet.messages import msg

MB = 1024 * 1024
_PIECE = MB


class TooLarge(UnreadableFile):
    """The file is bigger than an import may be (or unpacks to more): nothing is read."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 50 * MB  # .xlsx and .xls as stored
    csv_bytes: int = 200 * MB  # a CSV streams; its rows are what the import keeps
    unpacked_bytes: int = 200 * MB  # an .xlsx, every member unpacked
    ratio: int = 100  # unpacked : packed, for members over ratio_min_bytes
    ratio_min_bytes: int = 4 * MB
    members: int = 2000
    cells: int = 2_000_000  # all sheets of a workbook
    rows: int = 500_000  # all sheets of a workbook
    csv_rows: int = 2_000_000


def limits() -> Limits:
    """The limits in force: the defaults, with ``settings.CHUMCHON_IMPORT_LIMITS`` over them."""
    try:
        from django.conf import settings

        override = getattr(settings, "CHUMCHON_IMPORT_LIMITS", None) if settings.configured else None
    except ImportError:  # pragma: no cover - the toolkit without Django
        override = None
    return dataclasses.replace(Limits(), **override) if override else Limits()


def _mb(size: int) -> str:
    return f"{size / MB:,.0f}" if size >= 10 * MB else f"{size / MB:,.1f}"


def check_file_size(path: Path, name: str, *, csv: bool = False) -> None:
    """Refuse a file bigger than the limit for its kind."""
    limit = limits().csv_bytes if csv else limits().file_bytes
    size = path.stat().st_size
    if size > limit:
        raise TooLarge(msg("file_too_big", name=name, size=_mb(size), max=_mb(limit)))


# Cell and row elements, with or without a namespace prefix (``<c r="A1">``, ``<x:c>``),
# counted with bytes.count: a regex costs as much as calamine's own read. This counts a
# few other elements too (``<col>``, ``<cfRule>``, ``mc:Choice``) and a prefixed cell
# twice (``</x:c>`` as well): it errs on the safe side.
_CELL_TAGS = (b"<c", b":c")
_ROW_TAGS = (b"<row", b":row")


def _count(data: bytes, tags: tuple[bytes, ...]) -> int:
    return sum(data.count(tag) for tag in tags)


def check_xlsx(path: Path, name: str) -> None:
    """Refuse an .xlsx that is not a zip, or whose content is too big to read (see above)."""
    bounds = limits()
    check_file_size(path, name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > bounds.members:
                raise TooLarge(msg("file_members", name=name, count=f"{len(members):,}", max=f"{bounds.members:,}"))
            declared = sum(info.file_size for info in members)
            if declared > bounds.unpacked_bytes:
                raise TooLarge(msg("file_unpacked", name=name, size=_mb(declared), max=_mb(bounds.unpacked_bytes)))
            for info in members:
                if info.file_size > bounds.ratio_min_bytes and info.file_size > bounds.ratio * max(
                    info.compress_size, 1
                ):
                    raise TooLarge(
                        msg("file_ratio", name=name, ratio=f"{info.file_size // max(info.compress_size, 1):,}")
                    )
            with path.open("rb") as raw:
                _count_unpacked(raw, members, name, bounds)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        # Not a zip, a damaged one, a checksum that does not match (sizes that lie) or a
        # compression method zipfile does not know (calamine would not know it either).
        raise UnreadableFile(msg("file_unreadable", name=name)) from None


def _unpacked_pieces(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes as they unpack from all of its packed bytes, whatever size the
    directory declares (zipfile stops at the declared size; other readers need not), in
    pieces of at most 1 MiB. Raises ``BadZipFile`` when the size or checksum it declares
    is not what it holds, or it is encrypted or packed other than Excel does."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise zipfile.BadZipFile(info.filename)
    raw.seek(info.header_offset)
    local = raw.read(30)
    if len(local) != 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(info.filename)
    raw.seek(info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little"))
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, size, crc = info.compress_size, 0, 0
    while left > 0:
        packed = raw.read(min(left, 1 << 16))
        if not packed:
            raise zipfile.BadZipFile(info.filename)
        left -= len(packed)
        while packed:
            if inflate is None:
                piece, packed = packed, b""
            else:
                piece = inflate.decompress(packed, _PIECE)
                packed = inflate.unconsumed_tail
            size += len(piece)
            crc = zlib.crc32(piece, crc)
            yield piece
    if inflate is not None and (rest := inflate.flush()):
        size += len(rest)
        crc = zlib.crc32(rest, crc)
        yield rest
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(info.filename)


def _count_unpacked(raw: BinaryIO, members: list[zipfile.ZipInfo], name: str, bounds: Limits) -> None:
    unpacked = cells = rows = 0
    for info in members:
        counting = info.filename.lower().endswith(".xml")
        pending = b""
        for piece in _unpacked_pieces(raw, info):
            unpacked += len(piece)
            if unpacked > bounds.unpacked_bytes:
                raise TooLarge(msg("file_unpacked", name=name, size=_mb(unpacked), max=_mb(bounds.unpacked_bytes)))
            if not counting:
                continue
            # Count only up to the last "<": an element cut in two is counted with
            # the next piece (no element holds a second "<").
            data = pending + piece
            cut = data.rfind(b"<")
            done, pending = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
            cells += _count(done, _CELL_TAGS)
            rows += _count(done, _ROW_TAGS)
            if cells > bounds.cells:
                raise TooLarge(msg("file_cells", name=name, max=f"{bounds.cells:,}"))
            if rows > bounds.rows:
                raise TooLarge(msg("file_rows", name=name, max=f"{bounds.rows:,}"))
        if counting and pending:
            cells += _count(pending, _CELL_TAGS)
            rows += _count(pending, _ROW_TAGS)
    if cells > bounds.cells:
        raise TooLarge(msg("file_cells", name=name, max=f"{bounds.cells:,}"))
    if rows > bounds.rows:
        raise TooLarge(msg("file_rows", name=name, max=f"{bounds.rows:,}"))


def check_sheet_size(height: int, width: int, name: str) -> None:
    """Refuse a loaded sheet (an .xls) with more cells or rows than an import may read."""
    bounds = limits()
    if height > bounds.rows:
        raise TooLarge(msg("file_rows", name=name, max=f"{bounds.rows:,}"))
    if height * width > bounds.cells:
        raise TooLarge(msg("file_cells", name=name, max=f"{bounds.cells:,}"))
