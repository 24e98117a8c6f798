"""A small evidence set for the report, build and stats tests (a helper module: it holds no tests)."""

from __future__ import annotations

from survindex.model import Claim, Document

TEXT = ("Nairobi's Safe City project was supplied by Huawei in 2014. <script>alert('x')</script> "
        "Pakistan's Safe City Islamabad used Huawei; Hikvision cameras with facial recognition followed. "
        "Singapore police use NEC facial recognition. Laos borrowed for a safe city. Ecuador's ECU-911 was financed by the Export-Import Bank of "
        "China. Acme Vision sold licence plate readers to Brazil. Huawei supplies 50 countries. Germany tests drones. "
        "France bought nothing.")


def document() -> Document:
    return Document.from_text(TEXT, title="Test report <b>on</b> safe cities", url="https://example.org/report",
                              publisher="Test Publisher", published="2020-01-01")


def claims(doc_id: str) -> list[Claim]:
    def c(kind: str, quote: str, **kw: object) -> Claim:
        kw.setdefault("status", "accepted")
        return Claim(doc_id=doc_id, kind=kind, quote=quote, extractor="test", extractor_version="1",
                     **kw)  # type: ignore[arg-type]

    return [
        c("deployment", "Nairobi's Safe City project was supplied by Huawei in 2014. <script>alert('x')</script>",
          country="KEN", technology="safe_city", supplier="Huawei", supplier_country="CHN", year=2014,
          stage="operational"),
        c("deployment", "Pakistan's Safe City Islamabad used Huawei", country="PAK", technology="safe_city",
          supplier="Huawei", supplier_country="CHN", year=2016),
        c("deployment", "Hikvision cameras with facial recognition followed", country="PAK",
          technology="facial_recognition", supplier="Hikvision", supplier_country="CHN", year=2018),
        c("deployment", "Singapore police use NEC facial recognition", country="SGP",
          technology="facial_recognition", supplier="NEC", supplier_country="JPN", year=2019),
        c("deployment", "Acme Vision sold licence plate readers to Brazil", country="BRA",
          technology="license_plate_recognition", supplier="Acme Vision", supplier_resolved=False, year=2020),
        c("financing", "Ecuador's ECU-911 was financed by the Export-Import Bank of China", country="ECU",
          technology="safe_city", financier="Export-Import Bank of China", amount_usd=240e6, flow_type="loan",
          year=2011),
        c("deployment", "Ecuador's ECU-911", country="ECU", technology="safe_city", year=2011),
        c("financing", "Laos borrowed for a safe city", country="LAO", technology="safe_city",
          financier="China Development Bank", year=2019),
        c("supplier_reach", "Huawei supplies 50 countries", supplier="Huawei", count=50, subject="supplier"),
        c("deployment", "Germany tests drones", country="DEU", technology="drone", year=2021,
          status="unreviewed", confidence=0.6),
        c("deployment", "France bought nothing", country="FRA", technology="drone", status="rejected"),
    ]


def fill(store: object) -> list[Claim]:
    doc = document()
    store.put_document(doc)  # type: ignore[attr-defined]
    cs = claims(doc.id)
    store.put_claims(cs)  # type: ignore[attr-defined]
    return cs
