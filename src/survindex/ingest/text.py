"""Bytes to text: encoding detection and the normalisation applied before a text is hashed."""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 256 * 1024  # bytes handed to charset_normalizer
# C0/C1 controls except tab and newline, lone surrogates, and non-characters databases refuse.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TRAILING = " \t\u00a0\u3000"
_BLANKS = re.compile(r"\n{4,}")


def detect_encoding(data: bytes, declared: str | None = None) -> tuple[str, int]:
    """The encoding of ``data`` and the length of its byte-order mark: BOM, UTF-8, the declared
    charset (HTTP header or ``<meta charset>``), charset_normalizer, cp1252."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", 0  # a multi-byte character cut off at the end
    if declared and _known(declared) and _known(declared) not in ("utf-8", "ascii"):
        return _known(declared) or "cp1252", 0
    return _guess(data[:_SAMPLE]), 0


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("\"'")[:40]).name
    except (LookupError, ValueError):
        return None


def _guess(sample: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None and best.encoding:
            codecs.lookup(best.encoding)
            return str(best.encoding)
    except Exception:  # noqa: BLE001 - detection is best effort; cp1252 decodes anything
        pass
    return "cp1252"


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode bytes of unknown encoding; never raises (undecodable bytes become U+FFFD)."""
    encoding, skip = detect_encoding(data, declared)
    return data[skip:].decode(encoding, errors="replace")


def normalise(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` to ``\\n``, no control characters, no trailing spaces, at most 3 blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip(_TRAILING) for line in text.split("\n"))  # linear, unlike a regex
    text = _BLANKS.sub("\n\n\n", text)
    return text.strip("\n ")
