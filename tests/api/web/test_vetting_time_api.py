"""The knowledge date and the candidates set aside, through the real server and the command line.

A store on disk with the demo data (which holds the fictional scenario); the key is made before
the server starts (one writer at a time), then `actorgraph serve` answers over HTTP.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.access import keys
from graph.ingest import setup
from graph.store import open_store
from ontology.namespaces import FICTIONAL
from tests.support import ACTORGRAPH, served


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    directory = tmp_path_factory.mktemp("vetting-time") / "store"
    store = open_store(directory)
    setup.init_store(store, demo=True)
    token = keys.create_key(store, "analyst", "time tests").token
    store.flush()
    del store
    # The command line reads its own copy, made before the server opens the store.
    shutil.copytree(directory, directory.parent / "copy-for-cli")
    return directory, token


@pytest.fixture(scope="module")
def server(stored: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(stored[0], log=tmp_path_factory.mktemp("log") / "server.log") as (base, _):
        yield base


def get(base: str, path: str, token: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_as_known_on_over_http(server: str, stored: tuple[Path, str]) -> None:
    token = stored[1]
    status, then = get(server, "/vetting/unit/efg-coy?date=2009-12-31&as_known_on=2009-12-31", token)
    assert status == 200 and then["as_known_on"] == "2009-12-31"
    assert [f["incidents"][0]["label"] for f in then["findings"]] == ["Border post executions"]  # type: ignore[index]
    status, now = get(server, "/vetting/unit/efg-coy?date=2025-06-01", token)
    assert status == 200 and now["as_known_on"] is None and len(now["findings"]) == 3  # type: ignore[arg-type]
    status, bad = get(server, "/vetting/unit/efg-coy?as_known_on=2009-13-01", token)
    assert status == 422 and "as_known_on" in str(bad["detail"])


def test_report_lists_the_homonym_set_aside(server: str, stored: tuple[Path, str]) -> None:
    status, body = get(server, "/vetting/person/gaspar-noll?date=2025-06-01", token=stored[1])
    assert status == 200
    [other] = body["set_aside"]  # type: ignore[misc]
    assert other["iri"] == FICTIONAL + "person/gaspar-noll-orrandel"
    assert "another country (Kingdom of Orrandel)" in other["reason"] and "another date of birth (1990-08-21)" in other["reason"]
    status, alone = get(server, "/vetting/person/kasimir-ombrecht?date=2025-06-01", token=stored[1])
    assert status == 200 and alone["set_aside"] == []


def test_as_known_on_on_the_command_line(stored: tuple[Path, str]) -> None:
    copy = stored[0].parent / "copy-for-cli"
    done = subprocess.run([str(ACTORGRAPH), "vet", "unit/efg-coy", "--store", str(copy), "--date", "2009-12-31",
                           "--as-known-on", "2009-12-31", "--format", "text"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "known on 2009-12-31" in done.stdout and "Border post executions" in done.stdout and "Teller farms" not in done.stdout
    wrong = subprocess.run([str(ACTORGRAPH), "vet", "unit/efg-coy", "--store", str(copy), "--as-known-on", "last year"],
                           capture_output=True, text=True, timeout=300, check=False)
    assert wrong.returncode != 0 and "--as-known-on" in wrong.stderr
