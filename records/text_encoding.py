"""Decoding text files as Chinese offices save them.

Excel and Notepad on a Chinese Windows write GBK (GB18030 is its superset); "UTF-8" options
write UTF-8 with a BOM; "Unicode text" is UTF-16 with a BOM. Every importer decodes with this.
"""

import codecs


class UndecodableText(ValueError):
    """The bytes are binary, or in no encoding we can tell."""

    def __init__(self, *, binary: bool):
        super().__init__("binary data" if binary else "unknown text encoding")
        self.binary = binary


def decode_text(data: bytes) -> str:
    """By BOM, else strict UTF-8, else GB18030; raise UndecodableText for binary data."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode("utf-8-sig")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise UndecodableText(binary=False) from exc
    if b"\x00" in data[:65536]:
        raise UndecodableText(binary=True)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UndecodableText(binary=False) from exc
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if control > 8:
        raise UndecodableText(binary=True)
    return text
