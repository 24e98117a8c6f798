"""Document structure: which parts of a scraped article are prose, and when it was published.

``prose(text)`` returns a *mask*: a string of exactly the same length as ``text`` in which page furniture (front
matter, tag blocks, "Posted on" footers, link lines, image captions, "related" lists, bylines) is blanked out and
inline markup is replaced by spaces, so that ``[Pegasus](https://…) was used`` reads as one sentence. Every offset
in the mask is an offset in the original text: rules read the mask, quotes are cut from the original. Headings
(and the title line) are kept but listed as *weak* spans: they may support a fact the body states, never make one.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from survindex.extract.gazetteer import lexicon

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)(?:\{[^}\n]*\})?")
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*[^)\s]*(?:\s+\"[^\"\n]*\")?\s*\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_URL = re.compile(r"<?\bhttps?://[^\s)>\]]+>?")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,300}>")
_ATTRS = re.compile(r"\{[.#][^}\n]*\}")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])|`")
_QUOTE_MARK = re.compile(r"^[ \t]*>[> \t]*", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+")
_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+•·▪◦‣]|\d{1,3}[.)])[ \t]+")
_BOLD_LINE = re.compile(r"^[ \t]*(?:\*\*|__)[^\n]{1,150}(?:\*\*|__)[ \t]*:?[ \t]*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|" \
         r"jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_DATE_MDY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_META_DATE = re.compile(r"<meta[^>]+(?:published_time|datePublished|pubdate|publish-date|date)[\"'][^>]*content=[\"']"
                        r"([^\"']+)|<time[^>]+datetime=[\"']([^\"']+)", re.IGNORECASE)


@dataclass
class Structure:
    """The mask (same length as the text), weak spans (headings, title) and the publication date found."""

    mask: str
    weak: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)
    published: str | None = None

    def is_weak(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b + 1 for a, b in self.weak)


@cache
def _cues() -> dict[str, Any]:
    data: dict[str, Any] = lexicon()["structure"]
    return data


@cache
def _line_rx(key: str) -> re.Pattern[str]:
    """Lines opening with a cue of ``key`` (several keys joined by "+")."""
    words = sorted({w for k in key.split("+") for w in _cues()[k]}, key=len, reverse=True)
    return re.compile(r"^[ \t>#*_\[]*(?:" + "|".join(re.escape(w) for w in words) + r")(?:(?<=\w)\b|(?<!\w))",
                      re.IGNORECASE)


def _blank(chars: list[str], a: int, b: int) -> None:
    for i in range(a, b):
        if chars[i] != "\n":
            chars[i] = " "


def _lines(text: str) -> list[tuple[int, int]]:
    out, a = [], 0
    for m in re.finditer(r"\n", text):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(text)))
    return out


def _iso(y: str, mo: int, d: str) -> str | None:
    day = int(d)
    return f"{int(y):04d}-{mo:02d}-{day:02d}" if 1 <= mo <= 12 and 1 <= day <= 31 else None


def find_date(s: str) -> str | None:
    """The first date written in ``s`` as an ISO ``YYYY-MM-DD`` (ISO, "January 27, 2026", "27 January 2026")."""
    found: list[tuple[int, str]] = []
    m = _DATE_ISO.search(s)
    if m:
        found.append((m.start(), f"{m.group(1)}-{m.group(2)}-{m.group(3)}"))
    m2 = _DATE_MDY.search(s)
    if m2:
        iso = _iso(m2.group(3), _MONTHS.get(_month(m2.group(1)), 0), m2.group(2))
        if iso:
            found.append((m2.start(), iso))
    m3 = _DATE_DMY.search(s)
    if m3:
        iso = _iso(m3.group(3), _MONTHS.get(_month(m3.group(2)), 0), m3.group(1))
        if iso:
            found.append((m3.start(), iso))
    return min(found)[1] if found else None


def _month(word: str) -> str:
    w = word.lower().rstrip(".")
    return next((m for m in _MONTHS if m.startswith(w)), w)


def _visible(s: str) -> str:
    """A line's text as a reader sees it: link texts kept, URLs and markup dropped."""
    s = _IMAGE.sub(" ", s)
    s = _LINK.sub(lambda m: m.group(1), s)
    s = _URL.sub(" ", s)
    return _HTML_TAG.sub(" ", s)


