"""The vectorised CSV path: whole batches of rows read and checked by polars.

Reading a row through the spreadsheet toolkit costs 20–45 µs in Python; a 1,000,000-row
file would spend half a minute there. This path reads the CSV with polars and checks
each batch with column expressions — Thai digits, spaces, thousands separators and
``บาท``, Buddhist Era dates, category codes and names, household codes, the money
columns and the category's kind, future dates and closed months.

It only *accepts*. A row it cannot read exactly as the row path would — any error, and
anything unusual (a character outside printable ASCII and Thai, a quote, a date written
with a month name, a negative or ``(…)`` amount, a blank row) — is marked ``odd`` and
handed to the row path (``sheet.Context.check`` through the toolkit), which reads it
and words any error. So the messages are the row path's, and a file gives the same
lines, keys and errors whichever path read its rows (the tests check both on the same
files).

The file must be UTF-8 (a TIS-620 file is converted to a temporary UTF-8 copy first),
with the header on its first line and no lone carriage returns; ``usable`` checks the
rest. If polars refuses the file part-way (malformed quoting it reads differently from
Python's ``csv``), the caller reads the remaining rows through the row path.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

from chumchon.core import spreadsheet as ss
from chumchon.ledgers.imports.sheet import CODE_MAX, COLUMN_KIND, ITEM_MAX, MONEY_FIELDS, Context

# Characters the fast path reads itself: printable ASCII and the Thai block. Anything else
# (tabs, non-breaking and zero-width spaces, other scripts) sends the row to the row path.
_UNUSUAL = r'[^\x20-\x7E\x{0E00}-\x{0E7F}]|"'
_THAI_DIGITS = list("๐๑๒๓๔๕๖๗๘๙")
_DIGITS = list("0123456789")
_DMY = r"^([0-9]{1,2})([/.-])([0-9]{1,2})([/.-])([0-9]{4})$"
_ISO = r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"
_MONEY = r"^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{0,2}))?$"
_CHUNK = 1 << 16
BATCH_BYTES = 4 << 20  # about 80,000 rows of a typical accounts file

LINE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row": pl.Int64,
    "household_id": pl.Int64,
    "village": pl.String,
    "province": pl.String,
    "district": pl.String,
    "date": pl.Date,
    "category": pl.String,
    "item": pl.String,
    "satang": pl.Int64,
    "kind": pl.String,
    "body": pl.String,
}


def scan_text(path: Path) -> tuple[int, bool]:
    """(lines, has a lone carriage return) of a file, read in 64 KiB chunks."""
    lines = 0
    lone_cr = previous_cr = False
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
            if previous_cr and not chunk.startswith(b"\n"):
                lone_cr = True
            if not lone_cr and b"\r" in chunk:
                body = chunk[:-1] if chunk.endswith(b"\r") else chunk
                lone_cr = body.count(b"\r") != body.count(b"\r\n")
            previous_cr = chunk.endswith(b"\r")
    return lines, lone_cr or previous_cr


def utf8_copy(path: Path, encoding: str, directory: str) -> Path | None:
    """A UTF-8 copy of a TIS-620 / cp874 file for polars (``None`` if it will not decode:
    the row path then reports the bad row)."""
    target = Path(directory) / "utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as src, target.open("wb") as out:
            while chunk := src.read(_CHUNK):
                out.write(decoder.decode(chunk).encode())
            out.write(decoder.decode(b"", final=True).encode())
    except UnicodeDecodeError:
        os.unlink(target)
        return None
    return target


def _clean(expr: pl.Expr) -> pl.Expr:
    """``ss.clean_text`` for text holding no whitespace but the space (see ``_UNUSUAL``)."""
    return expr.str.replace_all(" +", " ").str.strip_chars(" ")


def _arabic(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(_THAI_DIGITS, _DIGITS)


def _unwrap(expr: pl.Expr) -> pl.Expr:
    """Excel's ``="007"``, as the toolkit's CSV reader undoes it."""
    wrapped = expr.str.starts_with('="') & expr.str.ends_with('"') & (expr.str.len_chars() >= 3)
    inner = expr.str.slice(2, expr.str.len_chars() - 3).str.replace_all('""', '"', literal=True)
    return pl.when(wrapped).then(inner).otherwise(expr)


def _json_text(expr: pl.Expr) -> pl.Expr:
    """A JSON string literal, as ``json.dumps(ensure_ascii=False)`` writes it (quotes and
    control characters never reach here)."""
    return pl.concat_str([pl.lit('"'), expr.str.replace_all("\\", "\\\\", literal=True), pl.lit('"')])


def pieces(path: Path, size: int) -> Iterator[bytes]:
    """The file after its first record (the header) in pieces of about ``size`` bytes,
    each ending where a record does: at a line end outside quotes (an even number of
    ``"`` before it — a doubled ``""`` inside a quoted cell counts twice)."""
    with path.open("rb") as fh:
        data = b""
        header_done = False
        while block := fh.read(size):
            data += block
            if not header_done:
                end = _record_end(data, first=True)
                if end < 0:
                    continue
                data, header_done = data[end:], True
            end = _record_end(data, first=False)
            if end > 0:
                yield data[:end]
                data = data[end:]
        if header_done and data:
            yield data


def _record_end(data: bytes, *, first: bool) -> int:
    """The index just after the first (``first``) or last line end outside quotes; -1 if none."""
    if first:
        at = data.find(b"\n")
        while at >= 0 and data.count(b'"', 0, at) % 2:
            at = data.find(b"\n", at + 1)
    else:
        at = data.rfind(b"\n")
        while at >= 0 and data.count(b'"', 0, at) % 2:
            at = data.rfind(b"\n", 0, at)
    return at + 1 if at >= 0 else -1


class FastReader:
    """Reads a UTF-8 CSV file with polars, a piece of about ``batch_bytes`` at a time."""

    def __init__(
        self,
        path: Path,
        *,
        ctx: Context,
        headers: tuple[str, ...],
        columns: dict[str, str],
        delimiter: str,
        batch_bytes: int = BATCH_BYTES,
        first_row: int = 2,
    ) -> None:
        self.path = path
        self.ctx = ctx
        self.width = len(headers)
        self.delimiter = delimiter
        self.batch_bytes = batch_bytes
        self.first_row = first_row
        # field -> column index; the first column with the header as written
        self.index = {name: headers.index(header) for name, header in columns.items()}
        self._closed = [f"{village}|{month:%Y-%m}" for village, month in _closed_months(ctx)]

    def batches(self) -> Iterator[tuple[pl.DataFrame, list[int], int]]:
        """(accepted lines in ``LINE_SCHEMA``, numbers of the rows left to the row path,
        last row number) for each batch, in file order."""
        schema = {f"c{i}": pl.String for i in range(self.width)}
        row = self.first_row
        for piece in pieces(self.path, self.batch_bytes):
            frame = pl.read_csv(
                piece,
                has_header=False,
                schema=schema,
                separator=self.delimiter,
                quote_char='"',
                truncate_ragged_lines=True,
                missing_columns="insert",
                extra_columns="ignore",
                encoding="utf8",
                raise_if_empty=False,
            )
            if not frame.height:
                continue
            batch = self._checked(frame.with_row_index("row", offset=row).lazy()).collect()
            row += frame.height
            odd = batch.filter(pl.col("odd"))["row"].to_list()
            good = batch.filter(~pl.col("odd")).select(pl.col(name).cast(kind) for name, kind in LINE_SCHEMA.items())
            yield good, odd, row - 1

    def _cell(self, name: str) -> pl.Expr:
        index = self.index.get(name)
        return _unwrap(pl.col(f"c{index}")) if index is not None else pl.lit(None, dtype=pl.String)

    def _checked(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """The batch with ``odd`` (left to the row path) and, for the other rows, the
        line's columns. Built in stages so each regular expression runs once per cell."""
        ctx = self.ctx
        fields = ("household", "date", "category", "item", *MONEY_FIELDS)
        present = [name for name in fields if name in self.index]
        money = [name for name in MONEY_FIELDS if name in self.index]
        col = pl.col

        # 1. the cells as text: unwrapped, cleaned, Thai digits made 0–9
        raw = {name: self._cell(name) for name in fields}
        frame = frame.with_columns(
            unusual=pl.any_horizontal([raw[name].str.contains(_UNUSUAL).fill_null(False) for name in present]),
            blank_row=pl.all_horizontal(
                [raw[name].is_null() | (raw[name].str.replace_all(" ", "") == "") for name in present]
            ),
            code=pl.when(_clean(raw["household"]) != "").then(_arabic(_clean(raw["household"]))),
            date_text=_arabic(_clean(raw["date"])),
            key=pl.when(raw["category"].str.replace_all(" ", "") != "").then(
                _arabic(raw["category"].str.replace_all(" ", "")).str.to_lowercase()
            ),
            item=pl.when(_clean(raw["item"]) != "").then(_clean(raw["item"])),
            **{f"m_{name}": _arabic(raw[name].str.replace_all(" ", "")) for name in money},
        )

        # 2. lookups and the parts of dates and amounts
        codes = list(ctx.households)
        refs = [ctx.households[c] for c in codes]

        def household(values: Sequence[object], dtype: pl.DataType | type[pl.DataType]) -> pl.Expr:
            return col("code").replace_strict(codes, values, default=None, return_dtype=dtype)

        keys = list(ctx.choices.index)
        chosen = [ctx.choices.index[k] for k in keys]

        def category(values: Sequence[object]) -> pl.Expr:
            return col("key").replace_strict(keys, values, default=None, return_dtype=pl.String)

        frame = frame.with_columns(
            household_id=household([r.pk for r in refs], pl.Int64),
            village=household([r.village for r in refs], pl.String),
            province=household([r.province for r in refs], pl.String),
            district=household([r.district for r in refs], pl.String),
            h_json=household([json.dumps(ss.canonical(c), ensure_ascii=False) for c in codes], pl.String),
            category=category(chosen),
            category_kind=category([ctx.categories[c].kind for c in chosen]),
            category_json=category([json.dumps(ss.canonical(c), ensure_ascii=False) for c in chosen]),
            dmy=col("date_text").str.extract_groups(_DMY),
            iso=col("date_text").str.extract_groups(_ISO),
            **{f"none_{name}": raw[name].is_null() | col(f"m_{name}").is_in(["", "-"]) for name in money},
            **{
                f"p_{name}": col(f"m_{name}")
                .str.replace(r"^(?:฿|[Tt][Hh][Bb])", "")
                .str.replace(r"(?:บาท|฿|[Tt][Hh][Bb]|บ\.)$", "")
                .str.replace(r"\.-$", "")
                .str.extract_groups(_MONEY)
                for name in money
            },
        )

        # 3. dates (a year above 2400 is Buddhist Era) and amounts in satang
        dmy_ok = col("dmy").struct.field("1").is_not_null() & (
            col("dmy").struct.field("2") == col("dmy").struct.field("4")
        )
        year = pl.when(dmy_ok).then(col("dmy").struct.field("5")).otherwise(col("iso").struct.field("1"))
        month = pl.when(dmy_ok).then(col("dmy").struct.field("3")).otherwise(col("iso").struct.field("2"))
        day = pl.when(dmy_ok).then(col("dmy").struct.field("1")).otherwise(col("iso").struct.field("3"))
        frame = frame.with_columns(
            year=year.cast(pl.Int32),
            month_text=month.str.zfill(2),
            day_text=day.str.zfill(2),
            **{
                f"s_{name}": pl.when(col(f"p_{name}").struct.field("1").str.len_chars() <= 15).then(
                    col(f"p_{name}").struct.field("1").str.replace_all(",", "", literal=True)
                )
                for name in money
            },
            **{f"c_{name}": col(f"p_{name}").struct.field("2").fill_null("").str.pad_end(2, "0") for name in money},
        )
        year = pl.when(col("year") > 2400).then(col("year") - 543).otherwise(col("year"))
        frame = frame.with_columns(
            date_iso=pl.when(year.is_between(1900, 2200)).then(
                pl.concat_str([year.cast(pl.String), pl.lit("-"), col("month_text"), pl.lit("-"), col("day_text")])
            ),
            **{
                f"v_{name}": pl.when(col(f"s_{name}").str.len_chars() <= 12).then(
                    col(f"s_{name}").cast(pl.Int64) * 100 + col(f"c_{name}").cast(pl.Int64)
                )
                for name in money
            },
        )

        # 4. exactly one money column, and whether the row is the fast path's to take
        filled = pl.sum_horizontal([(~col(f"none_{name}")).cast(pl.Int8) for name in money])
        bad_money = pl.any_horizontal(
            [~col(f"none_{name}") & (col(f"v_{name}").is_null() | (col(f"v_{name}") == 0)) for name in money]
        )
        frame = frame.with_columns(
            date=col("date_iso").str.to_date("%Y-%m-%d", strict=False),
            satang=pl.coalesce([pl.when(~col(f"none_{name}")).then(col(f"v_{name}")) for name in money]),
            kind=pl.coalesce(
                [pl.when(~col(f"none_{name}")).then(pl.lit(COLUMN_KIND[name])) for name in money] + [pl.lit("")]
            ),
            filled=filled,
            bad_money=bad_money,
        )
        month_key = pl.concat_str([col("village"), pl.lit("|"), col("date_iso").str.slice(0, 7)])
        odd = (
            col("unusual")
            | col("blank_row")
            | col("household_id").is_null()
            | (col("code").str.len_chars() > CODE_MAX).fill_null(True)
            | col("date").is_null()
            | (col("date") > pl.lit(ctx.today))
            | month_key.is_in(self._closed).fill_null(False)
            | col("bad_money")
            | (col("filled") != 1)
            | (col("key").is_not_null() & col("category").is_null())
            | (col("category").is_null() & col("item").is_null())
            | (col("item").str.len_chars() > ITEM_MAX).fill_null(False)
            | ((col("kind") != "") & col("category_kind").is_not_null() & (col("kind") != col("category_kind")))
        )
        frame = frame.with_columns(odd=odd.fill_null(True), item=col("item").fill_null(""))

        # 5. the fingerprint body of each line, as sheet.key_body writes it
        amount = pl.concat_str(
            [(col("satang") // 100).cast(pl.String), pl.lit("."), (col("satang") % 100).cast(pl.String).str.zfill(2)]
        )
        body = pl.concat_str(
            [
                pl.lit('[["household",'),
                col("h_json"),
                pl.lit('],["date","'),
                col("date_iso"),
                pl.lit('"],["category",'),
                col("category_json").fill_null('""'),
                pl.lit('],["item",'),
                _json_text(col("item").str.to_lowercase()),
                pl.lit('],["amount","'),
                amount.str.strip_chars_end("0").str.strip_chars_end("."),
                pl.lit('"]]'),
            ]
        )
        return frame.with_columns(body=pl.when(~col("odd")).then(body))


def _closed_months(ctx: Context) -> set[tuple[str, dt.date]]:
    """Every closed (village, month) of the tambon: those with any open/close record,
    asked through ``month_is_closed`` (a month never closed has no record)."""
    from chumchon.ledgers.models import MonthStatusChange

    pairs = set(MonthStatusChange.objects.filter(village_id__in=list(ctx.villages)).values_list("village_id", "month"))
    return ctx.closed_months(pairs)
