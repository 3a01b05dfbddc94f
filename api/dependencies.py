"""Shared request-scoped access to the store and settings held by the app."""

from __future__ import annotations

from fastapi import Request

from api.settings import Settings
from graph.store import GraphStore


def store_of(request: Request) -> GraphStore:
    return request.app.state.store


def settings_of(request: Request) -> Settings:
    return request.app.state.settings