def _link_share(s: str) -> float:
    """The share of a line's words that are link texts (1.0 for a line that is only links)."""
    if "[" not in s and "http" not in s:
        return 0.0
    words = len(_WORD.findall(_visible(s)))
    if not words:
        return 1.0 if _LINK.search(s) or _URL.search(s) or _IMAGE.search(s) else 0.0
    linked = sum(len(_WORD.findall(m.group(1))) for m in _LINK.finditer(_IMAGE.sub(" ", s)))
    return linked / words


def _paragraphs(text: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    out: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for a, b in lines:
        body = text[a:b].strip().lstrip(">").strip()
        if not body:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append((a, b))
    if cur:
        out.append(cur)
    return out


def _furniture_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped.startswith("!") and not _line_rx("furniture_lines+caption_lines+byline_lines").match(stripped):
        return False  # the common case: one test
    if _line_rx("furniture_lines+caption_lines").match(stripped):
        return True
    if stripped.startswith("!") and (_IMAGE.match(stripped) or stripped.startswith("![")):
        return True
    if _line_rx("byline_lines").match(stripped) and len(_WORD.findall(stripped)) <= 8 \
            and not stripped.rstrip("*_ ").endswith((".", "!", "?")):
        return True
    return False


def _paragraph_kind(text: str, para: list[tuple[int, int]]) -> str:
    """furniture | related | heading | prose."""
    first = text[para[0][0]:para[0][1]]
    whole = text[para[0][0]:para[-1][1]]
    if not _MARKUP_OR_LINK.search(whole) and not _furniture_line(first) \
            and not _line_rx("related_lines").match(first.strip()):
        return "prose" if len(para) > 1 or not (_HEADING.match(first) or _BOLD_LINE.match(first)) else "heading"
    if _furniture_line(first) and (len(para) == 1 or _link_share(whole) >= 0.5
                                   or all(len(_WORD.findall(_visible(text[a:b]))) <= 12 for a, b in para)):
        return "furniture"
    if _line_rx("related_lines").match(first.strip()) and len(_WORD.findall(_visible(first))) <= 6:
        return "related"
    if _link_share(whole) >= 0.6 or all(_furniture_line(text[a:b]) for a, b in para):
        return "furniture"
    if len(para) == 1 and (_HEADING.match(first) or _BOLD_LINE.match(first)):
        return "heading"
    return "prose"


_MARKUP = re.compile(r"[\[<{*_`#>]|https?:")
_MARKUP_OR_LINK = re.compile(r"[\[<!]|https?:|^\s*[-*+•]", re.MULTILINE)


def _mask_inline(chars: list[str], text: str, a: int, b: int) -> None:
    seg = text[a:b]
    if not _MARKUP.search(seg):
        return  # plain prose: nothing to blank
    for rx in (_IMAGE, _URL, _HTML_TAG, _ATTRS):
        for m in rx.finditer(seg):
            _blank(chars, a + m.start(), a + m.end())
    for m in _LINK.finditer(seg):
        if chars[a + m.start()] == " ":
            continue  # inside an image already blanked
        _blank(chars, a + m.start(), a + m.start() + 1)
        _blank(chars, a + m.end(1), a + m.end())
    for m in _REF_LINK.finditer(seg):
        _blank(chars, a + m.start(), a + m.start() + 1)
        _blank(chars, a + m.end(1), a + m.end())
    for rx in (_EMPHASIS, _QUOTE_MARK, _HEADING):
        for m in rx.finditer(seg):
            _blank(chars, a + m.start(), a + m.end())


def _join_soft_breaks(chars: list[str], text: str, para: list[tuple[int, int]]) -> None:
    """A line break inside a paragraph is a space (Markdown's soft wrap) unless the next line opens a list item,
    a quote or a heading: "is\\n[considering](…)\\nthe constitutionality" stays one sentence."""
    for (_, end), (nxt, nb) in zip(para, para[1:]):
        line = text[nxt:nb]
        if _LIST_MARK.match(line) or _HEADING.match(line) or line.lstrip().startswith(("|", ">")):
            continue
        prev = "".join(chars[max(0, end - 3):end]).rstrip()
        if prev.endswith((".", "!", "?", ":", "”", "\"")) and line.strip()[:1].isupper() \
                and not line.lstrip().startswith("["):
            continue
        if end < len(chars) and chars[end] == "\n":
            chars[end] = " "


def structure(text: str) -> Structure:
    """The prose mask, weak spans, furniture spans and publication date of ``text``."""
    if "\n" not in text and not _MARKUP.search(text) and not _line_rx("furniture_lines").match(text.lstrip()):
        return Structure(mask=text)  # one plain line (a summary, a title): nothing to mask
    chars = list(text)
    published: str | None = None
    fm = _FRONT_MATTER.match(text)
    body_start = 0
    if fm:
        for line in fm.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("date", "published", "pubdate", "publishdate") and published is None:
                published = find_date(value)
        _blank(chars, 0, fm.end())
        body_start = fm.end()
    meta = _META_DATE.search(text)
    if published is None and meta:
        published = find_date(meta.group(1) or meta.group(2) or "")
    out = Structure(mask="", published=published)
    lines = [(a, b) for a, b in _lines(text) if a >= body_start]
    paras = _paragraphs(text, lines)
    in_related = False
    for i, para in enumerate(paras):
        kind = _paragraph_kind(text, para)
        if kind == "related":
            in_related = True
        elif kind == "heading" or (kind == "prose" and len(_WORD.findall(_visible(text[para[0][0]:para[-1][1]]))) > 12):
            in_related = False
        a, b = para[0][0], para[-1][1]
        if kind in ("furniture", "related") or (in_related and kind != "heading"):
            out.published = out.published or _date_of_furniture(text[a:b])
            _blank(chars, a, b)
            out.furniture.append((a, b))
            continue
        _mask_paragraph(chars, text, para, out, kind == "heading" or (i == 0 and _title_line(text, paras)))
    out.mask = "".join(chars)
    return out


def _title_line(text: str, paras: list[list[tuple[int, int]]]) -> bool:
    """A first paragraph of one short line above a body: the title a scraper put on top."""
    a, b = paras[0][0]
    return len(paras) > 1 and len(paras[0]) == 1 and len(_WORD.findall(_visible(text[a:b]))) <= 30


def _mask_paragraph(chars: list[str], text: str, para: list[tuple[int, int]], out: Structure, weak: bool) -> None:
    kept: list[tuple[int, int]] = []
    for a, b in para:
        line = text[a:b]
        if _furniture_line(line) or (len(para) > 1 and _link_share(line) >= 0.99 and _LIST_MARK.match(line)):
            out.published = out.published or _date_of_furniture(line)
            _blank(chars, a, b)
            out.furniture.append((a, b))
            continue
        _mask_inline(chars, text, a, b)
        if _HEADING.match(line) or _BOLD_LINE.match(line):
            out.weak.append((a, b))
        kept.append((a, b))
    if weak and kept:
        out.weak.append((kept[0][0], kept[-1][1]))
    _join_soft_breaks(chars, text, kept)


def _date_of_furniture(s: str) -> str | None:
    return find_date(_visible(s)) if _line_rx("date_lines").match(s.strip()) else None


_EDGE = 20_000  # characters at each end of a document where a date line is looked for


def published_date(text: str) -> str | None:
    """The publication date a document states (front matter, HTML metadata, a "Date:", "Posted on" or byline line
    near its start or end), without building the prose mask: cheap on documents of any size."""
    fm = _FRONT_MATTER.match(text)
    if fm:
        for line in fm.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("date", "published", "pubdate", "publishdate"):
                found = find_date(value)
                if found:
                    return found
    head, tail = text[:_EDGE], text[-_EDGE:] if len(text) > _EDGE else ""
    meta = _META_DATE.search(head)
    if meta:
        found = find_date(meta.group(1) or meta.group(2) or "")
        if found:
            return found
    for part in (head, tail):
        for line in part.splitlines():
            if len(line) < 300 and _line_rx("date_lines").match(line.strip()):
                found = find_date(_visible(line))
                if found:
                    return found
    return None


def prose(text: str) -> str:
    """Just the mask of ``structure(text)``."""
    return structure(text).mask
