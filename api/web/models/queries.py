"""The query library as JSON: what each named query takes, and a page of its rows."""

from __future__ import annotations

from pydantic import Field

from api.web.models.base import Contract


class QueryParameter(Contract):
    name: str
    type: str
    description: str
    optional: bool


class QueryInfo(Contract):
    name: str
    title: str
    description: str
    params: list[QueryParameter]
    example: dict[str, str] = Field(description="parameter values that give an answer on the demo data")
    href: str


class QueryRows(Contract):
    """A page of a named query's rows: each value is the term's text (an IRI, or a literal's lexical form)."""

    query: str
    title: str
    params: dict[str, str] = Field(description="the parameters as given")
    bound: dict[str, str | None] = Field(description="the parameters as bound, by variable")
    variables: list[str]
    rows: list[dict[str, str | None]]
    offset: int
    limit: int
    count: int = Field(description="rows on this page")
    total: int | None = Field(description="all rows, when known")
    next: str | None = Field(description="URL of the next page, also in the Link header")
