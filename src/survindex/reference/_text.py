"""Text normalisation shared by every lookup table: one key function, so tables and queries agree."""

from __future__ import annotations

import re
import unicodedata

# Periods and apostrophes vanish: "U.S." -> "us", "Côte d’Ivoire" -> "cote divoire".
_DROP = re.compile(r"[.'’‘`´ʼ]")
# Abbreviations in statistical-agency names ("Korea, Rep.", "Congo, Dem. Rep.", "Russian Fed.", "St. Lucia").
_EXPAND = {"rep": "republic", "dem": "democratic", "fed": "federation", "st": "saint", "sts": "states"}
_PUNCT = re.compile(r"[^\w]+")  # every other run of non-word characters (incl. _ below) becomes one space


def fold(text: str) -> str:
    """NFKC, casefold, strip diacritics, drop periods/apostrophes, other punctuation -> space, expand "Rep."/"St."."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("&", " and ").replace("+", " plus ")
    text = _DROP.sub("", text)
    text = _PUNCT.sub(" ", text).replace("_", " ")
    return " ".join(_EXPAND.get(w, w) for w in text.split())


def key(text: str) -> str:
    """``fold`` plus dropping a leading/trailing "the" ("The Gambia", "Gambia, The")."""
    k = fold(text)
    if k.startswith("the "):
        k = k[4:]
    if k.endswith(" the"):
        k = k[:-4]
    return k
