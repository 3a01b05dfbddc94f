"""CLI commands by topic. Each module here defines `register(app: typer.Typer) -> None`, and
api.cli.main calls every one of them, in name order, so a topic adds commands without editing cli.py."""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(app)
