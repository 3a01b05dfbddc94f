"""Virtuoso open source (Debian's virtuoso-opensource) started for tests: its own virtuoso.ini in a
temporary directory (database, ports, no system service), `+foreground`, SPARQL Update granted to
the anonymous SPARQL user through isql, then stopped and removed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.engines.engines import Engine, stop, wait_for
from tests.support.server import free_port

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
# What .ci/run installs; the lines below are the ones the tests rely on.
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
CaseMode = 2
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxKeepAlives = 10
EnabledGzipContent = 0
[SPARQL]
; above ActorGraph's result cap, so that no result is cut at the engine's row limit
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    for program in (VIRTUOSO, ISQL):
        if not program.exists():
            return f"no {program}: install Debian's virtuoso-opensource (.ci/run does, as root)"
    return None


@contextmanager
def virtuoso_server() -> Iterator[Engine]:
    """A fresh Virtuoso database on free loopback ports, with SPARQL Update open to its endpoint."""
    missing = virtuoso_missing()
    if missing:
        raise RuntimeError(missing)
    directory = Path(tempfile.mkdtemp(prefix="actorgraph-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(INI.format(dir=directory, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(VIRTUOSO), "+configfile", str(directory / "virtuoso.ini"), "+foreground"],
            cwd=directory,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(process, f"http://127.0.0.1:{http_port}/sparql", log, timeout=90)
        # A new database's dba password is dba; the server listens on loopback only for this test.
        grant = subprocess.run(
            [str(ISQL), str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True, text=True, timeout=60, check=False,
        )
        if grant.returncode != 0 or "Error" in grant.stdout + grant.stderr:
            raise RuntimeError(f"isql could not grant SPARQL_UPDATE:\n{grant.stdout}\n{grant.stderr}")
        yield Engine("virtuoso", f"virtuoso+http://127.0.0.1:{http_port}", process, log)
    finally:
        stop(process)
        shutil.rmtree(directory, ignore_errors=True)
