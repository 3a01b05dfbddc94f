"""The one way tests and benchmarks run the real server: `actorgraph serve` in a subprocess on a
free loopback port, started, waited for until it answers, and stopped; and the CLI run as a user
would run it. Only the caller's settings reach the child, never the shell's ACTORGRAPH_*."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any ACTORGRAPH_* setting, plus `env`: a child sees the
    settings its caller chose, whatever the shell that runs the tests exported."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ACTORGRAPH_")}
    return {**clean, **(env or {})}


def cli(*args: str, store: Path | str, env: Mapping[str, str] | None = None, timeout: float = 300) -> str:
    """`actorgraph ARGS --store STORE`; its standard output, or an AssertionError with its errors."""
    result = subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=server_env(env),
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"actorgraph {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def create_key(store: Path, role: str, name: str) -> str:
    """A new API key for `store` (made while no server has it open)."""
    return cli("keys", "create", "--role", role, "--name", name, store=store, timeout=60).split()[0]


def answers_openapi(client: httpx.Client) -> bool:
    return client.get("/openapi.json").status_code == 200


class Server:
    """`actorgraph serve` on a free 127.0.0.1 port, its output in `log` (or nowhere), with more
    options in `args`. `client` is a keep-alive httpx client on its base URL. The store is a
    directory or an engine URL (a str: a Path would fold its '//')."""

    def __init__(
        self,
        store: Path | str,
        *,
        env: Mapping[str, str] | None = None,
        log: Path | None = None,
        label: str = "",
        args: Sequence[str] = (),
    ) -> None:
        self.store, self.log_path, self.label = store, log, label or "actorgraph"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log: IO[bytes] = open(log or os.devnull, "wb")  # noqa: SIM115  closed in stop()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(ACTORGRAPH), "serve", "--store", str(store), "--port", str(self.port), "--host", "127.0.0.1", *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=server_env(env),
        )
        self.client = httpx.Client(base_url=self.base, timeout=httpx.Timeout(120.0))

    @property
    def pid(self) -> int:
        return self.process.pid

    def shown_log(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return "(no log kept)"

    def wait_ready(self, timeout: float = 60, ready: Callable[[httpx.Client], bool] = answers_openapi) -> float:
        """Seconds from start until `ready(client)` holds (by default: the server answers at all).
        Raises RuntimeError, with the server's log, if it exits or the time runs out."""
        deadline = self.started + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.label} server exited ({self.process.returncode}):\n{self.shown_log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.label} server was not ready within {timeout:g} s:\n{self.shown_log()}")
            try:
                if ready(self.client):
                    return time.monotonic() - self.started
            except httpx.TransportError:
                pass
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and of its reaped children (forked query workers)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 30) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextmanager
def served(
    store: Path, *, env: Mapping[str, str] | None = None, log: Path | None = None, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve `store` until the block ends; yields the base URL and the process. The server's
    output goes to `log` (or nowhere), and is shown if it fails to start."""
    server = Server(store, env=env, log=log)
    try:
        try:
            server.wait_ready(timeout)
        except RuntimeError as error:
            raise AssertionError(str(error)) from None
        yield server.base, server.process
    finally:
        server.stop(timeout=10)
