"""Progress of a file that the engine reads itself, for the progress bar of a load.

A file handed to the engine by path is read in Rust, with no callback into Python. Linux shows
the offset of every open file descriptor in /proc/self/fdinfo, so a thread can follow the
engine's descriptor for the file and report how far it has read. Where /proc is missing, or the
descriptor cannot be found, nothing is reported until the end; the load itself is the same.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from types import TracebackType
from typing import Self

Progress = Callable[[int], None]  # bytes read since the last call

_PROC_FDS = Path("/proc/self/fd")
_POLL_SECONDS = 0.2


class FileReadProgress:
    """While open, reports through `progress` how far a descriptor of this process open on `path`
    has read (not one of `ignore`, such as the caller's own); on closing, reports the rest up to `size`."""

    def __init__(self, path: Path, size: int, progress: Progress | None, *, ignore: Collection[int] = ()) -> None:
        self._path, self._size, self._progress = path.resolve(), size, progress
        self._ignore = frozenset(ignore)
        self._reported = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._follow, name="read-progress", daemon=True)

    def __enter__(self) -> Self:
        if self._progress is not None and _PROC_FDS.is_dir():
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        if kind is None:
            self._report(self._size)

    def _follow(self) -> None:
        descriptor: int | None = None
        while not self._done.wait(_POLL_SECONDS):
            if descriptor is None:
                descriptor = self._descriptor()
            offset = self._offset(descriptor) if descriptor is not None else None
            if offset is None:
                descriptor = None  # closed, or reused for another file: look again
            else:
                self._report(min(offset, self._size))

    def _descriptor(self) -> int | None:
        try:
            for entry in os.scandir(_PROC_FDS):
                if not entry.name.isdigit() or int(entry.name) in self._ignore:
                    continue
                try:
                    if Path(os.readlink(entry.path)) == self._path:
                        return int(entry.name)
                except OSError:
                    continue  # closed since the listing
        except OSError:
            return None
        return None

    def _offset(self, descriptor: int) -> int | None:
        """The descriptor's offset, or None when it no longer points at the file."""
        try:
            if Path(os.readlink(_PROC_FDS / str(descriptor))) != self._path:
                return None
        except OSError:
            return None
        return _offset(descriptor)

    def _report(self, offset: int) -> None:
        if self._progress is not None and offset > self._reported:
            self._progress(offset - self._reported)
            self._reported = offset


def _offset(descriptor: int) -> int | None:
    try:
        with open(f"/proc/self/fdinfo/{descriptor}", encoding="ascii") as info:
            for line in info:
                if line.startswith("pos:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
