"""Helpers for the web tests: a small, realistic evidence set, signed-in clients (no tests here)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from survindex.model import Claim, Document
from survindex.store import Store, open_store
from survindex.store import users as su
from survindex.web import create_app

SECRET = "test-secret-0123456789"
PASSWORD = "correct horse battery"
TEXT_KEN = ("In 2014 the Kenyan government signed a contract with Safaricom to build a surveillance network in "
            "Nairobi and Mombasa. Huawei supplied 1,800 CCTV cameras for the Safe City project. "
            "The system was operational by 2015, according to the National Police Service.")
TEXT_ECU = ("Ecuador's ECU-911 system, financed by a loan from the Export-Import Bank of China, uses 4,300 cameras "
            "supplied by China National Electronics Import & Export Corporation (CEIEC). Hikvision cameras were "
            "later added in Quito.")


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def sample_claims(doc_ken: Document, doc_ecu: Document) -> list[Claim]:
    def claim(doc: Document, quote: str, **kw: Any) -> Claim:
        start, end = _span(doc.text, quote)
        return Claim(doc_id=doc.id, kind=kw.pop("kind", "deployment"), quote=quote, extractor="test",
                     extractor_version="1", start=start, end=end, **kw)
    return [
        claim(doc_ken, "Huawei supplied 1,800 CCTV cameras for the Safe City project", country="KEN",
              supplier="Huawei", supplier_country="CHN", technology="safe_city", year=2014, stage="installed",
              confidence=0.9),
        claim(doc_ken, "The system was operational by 2015", country="KEN", supplier="Safaricom",
              supplier_country="KEN", technology="video_surveillance", year=2015, stage="operational",
              confidence=0.6),
        claim(doc_ecu, "Hikvision cameras were later added in Quito", country="ECU", supplier="Hikvision",
              supplier_country="CHN", technology="video_surveillance", stage="installed", confidence=0.8),
        claim(doc_ecu, "uses 4,300 cameras supplied by China National Electronics Import & Export Corporation",
              country="ECU", supplier="CEIEC", supplier_country="CHN", technology="safe_city", year=2011,
              stage="operational", confidence=0.7),
    ]


def seed(db: str) -> dict[str, Any]:
    """A store with two documents, four unreviewed claims and three users; returns their ids."""
    store = open_store(db)
    ken = Document.from_text(TEXT_KEN, title="Kenya safe city", url="https://example.org/kenya", publisher="Test")
    ecu = Document.from_text(TEXT_ECU, title="Ecuador ECU-911", url="https://example.org/ecuador")
    claims = sample_claims(ken, ecu)
    with store.transaction() as c:
        store.put_document(ken, conn=c)
        store.put_document(ecu, conn=c)
        store.put_claims(claims, conn=c)
    for name, role in (("vera", "viewer"), ("eddie", "editor"), ("ada", "admin")):
        su.add_user(store, name, PASSWORD, role)
    store.close()
    return {"ken": ken.id, "ecu": ecu.id, "claims": [c.id for c in claims]}


def app_for(db: str) -> FastAPI:
    return create_app(db, SECRET)


def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def csrf_of(c: TestClient, path: str = "/login") -> str:
    page = c.get(path).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def login(app: FastAPI, username: str) -> tuple[TestClient, str]:
    """A client signed in as ``username`` and its CSRF token."""
    c = client(app)
    token = csrf_of(c)
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf": token})
    assert r.status_code == 303, r.text
    return c, csrf_of(c, "/corrections")


def store_of(app: FastAPI) -> Store:
    store: Store = app.state.survindex.store
    return store
