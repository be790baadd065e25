"""Reading CSV: the encoding detected on the whole file, the separator sniffed, then rows streamed.

UTF-8 with or without a BOM, UTF-16 with one, GBK from a Chinese Excel, Windows-1252, else
Latin-1; comma, semicolon or tab separators. Bytes that break the encoding a file claims are an
error named by line, never replaced behind the user's back.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any, BinaryIO

from kb import i18n
from kb.errors import KbError, UsageError
from kb.fields import spoken
from kb.tabular.cells import csv_unescape
from kb.tabular.limits import ImportLimits, capped

CSV_SUFFIXES = (".csv", ".tsv", ".txt")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_GUESSES = (("utf-8", "UTF-8"), ("gb18030", "GBK"), ("cp1252", "Windows-1252"))
_CHUNK = 1 << 20


def _say(key: str, **values: Any) -> str:
    """The message ``import.<key>`` in the language spoken now (``kb.fields.speaking``)."""
    return i18n.text(f"import.{key}", spoken(), **values)


def _decode_error(fh: BinaryIO, codec: str, skip: int) -> tuple[int, int] | None:
    """Where the bytes after the first ``skip`` stop being ``codec``: (line, byte), or None.

    Reads a chunk at a time, so a large file is checked without holding it in memory.
    """
    fh.seek(skip)
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 1
    while True:
        chunk = fh.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            tried = exc.object  # what the decoder had buffered, and this chunk
            before = bytes(tried[: exc.start]).decode(codec, errors="replace")
            return lines + before.count("\n"), tried[exc.start]
        lines += text.count("\n")
        if not chunk:
            return None


def _detect_encoding(fh: BinaryIO, encoding: str | None = None) -> tuple[str, str, int]:
    """How to read a CSV file: (codec, label for the user, bytes of byte-order mark to skip).

    UTF-8 with or without a BOM, UTF-16 with one, GBK, Windows-1252, else Latin-1; KbError when
    the file breaks the encoding it names (``encoding``, or its byte-order mark), by line.
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(_say("unknown_encoding", encoding=repr(encoding))) from None
        bad = _decode_error(fh, codec, 0)
        if bad:
            raise KbError(_say("not_encoding", line=bad[0], encoding=encoding))
        return codec, encoding, 0
    # A byte-order mark says which encoding the file claims: bytes that break it are an error,
    # named by line, never replaced by question marks behind the user's back.
    fh.seek(0)
    head = fh.read(4)
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            bad = _decode_error(fh, codec, len(bom))
            if bad:
                raise KbError(
                    _say(
                        "breaks_bom",
                        line=bad[0],
                        encoding=label,
                        byte=f"0x{bad[1]:02x}",
                    )
                )
            return codec, label, len(bom)
    for codec, label in _GUESSES:
        if _decode_error(fh, codec, 0) is None:
            return codec, label, 0
    return "latin-1", "Latin-1", 0


def _encoding_label(label: str, skip: int, lang: str) -> str:
    """The encoding as the user is told it: "UTF-8 with BOM" (in ``lang``) where a UTF-8 file
    starts with its byte-order mark, else its name."""
    return i18n.text("import.utf8_bom", lang) if skip and label == "UTF-8" else label


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was read with: UTF-8 (BOM or not), GBK, cp1252."""
    codec, label, skip = _detect_encoding(io.BytesIO(data), encoding)
    return data[skip:].decode(codec), _encoding_label(label, skip, spoken())


def _sniff_delimiter(text: str) -> str:
    """The separator of the header line: the first line that one of them splits into columns."""
    for line in text.splitlines()[:20]:
        counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])  # ties: comma, then semicolon
        if counts[best] > 1:
            return best
    return ","


def _csv_reason(exc: csv.Error) -> str:
    m = re.search(r"field larger than field limit \((\d+)\)", str(exc))
    if m:
        return _say("long_cell", count=f"{int(m.group(1)):,}")
    return _say("bad_csv", reason=exc)


def read_csv(
    path: Path, encoding: str | None, limits: ImportLimits, lang: str = i18n.DEFAULT
) -> tuple[list[tuple[int, list[Any]]], str]:
    """The numbered records of a CSV file, and how it was read ("GBK, semicolon-separated",
    in ``lang``)."""
    limits.check_size(path.name, path.stat().st_size)
    with path.open("rb") as fh:
        try:
            codec, used, skip = _detect_encoding(fh, encoding)
        except UsageError:
            raise
        except KbError as exc:
            raise KbError(f"{path.name}: {exc}") from None
        fh.seek(skip)
        head = codecs.getincrementaldecoder(codec)().decode(fh.read(64 * 1024))
        delim = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(head)
        fh.seek(skip)
        text = io.TextIOWrapper(fh, encoding=codec, newline="")
        reader = csv.reader(text, delimiter=delim)
        # Numbered by record, as Excel numbers the rows (a quoted cell may span lines).
        records = (
            (number, [csv_unescape(c.replace("\r\n", "\n")) for c in record])
            for number, record in enumerate(reader, start=1)
        )
        try:
            grid = capped(records, path.name, _say("the_file"), limits)
        except csv.Error as exc:
            problem = _csv_reason(exc)
            raise KbError(
                _say("csv_line", file=path.name, line=reader.line_num, problem=problem)
            ) from None
    names = {",": "comma", ";": "semicolon", "\t": "tab"}
    used = _encoding_label(used, skip, lang)
    return grid, i18n.text(f"import.csv_{names[delim]}", lang, encoding=used)
