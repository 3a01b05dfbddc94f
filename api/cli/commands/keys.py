"""`actorgraph keys ...`: create, list and revoke the API keys clients send as a Bearer token.

    actorgraph keys create --role editor --name "Field office, Jos"   prints the key once
    actorgraph keys list                                              ids, roles, labels, state
    actorgraph keys list --format csv                                 the same, whole (or json)
    actorgraph keys revoke KEY_ID                                     refused from then on

Only the hash of a key is stored (graph.access.keys says how and why), so a lost key cannot be shown
again: revoke it and create another.
"""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli import tables
from api.cli.support import JsonOption, StoreOption, fail, opened
from api.web.security import Role
from graph.access import keys

keys_app = typer.Typer(name="keys", help="Create, list and revoke API keys (Authorization: Bearer KEY).", no_args_is_help=True)


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option("--role", help="reader, analyst, editor or admin.")],
    name: Annotated[str | None, typer.Option("--name", help="A label saying whose key this is.")] = None,
    store: StoreOption = None,
) -> None:
    """Create a key with a role and print it. It is shown this once: only its hash is kept."""
    try:
        chosen = Role.parse(role)
    except ValueError as error:
        raise fail(str(error)) from None
    with opened(store) as graph_store:
        created = keys.create_key(graph_store, chosen.label, name)
    typer.echo(created.token)
    typer.echo(
        f"created key {created.key.key_id} ({created.key.label}, {created.key.role}); "
        "store it now, it cannot be shown again. Send it as 'Authorization: Bearer KEY'.",
        err=True,
    )


@keys_app.command("list")
def list_(store: StoreOption = None, as_json: JsonOption = False, fmt: tables.FormatOption = tables.Format.table) -> None:
    """List every key: id, role, label, created, and whether it is revoked. Never the secrets."""
    with opened(store, read_only=True) as graph_store:
        found = keys.list_keys(graph_store)
    fmt = tables.Format.json if as_json else fmt
    if not found and fmt is tables.Format.table:
        typer.echo("no API keys; create one with `actorgraph keys create --role ROLE`")
        return
    rows = [[key.key_id, key.role, "revoked" if key.revoked else "active", key.created, key.label] for key in found]
    tables.show(["key_id", "role", "state", "created", "label"], rows, fmt, records=[vars(key) for key in found])


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys create` and `keys list`.")],
    store: StoreOption = None,
) -> None:
    """Revoke a key: requests that send it get a 401 from now on. The record stays, as history."""
    with opened(store) as graph_store:
        try:
            key = keys.revoke_key(graph_store, key_id)
        except keys.UnknownKey as error:
            raise fail(str(error.args[0])) from None
    typer.echo(f"revoked key {key.key_id} ({key.label}, {key.role}) at {key.revoked_at}")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
