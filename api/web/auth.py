"""Who is calling: API keys sent as `Authorization: Bearer KEY`, checked against graph.access.keys.

create_app installs `authenticate` on `app.state.authenticate`; api.web.security.current_caller calls
it for every request that asks who the caller is. A request without a key is an anonymous reader,
unless the settings turn anonymous access off (ACTORGRAPH_ANONYMOUS=off); then it gets a 401.
A key that is unknown, malformed or revoked always gets a 401, never a silent downgrade to
anonymous: a client that sends a key expects its role, and should learn that the key is wrong.
An Authorization header that is present but empty (or blank, or a scheme without a key) is such a
malformed key: it usually means a client's key variable was unset.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from api.settings import Settings
from api.web.security import ANONYMOUS, Caller, Role
from graph.access import keys
from graph.guards import outbound
from graph.guards.nesting import NestingTooDeep

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="actorgraph"'}


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers=CHALLENGE)


def _bearer_token(header: str, anonymous_access: bool) -> str:
    if not header.strip():
        anonymous = ", or no Authorization header to read as an anonymous caller" if anonymous_access else ""
        raise _unauthorized(f"the Authorization header is empty: send 'Authorization: Bearer KEY'{anonymous}")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("send the API key as 'Authorization: Bearer KEY'")
    return token.strip()


def authenticate(request: Request) -> Caller:
    """The caller of this request, from its API key; anonymous readers where allowed."""
    header = request.headers.get("authorization")
    settings: Settings = request.app.state.settings
    if header is None:  # absent; an empty header is a malformed key, not an anonymous caller
        if settings.anonymous_access:
            return ANONYMOUS
        raise _unauthorized("this server needs an API key: send 'Authorization: Bearer KEY' (anonymous access is off)")
    token = _bearer_token(header, settings.anonymous_access)
    key = keys.verify(request.app.state.store, token)
    if key is None:
        raise _unauthorized("unknown API key: check that it was copied whole, or ask an admin for a new one")
    if key.revoked:
        raise _unauthorized(f"API key {key.key_id} ({key.label}) was revoked on {key.revoked_at}; ask an admin for a new one")
    return Caller(Role.parse(key.role), key_name=key.label, key_id=key.key_id)


def outbound_refusal(text: str, caller: Caller, *, update: bool = False) -> tuple[int, str] | None:
    """Why this SPARQL text is refused for this caller, as (HTTP status, message), or None.
    SERVICE and LOAD make the engine open outbound connections (SSRF: a caller could reach
    internal hosts through the server), so only admins may use them; graph.guards.outbound decides from
    a real parse, and graph.store.embedded.netguard keeps non-admins' workers off the network whatever it says."""
    try:
        outbound.check(text, update=update, admin=caller.is_admin, who=caller.display)
    except outbound.OutboundRefused as error:
        return 403, str(error)
    except (outbound.UncheckableText, NestingTooDeep) as error:
        return 400, f"SPARQL syntax error: {error}"
    return None
