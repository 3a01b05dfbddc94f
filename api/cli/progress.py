"""Progress for long commands, drawn by rich on standard error: one line per phase of a load
(read and parse, validate, move into place, derive links), each with its own bar or spinner and
its time, so a user waiting minutes sees which step the time goes to. Nothing is drawn when
standard error is not a terminal (a pipe, a log file, a test)."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from rich.progress import Progress, ProgressColumn, TaskID

PHASES = {
    "parse": "read and parse {name}",
    "validate": "validate against the shapes",
    "register": "move into place",
    "derive": "derive links",
    "generate": "generate",
}


class Phases:
    """A rich progress display whose tasks are the phases of one command, one after the other."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True)
        self.enabled = console.is_terminal
        self._progress: Progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            _amount_column(),
            TimeElapsedColumn(),
            console=console,
            disable=not self.enabled,
        )
        self._current: TaskID | None = None

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if error is None:
            self.finish()
        self._progress.stop()

    def start(self, phase: str, *, total: float | None = None, unit: str = "", **names: str) -> None:
        """End the running phase and start `phase` (a key of PHASES); `total` gives it a bar,
        counted in `unit` ("bytes", "actors"; nothing is shown without one)."""
        self.finish()
        description = PHASES.get(phase, phase).format(**names)
        self._current = self._progress.add_task(description, total=total, unit=unit)

    def advance(self, amount: float) -> None:
        if self._current is not None:
            self._progress.advance(self._current, amount)

    def finish(self) -> None:
        """Mark the running phase done: its bar full, its spinner a tick."""
        if self._current is None:
            return
        task = next(t for t in self._progress.tasks if t.id == self._current)
        total = task.total if task.total is not None else 1
        self._progress.update(self._current, total=total, completed=total)
        self._current = None


def _amount_column() -> ProgressColumn:
    """How far a phase is, in its unit: megabytes read, actors written; empty for a spinner."""
    from rich.progress import DownloadColumn, ProgressColumn, Task
    from rich.text import Text

    downloaded = DownloadColumn()

    class Amount(ProgressColumn):
        def render(self, task: Task) -> Text:
            unit = task.fields.get("unit")
            if not unit or task.total is None:
                return Text("")
            if unit == "bytes":
                return downloaded.render(task)
            return Text(f"{int(task.completed):,}/{int(task.total):,} {unit}", style="progress.download")

    return Amount()
