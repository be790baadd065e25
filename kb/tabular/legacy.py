"""Files named .xls: what they really are, and what to do with each.

kb does not read the Excel 97-2003 format (a binary OLE2 file, no longer Excel's own since
2007). Files named .xls are often something else: an .xlsx workbook renamed, or the HTML or CSV
text many tools export under an Excel name. The first bytes tell which, so the message says what
to do with that file.
"""

from __future__ import annotations

from pathlib import Path

from kb import i18n

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature of Excel 97-2003
_ZIP = b"PK\x03\x04"  # an .xlsx is a zip archive


def legacy_excel(path: Path, lang: str = i18n.DEFAULT) -> str:
    """Why an .xls file is not read and what to do instead, by what its first bytes are."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        head = b""
    if head.startswith(_ZIP):
        key = "import.xls_zip"
    elif head and not head.startswith(_OLE2[:4]) and b"\x00" not in head:
        key = "import.xls_text"
    else:
        key = "import.xls_old"
    return i18n.text(key, lang, file=path.name)
