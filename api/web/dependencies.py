"""Shared request-scoped access to the store and settings held by the app."""

from __future__ import annotations

from fastapi import Request

from api.settings import Settings
from api.web.security import Caller
from graph.query import sparql
from graph.query.sparql import Dataset
from graph.store import GraphStore


def store_of(request: Request) -> GraphStore:
    return request.app.state.store


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def dataset_for_caller(request: Request, caller: Caller) -> Dataset:
    """The graphs this caller may read: restricted graphs only for analysts and above."""
    return sparql.dataset_for(store_of(request), include_restricted=caller.can_read_restricted)
