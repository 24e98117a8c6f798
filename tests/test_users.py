"""``survindex users …`` through the CLI on a real SQLite file, and the account functions."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.store import open_store
from survindex.store import users as su


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.output


def test_add_list_set_role_and_token(db_path: str) -> None:
    code, out = _run("users", "add", "eddie", "--role", "editor", "--password-stdin", "--db", db_path,
                     stdin="a long enough password\n")
    assert code == 0 and out.strip() == "added eddie (editor)"
    code, out = _run("users", "list", "--db", db_path)
    assert code == 0 and out.startswith("eddie\teditor\tactive\t")
    code, out = _run("users", "set-role", "eddie", "admin", "--db", db_path)
    assert code == 0 and out.strip() == "eddie is now admin"
    code, token = _run("users", "token", "eddie", "--name", "script", "--db", db_path)
    assert code == 0 and token.startswith("svx_")
    store = open_store(db_path)
    user = su.user_for_token(store, token.strip())
    assert user is not None and user.username == "eddie" and user.role == "admin"
    assert su.authenticate(store, "eddie", "a long enough password") == user
    assert su.authenticate(store, "eddie", "wrong") is None
    assert su.authenticate(store, "nobody", "a long enough password") is None
    with store.engine.connect() as c:
        from sqlalchemy import select

        from survindex.store import schema as s

        hashes = [r[0] for r in c.execute(select(s.users.c.password_hash))]
        stored_tokens = [r[0] for r in c.execute(select(s.api_tokens.c.token_sha256))]
    assert hashes[0].startswith("$argon2") and "a long enough password" not in hashes[0]
    assert token.strip() not in stored_tokens and len(stored_tokens[0]) == 64
    assert [a["action"] for a in store.history("user:eddie")] == ["token.create", "user.role", "user.add"]


def test_add_prompts_for_the_password_twice(db_path: str) -> None:
    code, out = _run("users", "add", "vera", "--db", db_path, stdin="password one\npassword one\n")
    assert code == 0 and "added vera (viewer)" in out


@pytest.mark.parametrize("args,stdin,message", [
    (("users", "add", "eddie", "--password-stdin"), "short\n",
     "Error: users add eddie: a password needs at least 8 characters. Choose another name or a longer password"),
    (("users", "add", "bad name!", "--password-stdin"), "long enough pw\n",
     "Error: users add bad name!: a username is 1-64 letters, digits or . _ - @. "
     "Choose another name or a longer password"),
    (("users", "set-role", "ghost", "editor"), None,
     "Error: users set-role ghost: no such user. Check `survindex users list`"),
    (("users", "token", "ghost"), None, "Error: users token ghost: no such user. Check `survindex users list`"),
])
def test_errors_have_the_one_shape(db_path: str, args: tuple[str, ...], stdin: str | None, message: str) -> None:
    code, out = _run(*args, "--db", db_path, stdin=stdin)
    assert code == 1 and out.strip().endswith(message)


def test_duplicate_user_is_refused(db_path: str) -> None:
    assert _run("users", "add", "eddie", "--password-stdin", "--db", db_path, stdin="long enough pw\n")[0] == 0
    code, out = _run("users", "add", "eddie", "--password-stdin", "--db", db_path, stdin="long enough pw\n")
    assert code == 1 and "user 'eddie' already exists" in out
