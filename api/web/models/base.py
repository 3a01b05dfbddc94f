"""The two kinds of response model: read from the graph layer's objects, or checked as JSON."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class APIModel(BaseModel):
    """A shape the routes fill from graph.tracing's objects (`model_validate(obj)`)."""

    model_config = ConfigDict(from_attributes=True)


class Contract(BaseModel):
    """A shape the routes fill from a graph object's `as_dict()`. Unknown keys are refused, so a
    key added to `as_dict` without its model fails the tests instead of vanishing from the answer."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Agent(Contract):
    """The API key behind a run, a decision or a sign-off."""

    id: str
    label: str
    role: str


class OutcomeChange(Contract):
    from_: str = Field(alias="from")
    to: str | None
    changed: bool


class ErrorIssue(BaseModel):
    """One problem with a request value, as FastAPI's validation errors give it."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every JSON error: a message (or a list of issues naming the parameter), and a code."""

    model_config = ConfigDict(extra="forbid")

    detail: str | list[ErrorIssue]
    code: str | None = Field(None, description="ActorGraph's error code; absent on the framework's own errors")
    violations: list[str] | None = Field(None, description="SHACL violations, on an import or write refused by the shapes")
