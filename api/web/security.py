"""Who is calling, and what they may do.

Roles are ordered: reader < analyst < editor < admin. Readers see public graphs; analysts also
restricted graphs; editors may also write data graphs; admins also SPARQL SERVICE and LOAD and the
ontology and derived graphs. No role writes the system graphs (meta, keys, audit, vetting cases)
through the API, and no write copies restricted data into a public graph (graph.guards.write_policy). Every route that reads the graph gets its dataset from the caller's role (see
api.web.dependencies.dataset_for_caller), never by rewriting query text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Role(IntEnum):
    READER = 1
    ANALYST = 2
    EDITOR = 3
    ADMIN = 4

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {name!r}; roles are reader, analyst, editor, admin") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Caller:
    role: Role
    key_name: str | None = None  # the label of the API key; None for anonymous callers
    key_id: str | None = None  # a stable, non-secret id of the key, for audit records

    @property
    def can_read_restricted(self) -> bool:
        return self.role >= Role.ANALYST

    @property
    def can_write(self) -> bool:
        return self.role >= Role.EDITOR

    @property
    def is_admin(self) -> bool:
        return self.role >= Role.ADMIN

    @property
    def display(self) -> str:
        return f"{self.key_name or 'anonymous'} ({self.role.label})"


ANONYMOUS = Caller(Role.READER)
