"""API keys: created once, stored only as a hash, revocable, each with a role.

Where they live: the named graph https://w3id.org/actorgraph/graph/keys. It is never registered
(graph.ingest.registry), so it is never part of any query dataset, and the write paths (graph.ingest.writes)
refuse it for everyone. Only this module reads or writes it.

What a key looks like: `ag_<key id>_<secret>`. The key id (12 hex characters) is not secret; it
names the key in listings, audit records and revocation, and lets a request find its record in one
look-up instead of hashing against every stored key. The secret is 32 random bytes from `secrets`.

How it is hashed, and why this way: SHA-256 over a fixed label, the key id and the secret.
- A fast hash is the right tool for a 256-bit random secret: nobody can guess or brute-force it,
  so the slow, salted KDFs made for human passwords (bcrypt, scrypt, argon2) would only add
  latency to every request.
- The key id acts as a per-key salt, so equal hashes never reveal equal secrets and no table can
  be precomputed; the fixed label keeps these hashes apart from any other use of SHA-256.
- No server-side pepper: it would have to be kept beside the store and backed up with it, and it
  protects nothing a 256-bit secret does not already protect. Whoever reads a stored hash still
  cannot use it: a request must present the secret.
Comparison is constant-time (hmac.compare_digest).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from graph.errors import NotFoundError
from graph.store import GraphStore, rdf, versioning
from ontology.namespaces import AG, DCTERMS, ID, PROV, RDF, RDFS, XSD
from ontology.namespaces import KEYS_GRAPH as KEYS_GRAPH_IRI
from queries import catalog

KEYS_GRAPH = rdf.NamedNode(KEYS_GRAPH_IRI)
ROLES = ("reader", "analyst", "editor", "admin")  # the labels of api.web.security.Role
_TOKEN = re.compile(r"^ag_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_\-]{43})$")
_HASH_LABEL = b"actorgraph-api-key-v1"


class UnknownKey(NotFoundError, LookupError):
    """No key with that id."""


@dataclass(frozen=True)
class ApiKey:
    """A stored key, without its secret."""

    key_id: str
    label: str
    role: str
    created: str
    revoked: bool
    revoked_at: str | None = None


@dataclass(frozen=True)
class NewKey:
    """A key just created: `token` is the only copy of the secret, shown once."""

    key: ApiKey
    token: str


def _iri(key_id: str) -> rdf.NamedNode:
    return rdf.NamedNode(f"{ID}key/{key_id}")


def _hash(key_id: str, secret: str) -> str:
    return hashlib.sha256(_HASH_LABEL + b"\0" + key_id.encode() + b"\0" + secret.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dt(value: str) -> rdf.Literal:
    return rdf.Literal(value, datatype=rdf.NamedNode(XSD + "dateTime"))


def _bool(value: bool) -> rdf.Literal:
    return rdf.Literal("true" if value else "false", datatype=rdf.NamedNode(XSD + "boolean"))


def _text(row: rdf.Row, name: str) -> str | None:
    term = row[name]
    return None if term is None else term.value


def _record(row: rdf.Row) -> ApiKey:
    return ApiKey(
        key_id=row["id"].value,
        label=_text(row, "label") or "",
        role=row["role"].value,
        created=row["created"].value,
        revoked=_text(row, "revoked") == "true",
        revoked_at=_text(row, "revokedAt"),
    )


def create_key(store: GraphStore, role: str, label: str | None = None) -> NewKey:
    """Mint a key with a role and a label; store its hash; return the token (shown once)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    created = _now()
    key = _iri(key_id)
    label = label or f"key {key_id}"
    triples: list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]] = [
        (key, rdf.NamedNode(RDF + "type"), rdf.NamedNode(AG + "ApiKey")),
        (key, rdf.NamedNode(DCTERMS + "identifier"), rdf.Literal(key_id)),
        (key, rdf.NamedNode(RDFS + "label"), rdf.Literal(label)),
        (key, rdf.NamedNode(AG + "keyRole"), rdf.Literal(role)),
        (key, rdf.NamedNode(AG + "keyHash"), rdf.Literal(_hash(key_id, secret))),
        (key, rdf.NamedNode(DCTERMS + "created"), _dt(created)),
        (key, rdf.NamedNode(AG + "revoked"), _bool(False)),
    ]
    store.add(rdf.Quad(s, p, o, KEYS_GRAPH) for s, p, o in triples)
    store.flush()
    return NewKey(ApiKey(key_id, label, role, created, False), f"ag_{key_id}_{secret}")


def _lookup(store: GraphStore, key_id: str) -> tuple[ApiKey, str] | None:
    """The key's record and stored hash, read once per store version: every request checks a
    key, and a key only changes (is created or revoked) by a write, which replaces the version."""
    return versioning.memoized(store, ("api-key", key_id), lambda: _read(store, key_id))


def _read(store: GraphStore, key_id: str) -> tuple[ApiKey, str] | None:
    rows = list(
        store.select(
            catalog.text("keys/lookup"), bindings={"key": _iri(key_id)}, default_graph=[KEYS_GRAPH], named_graphs=[]
        )
    )
    return (_record(rows[0]), rows[0]["hash"].value) if rows else None


def list_keys(store: GraphStore) -> list[ApiKey]:
    """Every key, oldest first, revoked ones included (they stay, as a record)."""
    rows = store.select(catalog.text("keys/list"), default_graph=[KEYS_GRAPH], named_graphs=[])
    return [_record(row) for row in rows]


def revoke_key(store: GraphStore, key_id: str) -> ApiKey:
    """Mark a key revoked, with the time; requests with it fail from now on."""
    found = _lookup(store, key_id.strip())
    if found is None:
        raise UnknownKey(f"no API key with id {key_id!r}")
    key, _ = found
    if key.revoked:
        return key
    iri, flag = _iri(key.key_id), rdf.NamedNode(AG + "revoked")
    store.remove(q for q in store.quads(KEYS_GRAPH) if q.subject == iri and q.predicate == flag)
    revoked_at = _now()
    store.add([rdf.Quad(iri, flag, _bool(True), KEYS_GRAPH), rdf.Quad(iri, rdf.NamedNode(PROV + "invalidatedAtTime"), _dt(revoked_at), KEYS_GRAPH)])
    store.flush()
    return ApiKey(key.key_id, key.label, key.role, key.created, True, revoked_at)


def verify(store: GraphStore, token: str) -> ApiKey | None:
    """The stored key a token belongs to (revoked or not), or None when it matches no key."""
    match = _TOKEN.match(token.strip())
    if match is None:
        return None
    found = _lookup(store, match["id"])
    if found is None:
        return None
    key, stored_hash = found
    return key if hmac.compare_digest(stored_hash, _hash(match["id"], match["secret"])) else None
