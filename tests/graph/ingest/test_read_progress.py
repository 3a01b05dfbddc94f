"""Following how far the engine has read a file it reads itself (the load's progress bar)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from graph.ingest import read_progress
from graph.ingest.read_progress import FileReadProgress


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 10,000-byte file, followed every 10 ms; skips where /proc shows no descriptor offsets."""
    if not Path("/proc/self/fdinfo").is_dir():
        pytest.skip("no /proc/self/fdinfo on this system: progress is reported only at the end")
    monkeypatch.setattr(read_progress, "_POLL_SECONDS", 0.01)
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * 10_000)
    return path


def test_reports_the_offset_of_a_descriptor_open_on_the_file(data_file: Path) -> None:
    path = data_file
    reported: list[int] = []
    seen_part_way = threading.Event()

    def progress(amount: int) -> None:
        reported.append(amount)
        if sum(reported) == 4_000:
            seen_part_way.set()

    with FileReadProgress(path, 10_000, progress), path.open("rb") as reader:
        reader.raw.read(4_000)  # the descriptor's offset, with no buffering ahead
        assert seen_part_way.wait(5), f"reported {reported} for a reader 4,000 bytes in"
    assert sum(reported) == 10_000  # the rest, at the end


def test_reports_the_whole_file_at_the_end_when_no_reader_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * 500)
    reported: list[int] = []
    with FileReadProgress(path, 500, reported.append):
        time.sleep(0.05)
    assert reported == [500]


def test_reports_nothing_more_when_the_load_fails(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"x" * 500)
    reported: list[int] = []
    with pytest.raises(RuntimeError), FileReadProgress(path, 500, reported.append):
        raise RuntimeError("the parser stopped")
    assert sum(reported) < 500


def test_follows_the_engine_not_a_descriptor_it_was_told_to_ignore(data_file: Path) -> None:
    """The loader hashes the file on its own descriptor while the engine reads it: the bar must
    follow the engine's, even when the hash, opened first, has read further."""
    path = data_file
    reported: list[int] = []
    with path.open("rb") as hashing:
        hashing.raw.read(9_000)
        with FileReadProgress(path, 10_000, reported.append, ignore={hashing.fileno()}), path.open("rb") as engine:
            engine.raw.read(3_000)
            deadline = time.monotonic() + 5
            while sum(reported) < 3_000 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert sum(reported) == 3_000, f"reported {reported}: not the engine's 3,000 bytes"
    assert sum(reported) == 10_000
