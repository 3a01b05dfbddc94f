"""What a store location names: a directory, ':memory:', or an engine URL, and never a URL taken
for a directory (which would quietly create one named after the scheme)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from api.settings import Settings
from graph.store import EmbeddedStore, open_store
from graph.store.location import RemoteLocation, StoreLocationError, looks_like_url, parse_location
from tests.support.server import ACTORGRAPH, server_env


@pytest.mark.parametrize(
    ("value", "engine", "url"),
    [
        ("oxigraph+http://127.0.0.1:7878", "oxigraph", "http://127.0.0.1:7878"),
        ("oxigraph+http://127.0.0.1:7878/", "oxigraph", "http://127.0.0.1:7878"),
        ("OXIGRAPH+HTTPS://graph.example.org", "oxigraph", "https://graph.example.org"),
        ("fuseki+http://127.0.0.1:3030/ds", "fuseki", "http://127.0.0.1:3030/ds"),
        ("virtuoso+http://localhost:8890", "virtuoso", "http://localhost:8890"),
        (" oxigraph+http://[::1]:7878 ", "oxigraph", "http://[::1]:7878"),
    ],
)
def test_engine_urls(value: str, engine: str, url: str) -> None:
    assert parse_location(value) == RemoteLocation(engine, url)  # type: ignore[arg-type]
    assert str(parse_location(value)) == f"{engine}+{url}"


@pytest.mark.parametrize("value", ["var/store", "./store", "/tmp/a b/store", "store:v2", "C+D", "http-cache"])
def test_paths_stay_paths(value: str) -> None:
    assert parse_location(value) == Path(value)
    assert not looks_like_url(value)


def test_memory_and_none() -> None:
    assert parse_location(":memory:") is None
    assert parse_location(None) is None
    assert isinstance(open_store(":memory:"), EmbeddedStore)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("http://127.0.0.1:7878", "name the engine"),
        ("https://example.org/sparql", "name the engine"),
        ("blazegraph+http://127.0.0.1:9999", "unknown engine 'blazegraph'"),
        ("oxigraph+ftp://127.0.0.1", "over http or https"),
        ("oxigraph+http:", "no host"),
        ("oxigraph+http:/127.0.0.1:7878", "no host"),  # a URL that lost a slash (through Path) is still a URL
        ("oxigraph+http://127.0.0.1:99999", "port"),
        ("oxigraph+http://127.0.0.1:7878/?x=1", "no query"),
        ("fuseki+http://127.0.0.1:3030", "name the Fuseki dataset"),
        ("", "empty"),
    ],
)
def test_bad_locations_say_why_in_one_line(value: str, says: str) -> None:
    with pytest.raises(StoreLocationError, match=says) as caught:
        parse_location(value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_path_object_holding_a_url_is_a_url() -> None:
    # Path("oxigraph+http://h:1") collapses the slashes; it must not become a directory.
    with pytest.raises(StoreLocationError, match="no host"):
        parse_location(Path("oxigraph+http://h:1"))


def test_settings_parse_the_store() -> None:
    def store(value: str) -> object:
        return Settings.model_validate({"store": value}).store

    assert store("oxigraph+http://127.0.0.1:7878") == RemoteLocation("oxigraph", "http://127.0.0.1:7878")
    assert store("var/other") == Path("var/other")
    assert store(":memory:") is None
    with pytest.raises(ValueError, match="unknown engine"):
        store("nope+http://x")


def _actorgraph(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACTORGRAPH), *args], capture_output=True, text=True, cwd=cwd, env=server_env(env), timeout=120, check=False)


@pytest.mark.parametrize("value", ["oxigraph+http:/127.0.0.1:7878", "blazegraph+http://127.0.0.1:9", "http://127.0.0.1:7878"])
def test_the_cli_never_makes_a_directory_of_a_url(tmp_path: Path, value: str) -> None:
    by_option = _actorgraph("init", "--demo", "--store", value, cwd=tmp_path)
    by_env = _actorgraph("stats", cwd=tmp_path, env={"ACTORGRAPH_STORE": value})
    for result in (by_option, by_env):
        assert result.returncode == 1, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: store "), result.stderr
        assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_the_cli_says_when_no_engine_answers(tmp_path: Path) -> None:
    from tests.support.server import free_port

    result = _actorgraph("stats", "--store", f"oxigraph+http://127.0.0.1:{free_port()}", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot reach Oxigraph server at http://127.0.0.1:"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == []
