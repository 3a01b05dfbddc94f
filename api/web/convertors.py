"""The `subject` path convertor: a subject named in a URL path, slashes and all.

Subjects are IRIs, kind/slugs such as `fictional/unit/bn-72`, or identifiers, so they contain
slashes. Like Starlette's `path`, `subject` takes them whole; unlike it, it never swallows a
sub-resource at the end (`/network`, `/timeline`, `/vetting`) nor a collection at the start
(`/vetting/cases`, `/vetting/runs`, `/vetting/screen`). So `/actors/{id}` and
`/actors/{id}/network`, or `/vetting/{id}` and `/vetting/cases/...`, can all exist whatever order
their routers are registered in. A module that uses it imports SUBJECT_ID from here, which
registers the convertor before its routes are built.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from starlette.convertors import Convertor, register_url_convertor

SUB_RESOURCES = ("network", "timeline", "vetting")
COLLECTIONS = ("cases", "runs", "screen")


class SubjectConvertor(Convertor[str]):
    regex = r"(?!(?:" + "|".join(COLLECTIONS) + r")(?:/|$))(?:(?!/(?:" + "|".join(SUB_RESOURCES) + r")/?$).)+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("subject", SubjectConvertor())

SUBJECT_ID = "{id:subject}"
# What a path names a subject by; the examples are the demo data's (`actorgraph init --demo`).
SubjectId = Annotated[
    str,
    Path(
        description="an IRI (URL-encoded), a kind/slug such as fictional/unit/bn-72, or an identifier",
        examples=["fictional/unit/bn-72", "fictional/person/oren-tallavar"],
    ),
]
# A graph page's node, in a `{name:path}` route: any subject, actor, program or incident.
NodeName = Annotated[
    str,
    Path(
        description="an IRI (URL-encoded), a kind/slug or an identifier",
        examples=["fictional/unit/bn-72", "fictional/program/vsspp", "fictional/incident/karst-hollow-massacre"],
    ),
]
ProgramId = Annotated[
    str,
    Path(description="an IRI (URL-encoded), a kind/slug such as fictional/program/vsspp, or an identifier", examples=["fictional/program/vsspp"]),
]
