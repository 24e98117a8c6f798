"""Each reader on real fixture files: text and metadata out, one named error for unreadable input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from survindex.ingest import IngestError, read_bytes
from survindex.ingest.formats import detect
from survindex.ingest.text import decode, normalise
from survindex.model import document_id
from tests.fixtures.ingest.make import make_docx, make_pdf

FIX = Path(__file__).parent / "fixtures" / "ingest"


def test_html_main_text_and_metadata() -> None:
    [doc] = read_bytes((FIX / "article.html").read_bytes(), "article.html")
    assert "Huawei supplied some 1,800 high-definition cameras" in doc.text
    assert "tracking" not in doc.text and "color: red" not in doc.text  # script and style dropped
    assert "All rights reserved" not in doc.text  # boilerplate dropped by trafilatura
    assert doc.title is not None and doc.title.startswith("Nairobi's safe city cameras")
    assert doc.published == "2019-08-14"
    assert doc.publisher == "Example Daily"
    assert doc.language == "en" and doc.mime == "text/html"
    assert doc.id == document_id(doc.text)


def test_html_falls_back_to_stripped_text_when_trafilatura_finds_nothing() -> None:
    html = b"<html><head><title>Short</title></head><body><p>Dahua cameras in Quito.</p></body></html>"
    [doc] = read_bytes(html, "short.html")
    assert doc.text == "Dahua cameras in Quito."
    assert doc.title == "Short"


def test_hostile_html_does_not_crash() -> None:
    hostile = (b"<html><body><div class='" + b"x" * 2_000_000 + b"'>" + b"<div>" * 5000
               + b"<script>while(1){}</script><p>Visible text about CCTV cameras in Lusaka.<b><i></p>"
               + b"</table></html></html><!-- unclosed comment <p>hidden")
    [doc] = read_bytes(hostile, "hostile.html")
    assert "Visible text about CCTV cameras in Lusaka." in doc.text
    assert "while(1)" not in doc.text


def test_html_declared_charset_is_used() -> None:
    body = "<html><head><meta charset='windows-1251'></head><body><p>Камеры наблюдения в Москве установлены.</p>" \
           "</body></html>"
    [doc] = read_bytes(body.encode("cp1251"), "ru.html")
    assert "Камеры наблюдения в Москве" in doc.text
    assert doc.language == "ru"


def test_pdf_text_and_info() -> None:
    pdf = make_pdf(["Hikvision cameras were installed in 2019 by the city police.",
                    "The contract (worth USD 2 million) was financed by a loan."], title="Tender report")
    [doc] = read_bytes(pdf, "report.pdf")
    assert "Hikvision cameras were installed in 2019 by the city police." in doc.text
    assert "(worth USD 2 million)" in doc.text
    assert doc.title == "Tender report" and doc.published == "2019-03-15"
    assert doc.mime == "application/pdf" and doc.meta["pages"] == 1


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_one_named_error(cut: float) -> None:
    pdf = make_pdf(["Some text that will be cut off."])
    data = pdf[: int(len(pdf) * cut)]
    try:
        docs = read_bytes(data, "cut.pdf")
    except IngestError as err:
        assert err.source == "cut.pdf" and err.reason
    else:  # pypdf may recover some text from a partly cut file
        assert all(d.text for d in docs)


def test_docx_paragraphs_tables_and_properties() -> None:
    data = make_docx(["ZTE supplied the surveillance platform.", "Police in Caracas use it."],
                     title="Platform note", table=[["Supplier", "Country"], ["ZTE", "Venezuela"]])
    [doc] = read_bytes(data, "note.docx")
    assert doc.text.splitlines()[:2] == ["ZTE supplied the surveillance platform.", "Police in Caracas use it."]
    assert "ZTE | Venezuela" in doc.text
    assert doc.title == "Platform note" and doc.published == "2020-06-01"


def test_broken_docx_is_a_named_error() -> None:
    data = make_docx(["x"])[:500]
    with pytest.raises(IngestError) as info:
        read_bytes(data, "broken.docx")
    assert "DOCX" in info.value.reason


def test_jsonl_keeps_fields_and_reports_bad_lines_by_number() -> None:
    errors: list[IngestError] = []
    docs = read_bytes((FIX / "docs.jsonl").read_bytes(), "docs.jsonl", errors=errors)
    assert [d.meta["source_id"] for d in docs] == ["aid-1", "aid-2", "aid-4"]
    first = docs[0]
    assert first.title == "Punjab Safe City" and first.url == "https://example.org/aid/1"
    assert first.published == "2016-03-01" and first.meta["dataset"] == "fixture"
    assert docs[1].published == "2018" and docs[2].published is None
    assert [(e.location, e.source) for e in errors] == [("line 3", "docs.jsonl"), ("line 4", "docs.jsonl"),
                                                          ("line 5", "docs.jsonl")]
    assert "JSON" in errors[0].reason and '"text"' in errors[1].reason and "object" in errors[2].reason


def test_feed_entries_become_documents() -> None:
    errors: list[IngestError] = []
    docs = read_bytes((FIX / "feed.rss").read_bytes(), "feed.rss", errors=errors)
    assert [d.title for d in docs] == ["Ecuador's ECU 911 system built with Chinese loans",
                                       "Serbia expands Huawei camera network in Belgrade"]
    assert docs[0].text.startswith("Ecuador's ECU 911 emergency and surveillance system was built by China National")
    assert "<b>" not in docs[0].text
    assert docs[0].url == "https://example.org/ecu-911" and docs[0].published == "2018-07-02"
    assert docs[0].publisher == "Surveillance Watch"
    assert [(e.location, e.reason) for e in errors] == [("entry 3", "no text could be extracted")]


def test_markdown_front_matter_and_links() -> None:
    [doc] = read_bytes((FIX / "notes.md").read_bytes(), "notes.md")
    assert doc.title == "Field notes on camera procurement" and doc.published == "2021-05-07"
    assert "listed in the municipal tender of 2021" in doc.text
    assert "https://" not in doc.text and "---" not in doc.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_text_encodings(encoding: str) -> None:
    text = "Les caméras de vidéosurveillance à Abidjan ont été fournies par Huawei, dit le ministère."
    [doc] = read_bytes(text.encode(encoding), "note.txt")
    assert doc.text == text


def test_normalisation_before_hashing() -> None:
    raw = "Cafe\u0301 cameras  \r\nsecond line\t \rthird\x00 line\n\n\n\n\n\nend  "
    assert normalise(raw) == "Café cameras\nsecond line\nthird line\n\n\nend"
    assert normalise(normalise(raw)) == normalise(raw)
    [a] = read_bytes(raw.encode(), "a.txt")
    [b] = read_bytes("Café cameras\nsecond line\nthird line\n\n\nend\n".encode(), "b.txt")
    assert a.id == b.id


def test_decode_bom_and_fallback() -> None:
    assert decode(codecs.BOM_UTF8 + "ünïcode".encode()) == "ünïcode"
    assert decode(codecs.BOM_UTF16_LE + "ünïcode".encode("utf-16-le")) == "ünïcode"
    assert decode(b"\x81\x8d\x8f\x90\x9d") != ""  # bytes undefined in cp1252 still decode


@pytest.mark.parametrize(("name", "ctype", "head", "fmt"), [
    ("a.PDF", None, b"", "pdf"),
    ("page", "text/html; charset=utf-8", b"", "html"),
    ("page", "text/html", b"<?xml version='1.0'?><rss version='2.0'>", "feed"),
    ("feed.xml", None, b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
    ("x", "application/octet-stream", b"%PDF-1.7\n", "pdf"),
    ("noext", None, b"<!DOCTYPE html><html>", "html"),
    ("noext", None, b'{"id": 1, "text": "x"}\n', "jsonl"),
    ("noext", None, b"plain words", "text"),
    ("blob.bin", None, b"\x00\x01\x02\x03binary", None),
])
def test_format_detection(name: str, ctype: str | None, head: bytes, fmt: str | None) -> None:
    assert detect(name, ctype, head) == fmt


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"\x00\x01\x02\x03\x04\x05"])
def test_empty_and_binary_files_are_named_errors(data: bytes) -> None:
    with pytest.raises(IngestError):
        read_bytes(data, "thing")


def test_docx_zip_bomb_is_refused() -> None:
    import io
    import zipfile

    good = make_docx(["x"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        dst.writestr("word/media/bomb.bin", b"\0" * 300_000_000)
    with pytest.raises(IngestError, match="zip bomb"):
        read_bytes(out.getvalue(), "bomb.docx")


def test_declared_charset_of_plain_text() -> None:
    text = "Системы видеонаблюдения закупило министерство внутренних дел в прошлом году."
    [doc] = read_bytes(text.encode("koi8-r"), "https://example.org/note", "text/plain; charset=KOI8-R")
    assert doc.text == text and doc.url == "https://example.org/note"
