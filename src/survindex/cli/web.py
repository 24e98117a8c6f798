"""``survindex serve`` and ``survindex users …``: the web app and its accounts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from survindex.cli.common import db_option, fail, opened_store

if TYPE_CHECKING:
    from survindex.store import Store


def register(group: click.Group) -> None:
    group.add_command(serve)
    group.add_command(users)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes (needs SURVINDEX_SECRET).")
def serve(db: str, host: str, port: int, workers: int) -> None:
    """Run the web app and JSON API (uvicorn). Set SURVINDEX_SECRET so sign-ins survive restarts."""
    import os

    import uvicorn

    from survindex.web import create_app

    if workers > 1:
        if not os.environ.get("SURVINDEX_SECRET"):
            raise fail("serve", "--workers > 1 needs a shared session key", "Set SURVINDEX_SECRET and try again")
        os.environ["SURVINDEX_DB"] = db
        uvicorn.run("survindex.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False)
        return
    click.echo(f"survindex: serving {db} on http://{host}:{port}/", err=True)
    uvicorn.run(create_app(db, freeze_gc=True), host=host, port=port, log_level="warning", access_log=False)


@click.group()
def users() -> None:
    """Accounts for the review workflow (roles: viewer, editor, admin)."""


@contextmanager
def _user_store(db: str, what: str) -> Iterator[Store]:
    """The store for a command on one existing account: an unknown user is the one CLI error."""
    from survindex.store import NotFound

    with opened_store(db) as store:
        try:
            yield store
        except NotFound as exc:
            raise fail(what, "no such user", "Check `survindex users list`") from exc


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users.command("add")
@db_option
@click.argument("username")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def users_add(db: str, username: str, role: str, password_stdin: bool) -> None:
    """Create an account (the password is stored as an argon2 hash)."""
    from survindex.store import users as su

    password = _read_password(password_stdin)
    with opened_store(db) as store:
        try:
            user = su.add_user(store, username, password, role)
        except su.UserError as exc:
            raise fail(f"users add {username}", str(exc), "Choose another name or a longer password") from exc
    click.echo(f"added {user.username} ({user.role})")


@users.command("list")
@db_option
def users_list(db: str) -> None:
    """List accounts."""
    from survindex.store import users as su

    with opened_store(db, read_only=True) as store:
        for u in su.list_users(store):
            click.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}\t{u.created_at}")


@users.command("set-role")
@db_option
@click.argument("username")
@click.argument("role", type=click.Choice(["viewer", "editor", "admin"]))
def users_set_role(db: str, username: str, role: str) -> None:
    """Change an account's role."""
    from survindex.store import users as su

    with _user_store(db, f"users set-role {username}") as store:
        user = su.set_role(store, username, role)
    click.echo(f"{user.username} is now {user.role}")


@users.command("token")
@db_option
@click.argument("username")
@click.option("--name", default=None, help="What the token is for.")
@click.option("--days", type=float, default=None,
              help="Days until it expires (default SURVINDEX_TOKEN_DAYS, 90; 0: never).")
@click.option("--scope", type=click.Choice(["read", "write"]), default="write", show_default=True,
              help="read: viewer rights whatever the role; write: the account's role.")
def users_token(db: str, username: str, name: str | None, days: float | None, scope: str) -> None:
    """Create an API token (shown once; send it as `Authorization: Bearer <token>`)."""
    from survindex.store import users as su

    if days is not None and days < 0:
        raise fail("--days", f"{days} is negative", "Give a number of days, or 0 for a token that never expires")
    with _user_store(db, f"users token {username}") as store:
        token = su.create_token(store, username, name, days=days, scope=scope)
    click.echo(token)


@users.command("revoke")
@db_option
@click.argument("username")
@click.option("--name", default=None, help="Only the tokens with this name (default: all of the account's).")
def users_revoke(db: str, username: str, name: str | None) -> None:
    """Revoke API tokens: they stop working at once."""
    from survindex.store import users as su

    with _user_store(db, f"users revoke {username}") as store:
        count = su.revoke_tokens(store, username, name)
    click.echo(f"{count} token(s) of {username} revoked")


@users.command("password")
@db_option
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
def users_password(db: str, username: str, password_stdin: bool) -> None:
    """Set an account's password; every web session of the account ends."""
    from survindex.store import users as su

    password = _read_password(password_stdin)
    with _user_store(db, f"users password {username}") as store:
        try:
            su.set_password(store, username, password)
        except su.UserError as exc:
            raise fail(f"users password {username}", str(exc), "Choose a longer password") from exc
    click.echo(f"password of {username} changed; its sessions ended")


@users.command("disable")
@db_option
@click.argument("username")
def users_disable(db: str, username: str) -> None:
    """Disable an account: it cannot sign in, its sessions end and its tokens stop working."""
    from survindex.store import users as su

    with _user_store(db, f"users disable {username}") as store:
        su.set_active(store, username, False)
    click.echo(f"{username} disabled")


@users.command("enable")
@db_option
@click.argument("username")
def users_enable(db: str, username: str) -> None:
    """Enable a disabled account again (its old sessions stay ended)."""
    from survindex.store import users as su

    with _user_store(db, f"users enable {username}") as store:
        su.set_active(store, username, True)
    click.echo(f"{username} enabled")
