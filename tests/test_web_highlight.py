"""Highlighted document text: escaping every segment keeps the text exact and the markup ours."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from survindex.web.highlight import highlight

TAG = re.compile(r"<mark [^>]*><a href=\"[^\"]*\">|</a></mark>")


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str, str]]]:
    text = draw(st.text(alphabet=st.sampled_from("ab <>&\"'=/x\n"), max_size=60))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(-3, n + 3), st.integers(-3, n + 3)), max_size=6))
    ids = [f"cl-{i}" for i in range(len(spans))]
    return text, [(a, b, cid, "unreviewed") for (a, b), cid in zip(spans, ids)]


@given(text_and_spans())
def test_highlight_keeps_the_text_and_adds_only_marks(case: tuple[str, list[tuple[int, int, str, str]]]) -> None:
    text, spans = case
    out = str(highlight(text, spans))
    stripped = TAG.sub("", out)
    assert "<" not in stripped and ">" not in stripped  # nothing of the text is markup
    assert html.unescape(stripped) == text
    marked = sum(1 for a, b, _, _ in spans if 0 <= a < b and a < len(text))
    assert (out.count("<mark") > 0) == (marked > 0)


def test_overlapping_spans_are_split() -> None:
    out = str(highlight("Huawei supplied cameras", [(0, 15, "cl-a", "accepted"), (7, 23, "cl-b", "unreviewed")]))
    assert out == ('<mark class="claim accepted" data-claims="cl-a"><a href="/claim/cl-a">Huawei </a></mark>'
                   '<mark class="claim accepted" data-claims="cl-a cl-b"><a href="/claim/cl-a">supplied</a></mark>'
                   '<mark class="claim unreviewed" data-claims="cl-b"><a href="/claim/cl-b"> cameras</a></mark>')
