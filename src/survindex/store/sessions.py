"""Web sessions kept server-side: the browser's cookie carries a random token, the store only its sha256 with the
user and the expiry. Ending a session deletes its row, so a copied cookie stops working at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, insert, select

from survindex.store import schema as s
from survindex.store.core import Store, utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _later(hours: float) -> str:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
    return when.replace(microsecond=0).isoformat()


def start(store: Store, user_id: int, hours: float) -> str:
    """A new session for ``user_id`` lasting ``hours``; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with store.transaction() as c:
        c.execute(delete(s.sessions).where(s.sessions.c.expires_at < now))  # expired ones: forgotten
        c.execute(insert(s.sessions).values(id=_hash(token), user_id=user_id, created_at=now,
                                            expires_at=_later(hours)))
    return token


def user_id(store: Store, token: str) -> int | None:
    """The user of a live session, or None (unknown, ended or expired)."""
    with store.engine.connect() as c:
        row = c.execute(select(s.sessions.c.user_id, s.sessions.c.expires_at)
                        .where(s.sessions.c.id == _hash(token))).first()
    if row is None or row[1] < utcnow():
        return None
    return int(row[0])


def end(store: Store, token: str) -> None:
    with store.transaction() as c:
        c.execute(delete(s.sessions).where(s.sessions.c.id == _hash(token)))


def end_all(store: Store, uid: int) -> int:
    """End every session of a user (password changed, account disabled); returns how many there were."""
    with store.transaction() as c:
        return int(c.execute(delete(s.sessions).where(s.sessions.c.user_id == uid)).rowcount)
