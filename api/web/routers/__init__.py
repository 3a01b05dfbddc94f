"""One router per resource. `home` and `sparql` are included first by api.web.app; every other module
here that defines `router` is included after them in name order, so a resource adds itself
without editing app.py."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

CORE = frozenset({"home", "sparql"})


def discovered() -> list[APIRouter]:
    found = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name in CORE:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found
