"""Published aggregate figures: "supplying its technology to 50 countries", "36 out of 86 BRI countries"."""

from __future__ import annotations

import re
from typing import Any

from survindex.extract import cues
from survindex.extract.facts import Sentence
from survindex.extract.money import parse_count

_NUM = (r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|twenty(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|"
        r"(?:thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|"
        r"a hundred|one hundred")
REACH = re.compile(
    r"(?P<qual>\bat least|\bmore than|\bover|\bnearly|\balmost|\babout|\baround|\bapproximately|\broughly|\bsome"
    r"|\bup to|\bfewer than|\bless than|\bas many as|\bno fewer than|\bat most)?\s*"
    r"\b(?P<n>" + _NUM + r")\b(?:\s+(?:out\s+)?of\s+(?:the\s+)?(?P<total>" + _NUM + r"))?\s+"
    r"(?P<mid>(?:(?:BRI|Belt and Road|[A-Z][\w-]+|different|other|more|additional|partner|member|participating)\s+){0,3})"
    r"(?:countries|nations)\b",
    re.IGNORECASE,
)
_BRI = re.compile(r"\bBRI\b|Belt and Road|One Belt", re.IGNORECASE)


def reach_claims(s: Sentence, prev_text: str) -> list[dict[str, Any]]:
    """Drafts of ``supplier_reach`` claims in one sentence (no provenance yet)."""
    if "countr" not in s.text and "nation" not in s.text:
        return []
    if not (cues.SURVEILLANCE_WORD.search(s.text) or cues.SURVEILLANCE_WORD.search(prev_text)):
        return []
    out: list[dict[str, Any]] = []
    for m in REACH.finditer(s.text):
        count = parse_count(m.group("n"))
        total = parse_count(m.group("total")) if m.group("total") else None
        if count is None or count > 250 or (total is not None and (total > 250 or total < count)):
            continue
        out.append(_draft(s, m, count, total))
    return out


def _draft(s: Sentence, m: re.Match[str], count: int, total: int | None) -> dict[str, Any]:
    qual = " ".join(m.group("qual").lower().split()) if m.group("qual") else None
    draft: dict[str, Any] = {"kind": "supplier_reach", "count": count, "total": total, "qualifier": qual,
                             "subject": "all", "confidence": 0.8}
    pos = s.start + m.start()
    if _BRI.search(m.group("mid") or "") or (total is not None and _BRI.search(s.text[m.end():m.end() + 20])):
        draft["subject"] = "bri"
        return draft
    before = [p for p in s.suppliers if p.start < pos] or s.suppliers
    if before:
        p = before[0]
        draft.update(subject="supplier", supplier=p.name, supplier_country=p.country, supplier_resolved=p.resolved)
    elif s.supplier_countries:
        draft.update(subject="supplier_country", supplier_country=s.supplier_countries[0])
    if cues.SPECULATION.search(s.text):
        draft["confidence"] = 0.6
    return draft
