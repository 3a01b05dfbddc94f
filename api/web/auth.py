"""Who is calling: API keys sent as `Authorization: Bearer KEY`, checked against graph.access.keys.

api.web.dependencies.current_caller calls `authenticate` for every request that asks who the
caller is. A request without a key is an anonymous reader, unless the settings turn anonymous
access off (ACTORGRAPH_ANONYMOUS=off); then it gets a 401.
A key that is unknown, malformed or revoked always gets a 401, never a silent downgrade to
anonymous: a client that sends a key expects its role, and should learn that the key is wrong.
An Authorization header that is present but empty (or blank, or a scheme without a key) is such a
malformed key: it usually means a client's key variable was unset.
"""

from __future__ import annotations

from api.settings import Settings
from api.web.security import ANONYMOUS, Caller, Role
from graph.access import keys
from graph.errors import BadRequestError, UnauthorizedError
from graph.guards import outbound
from graph.guards.nesting import NestingTooDeep
from graph.store import GraphStore


def _bearer_token(header: str, anonymous_access: bool) -> str:
    if not header.strip():
        anonymous = ", or no Authorization header to read as an anonymous caller" if anonymous_access else ""
        raise UnauthorizedError(f"the Authorization header is empty: send 'Authorization: Bearer KEY'{anonymous}")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("send the API key as 'Authorization: Bearer KEY'")
    return token.strip()


def authenticate(header: str | None, settings: Settings, store: GraphStore) -> Caller:
    """The caller behind this Authorization header; anonymous readers where allowed."""
    if header is None:  # absent; an empty header is a malformed key, not an anonymous caller
        if settings.anonymous_access:
            return ANONYMOUS
        raise UnauthorizedError("this server needs an API key: send 'Authorization: Bearer KEY' (anonymous access is off)")
    token = _bearer_token(header, settings.anonymous_access)
    key = keys.verify(store, token)
    if key is None:
        raise UnauthorizedError("unknown API key: check that it was copied whole, or ask an admin for a new one")
    if key.revoked:
        raise UnauthorizedError(f"API key {key.key_id} ({key.label}) was revoked on {key.revoked_at}; ask an admin for a new one")
    return Caller(Role.parse(key.role), key_name=key.label, key_id=key.key_id)


def check_outbound(text: str, caller: Caller, *, update: bool = False) -> None:
    """Refuse SPARQL text this caller may not send: OutboundRefused (403) for SERVICE or LOAD from
    anyone but an admin (the engine would open outbound connections: SSRF), a 400 for text that
    cannot be checked. graph.guards.outbound decides from a real parse, and graph.store.embedded.netguard
    keeps non-admins' workers off the network whatever it says."""
    try:
        outbound.check(text, update=update, admin=caller.is_admin, who=caller.display)
    except (outbound.UncheckableText, NestingTooDeep) as error:
        raise BadRequestError(f"SPARQL syntax error: {error}") from None
