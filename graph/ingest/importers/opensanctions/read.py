"""Reading FollowTheMoney (FtM) entity files and delta files as entity operations, in the order
yente applies them: an entity file is a full load (every entity an ADD into an empty dataset),
then delta files by version, oldest first, each line an ADD, MOD or DEL of one entity; a version
the dataset already has is skipped.

A delta file's version is in its name, as OpenSanctions writes it (20240527194702-wnk). Every bad
line is reported with its file, line number and field before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.ingest.importers.problems import ImportProblems, Problems

OPS = frozenset({"ADD", "MOD", "DEL"})
_VERSION = re.compile(r"(\d{14}-[a-z0-9]{3})")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


class FtmImportError(ImportProblems):
    """The entity or delta files have bad lines; nothing was written."""

    what = "the FollowTheMoney files"


@dataclass(frozen=True)
class EntityOp:
    op: str  # ADD, MOD or DEL
    entity_id: str
    schema: str
    properties: dict[str, list[str]]
    caption: str
    file: str
    line: int


@dataclass(frozen=True)
class OpFile:
    """One file's operations; `version` is None for a full entity file."""

    path: Path
    version: str | None
    ops: list[EntityOp]


def file_version(path: Path) -> str | None:
    """The delta version in a file's name, or None for a full entity file."""
    if not path.name.endswith(".delta.json"):
        return None
    match = _VERSION.search(path.name)
    return match.group(1) if match else path.name.removesuffix(".delta.json")


def _properties(raw: Any, where: tuple[str, int], problems: Problems) -> dict[str, list[str]] | None:
    if not isinstance(raw, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in raw.values()):
        problems.add(where[0], f"line {where[1]}", "properties", "must map each property to a list of strings")
        return None
    return {str(k): list(v) for k, v in raw.items()}


def _op(data: Any, delta: bool, where: tuple[str, int], problems: Problems) -> EntityOp | None:
    file, line = where
    if not isinstance(data, dict):
        problems.add(file, f"line {line}", None, "not a JSON object")
        return None
    op = "ADD"
    if delta:
        op = str(data.get("op", ""))
        if op not in OPS:
            problems.add(file, f"line {line}", "op", f"{op!r} is not ADD, MOD or DEL")
            return None
        data = data.get("entity")
        if not isinstance(data, dict):
            problems.add(file, f"line {line}", "entity", "missing: a delta line carries the entity")
            return None
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        problems.add(file, f"line {line}", "id", f"{entity_id!r} is not an entity id")
        return None
    schema = data.get("schema", "")
    if op != "DEL" and (not isinstance(schema, str) or not schema):
        problems.add(file, f"line {line}", "schema", "missing: every entity has a schema")
        return None
    properties = _properties(data.get("properties", {}), where, problems) if op != "DEL" else {}
    if properties is None:
        return None
    caption = data.get("caption") if isinstance(data.get("caption"), str) else ""
    return EntityOp(op, entity_id, str(schema or ""), properties, str(caption or ""), file, line)


def read_files(paths: list[Path]) -> list[OpFile]:
    """Every file read and checked, full entity files first, then deltas by version."""
    problems, files = Problems(), []
    for path in paths:
        version = file_version(path)
        ops: list[EntityOp] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            problems.add(str(path), None, None, f"cannot read the file: {error}")
            continue
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                problems.add(str(path), f"line {number}", None, f"not JSON: {error.msg} at column {error.colno}")
                continue
            found = _op(data, version is not None, (str(path), number), problems)
            if found is not None:
                ops.append(found)
        files.append(OpFile(path, version, ops))
    fulls = [f for f in files if f.version is None]
    if len(fulls) > 1:
        problems.add(", ".join(str(f.path) for f in fulls), None, None, "several full entity files: import one dataset at a time")
    problems.raise_if_any(FtmImportError)
    return fulls + sorted((f for f in files if f.version is not None), key=lambda f: f.version or "")
