"""The Reconciliation Service API's shapes (v0.2) as ActorGraph fills them: the manifest, a batch's
candidates and the suggest answers. tests/api/web/test_reconcile.py also checks real answers against
the API's own published JSON schemas."""

from __future__ import annotations

from pydantic import Field, RootModel

from api.web.models.base import Contract


class TypeRef(Contract):
    id: str
    name: str


class ServiceUrl(Contract):
    url: str


class Preview(Contract):
    url: str
    width: int
    height: int


class SuggestService(Contract):
    service_url: str
    service_path: str


class SuggestServices(Contract):
    entity: SuggestService
    type: SuggestService


class Manifest(Contract):
    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str
    view: ServiceUrl
    preview: Preview
    defaultTypes: list[TypeRef]
    suggest: SuggestServices


class Feature(Contract):
    id: str
    value: float


class Candidate(Contract):
    id: str
    name: str
    score: float = Field(description="0 to 100, the screening matcher's score")
    match: bool = Field(description="true only for a confident single match")
    type: list[TypeRef]
    description: str
    features: list[Feature]


class QueryResult(Contract):
    result: list[Candidate]


class BatchResult(RootModel[dict[str, QueryResult]]):
    """The candidates of each query in the batch, under the query's own key."""


class EntitySuggestion(Contract):
    id: str
    name: str
    notable: list[TypeRef]
    description: str | None = None


class EntitySuggestions(Contract):
    result: list[EntitySuggestion]


class TypeSuggestions(Contract):
    result: list[TypeRef]
