"""Editors' imports at POST /import/{kind}: the importers of `actorgraph import` (unsc, ucdp,
opensanctions, fmtrpt, pax, csv) for files uploaded as multipart form data, one `file` field per file.

The files are written under their own base names into a private temporary folder (the importers
read versions and sources from the names), imported exactly as the command line does (checked,
atomic, the same files twice change nothing), and the report returned as JSON. A bad value is a
422 naming file, element or row, and field, and nothing is written. The graph may be the kind's
own (`unsc`) or one named after it (`unsc-2019`), never another data set's.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import Editor, StoreDep, WarmerDep
from api.web.models.writes import ImportReport as ImportAnswer
from graph.errors import BadRequestError, NotFoundError
from graph.ingest import derivation
from graph.ingest.importers.csv import importer as tables
from graph.ingest.importers.fmtrpt import importer as fmtrpt
from graph.ingest.importers.opensanctions import importer as opensanctions
from graph.ingest.importers.pax import importer as pax
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.ucdp import importer as ucdp
from graph.ingest.importers.unsc import importer as unsc
from graph.store import GraphStore

router = APIRouter(tags=["Import"])

Importer = Callable[[GraphStore, list[Path], str, str], ImportReport]


def _one(paths: list[Path], kind: str) -> Path:
    if len(paths) != 1:
        raise BadRequestError(f"{kind} imports one file at a time; {len(paths)} were sent")
    return paths[0]


IMPORTERS: dict[str, Importer] = {
    "unsc": lambda store, paths, graph, _dataset: unsc.import_list(store, _one(paths, "unsc"), graph=graph),
    "ucdp": lambda store, paths, graph, _dataset: ucdp.import_actor_list(store, _one(paths, "ucdp"), graph=graph),
    "opensanctions": lambda store, paths, graph, dataset: opensanctions.import_files(store, paths, graph=graph, dataset=dataset),
    "fmtrpt": lambda store, paths, graph, _dataset: fmtrpt.import_rows(store, paths, graph=graph),
    "pax": lambda store, paths, graph, _dataset: pax.import_agreements(store, _one(paths, "pax"), graph=graph),
    "csv": lambda store, paths, graph, _dataset: tables.import_tables(store, paths, graph=graph),
}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,200}$")

IMPORT_DOC = (
    "Import a data set that is not RDF (editor role): `unsc` (the UN Security Council consolidated list, XML), "
    "`ucdp` (the UCDP actor list, CSV), `opensanctions` (FollowTheMoney entity and delta files, applied in order), "
    "`fmtrpt` (US Foreign Military Training Report rows, TSV), `pax` (PA-X peace agreements, CSV), `csv` (your own actors, relations, incidents and sources in the template columns; file names ending in actors.csv, relations.csv, incidents.csv, sources.csv). Send the files as multipart form data, one `file` "
    "field each. The report (rows read, imported, skipped with reasons; graphs written) comes back as JSON; a bad "
    "value is a 422 naming its place, and nothing is written. Derived links are recomputed unless `reason=false`."
)


def _run(store: GraphStore, kind: str, files: list[tuple[str, bytes]], graph: str, dataset: str, reason: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="actorgraph-import-") as folder:
        paths = []
        for name, data in files:
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(path)
        report = IMPORTERS[kind](store, paths, graph, dataset)
    result = report.as_dict()
    if reason and report.changed:
        result["derived"] = sum(derivation.reason(store).values())
    return result


# Only the keys the importer reports: `units`, `crosswalk` and `derived` appear where they apply.
@router.post("/import/{kind}", response_model=ImportAnswer, response_model_exclude_unset=True, summary="Import a data set", description=IMPORT_DOC)
async def import_data(
    kind: str,
    store: StoreDep,
    caller: Editor,
    warmer: WarmerDep,
    file: Annotated[list[UploadFile], File(description="The file(s) to import")],
    graph: Annotated[str | None, Query(description="The graph: the kind's name (default) or one starting with it and '-'")] = None,
    dataset: Annotated[str, Query(description="opensanctions: the dataset name, for the sources")] = "default",
    reason: Annotated[bool, Query(description="Recompute the derived links afterwards")] = True,
) -> dict[str, Any]:
    if kind not in IMPORTERS:
        raise NotFoundError(f"no importer {kind!r}; the importers are {', '.join(sorted(IMPORTERS))}")
    target = graph or kind
    if target != kind and not target.startswith(f"{kind}-"):
        raise BadRequestError(f"graph {target!r}: a {kind} import writes to {kind!r} or a graph named {kind}-...")
    files = []
    for upload in file:
        name = Path(upload.filename or "").name
        if not _SAFE_NAME.match(name):
            raise BadRequestError(f"file name {upload.filename!r}: use letters, digits, '.', '_' and '-'")
        files.append((name, await upload.read()))  # api.web.body_limit bounds the request
    answer = await run_in_threadpool(_run, store, kind, files, target, dataset, reason)
    warmer.start()
    return answer
