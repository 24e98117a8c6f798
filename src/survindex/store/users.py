"""Accounts and API tokens: argon2 password hashes, tokens stored only as sha256."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, replace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, insert, select, update

from survindex.store import schema as s
from survindex.store.core import NotFound, Store, utcnow

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown name close to a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


class UserError(ValueError):
    """A bad username, role or password."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool
    created_at: str

    def can(self, role: str) -> bool:
        """True when this user's role is at least ``role``."""
        return self.active and _RANK[self.role] >= _RANK[role]


def _check(username: str, role: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not username or len(username) > 64 or not all(ch.isalnum() or ch in "._-@" for ch in username):
        raise UserError("a username is 1-64 letters, digits or . _ - @")


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(id=int(m["id"]), username=m["username"], role=m["role"], active=bool(m["active"]),
                created_at=m["created_at"])


def add_user(store: Store, username: str, password: str, role: str) -> User:
    """Create an account; the password is stored as an argon2 hash."""
    _check(username, role)
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    with store.transaction() as c:
        if c.execute(select(s.users.c.id).where(s.users.c.username == username)).first():
            raise UserError(f"user {username!r} already exists")
        c.execute(insert(s.users).values(username=username, password_hash=_hasher.hash(password), role=role,
                                         created_at=utcnow(), active=True))
        store.audit("cli", "user.add", f"user:{username}", None, {"role": role}, conn=c)
    return get_user(store, username)


def get_user(store: Store, username: str) -> User:
    with store.engine.connect() as c:
        row = c.execute(select(s.users).where(s.users.c.username == username)).first()
    if row is None:
        raise NotFound(f"no user {username}")
    return _user(row)


def _active(row: Row[Any] | None) -> User | None:
    user = _user(row) if row is not None else None
    return user if user is not None and user.active else None


def user_by_id(store: Store, user_id: int) -> User | None:
    with store.engine.connect() as c:
        row = c.execute(select(s.users).where(s.users.c.id == user_id)).first()
    return _user(row) if row else None


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as c:
        return [_user(r) for r in c.execute(select(s.users).order_by(s.users.c.username))]


def set_role(store: Store, username: str, role: str) -> User:
    _check(username, role)
    before = get_user(store, username)
    with store.transaction() as c:
        c.execute(update(s.users).where(s.users.c.username == username).values(role=role))
        store.audit("cli", "user.role", f"user:{username}", {"role": before.role}, {"role": role}, conn=c)
    return get_user(store, username)


def authenticate(store: Store, username: str, password: str) -> User | None:
    """The active user with that name and password, else None."""
    with store.engine.connect() as c:
        row = c.execute(select(s.users).where(s.users.c.username == username)).first()
    stored = row._mapping["password_hash"] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return _active(row)


def set_password(store: Store, username: str, password: str, actor: str = "cli") -> User:
    """Change a password; every session of the account ends (its API tokens stay: revoke them apart)."""
    from survindex.store import sessions

    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    user = get_user(store, username)
    with store.transaction() as c:
        c.execute(update(s.users).where(s.users.c.id == user.id).values(password_hash=_hasher.hash(password)))
        store.audit(actor, "user.password", f"user:{username}", None, None, conn=c)
    sessions.end_all(store, user.id)
    return user


def set_active(store: Store, username: str, active: bool, actor: str = "cli") -> User:
    """Disable (or enable) an account: a disabled one cannot sign in, its sessions end and its tokens stop."""
    from survindex.store import sessions

    user = get_user(store, username)
    with store.transaction() as c:
        c.execute(update(s.users).where(s.users.c.id == user.id).values(active=active))
        store.audit(actor, "user.enable" if active else "user.disable", f"user:{username}",
                    {"active": user.active}, {"active": active}, conn=c)
    if not active:
        sessions.end_all(store, user.id)
    return get_user(store, username)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


SCOPES: tuple[str, ...] = ("read", "write")


def create_token(store: Store, username: str, name: str | None = None, days: float | None = None,
                 scope: str = "write") -> str:
    """A new API token for ``username``, expiring after ``days`` (None: SURVINDEX_TOKEN_DAYS; 0: never), with
    ``scope`` read (viewer rights whatever the role) or write (the user's role). Only its sha256 is stored."""
    from survindex import settings

    if scope not in SCOPES:
        raise UserError(f"unknown scope {scope!r}; expected one of {', '.join(SCOPES)}")
    user = get_user(store, username)
    days = settings.load().token_days if days is None else days
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).replace(microsecond=0).isoformat() \
        if days > 0 else None
    token = "svx_" + secrets.token_urlsafe(32)
    with store.transaction() as c:
        c.execute(insert(s.api_tokens).values(token_sha256=_token_hash(token), user_id=user.id, name=name,
                                              created_at=utcnow(), expires_at=expires, scope=scope))
        store.audit("cli", "token.create", f"user:{username}", None, {"name": name, "scope": scope,
                                                                      "expires_at": expires}, conn=c)
    return token


def revoke_tokens(store: Store, username: str, name: str | None = None) -> int:
    """Revoke a user's tokens (those called ``name``, or all); returns how many were live."""
    user = get_user(store, username)
    t = s.api_tokens.c
    q = update(s.api_tokens).where(t.user_id == user.id, t.revoked_at.is_(None))
    if name is not None:
        q = q.where(t.name == name)
    with store.transaction() as c:
        count = int(c.execute(q.values(revoked_at=utcnow())).rowcount)
        store.audit("cli", "token.revoke", f"user:{username}", None, {"name": name, "count": count}, conn=c)
    return count


def user_for_token(store: Store, token: str) -> User | None:
    """The active user owning a live (not revoked, not expired) API token, with the token's scope applied: a
    read token acts as a viewer. None otherwise."""
    t = s.api_tokens.c
    q = select(s.users, t.scope, t.expires_at, t.revoked_at).join(s.api_tokens, t.user_id == s.users.c.id).where(
        t.token_sha256 == _token_hash(token))
    with store.engine.connect() as c:
        row = c.execute(q).first()
    user = _active(row)
    if user is None or row is None:
        return None
    m = row._mapping
    if m["revoked_at"] is not None or (m["expires_at"] is not None and m["expires_at"] < utcnow()):
        return None
    return replace(user, role="viewer") if m["scope"] == "read" else user


def list_tokens(store: Store, username: str) -> list[dict[str, Any]]:
    """A user's tokens (never the secret): name, scope, created, expires, revoked."""
    user = get_user(store, username)
    t = s.api_tokens.c
    q = select(t.name, t.scope, t.created_at, t.expires_at, t.revoked_at).where(t.user_id == user.id)
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(q.order_by(t.created_at))]
