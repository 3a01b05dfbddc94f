"""Take the network away from the code that evaluates a caller's SPARQL.

pyoxigraph opens outbound HTTP connections for SERVICE (queries) and LOAD (updates). Deciding
from the text whether a request will do that depends on a parser agreeing with pyoxigraph's; this
module makes the question moot where the platform allows it: `forbid_network()` installs a
seccomp filter on the calling thread so that `socket()` for anything but a Unix socket, and every
`connect()`, fail with EPERM. pyoxigraph's HTTP client then reports an error, and no packet leaves.

Why per thread: a seccomp filter applies to the thread that installs it and to the threads and
processes it creates afterwards, never to the others. A forked query worker has one thread, so
the whole worker loses the network; under thread isolation the query's own short-lived thread
loses it while the server's other threads (the listening socket, RocksDB's) keep theirs. A filter
cannot be removed, which is why it is only ever installed on a thread or process that is about to
end (see graph.store.embedded.isolation).

Only Linux on x86_64 and aarch64 is supported (the filter names system calls by number);
elsewhere `available()` is False and callers fall back to the parse in graph.guards.outbound.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform
import socket
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from graph.errors import InternalError

T = TypeVar("T")

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_X32 = 0x40000000

# machine -> (AUDIT_ARCH_*, socket nr, connect nr, whether the x32 ABI shares the arch value)
_ARCHES: dict[str, tuple[int, int, int, bool]] = {
    "x86_64": (0xC000003E, 41, 42, True),
    "aarch64": (0xC00000B7, 198, 203, False),
}

# classic BPF opcodes
_LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x05 | 0x10 | 0x00  # BPF_JMP | BPF_JEQ | BPF_K
_RET_K = 0x06 | 0x00  # BPF_RET | BPF_K
# offsets in struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; }
_NR, _ARCH, _ARG0 = 0, 4, 16


class NetworkGuardUnavailable(InternalError, OSError):
    """This platform or kernel cannot take the network away from a thread."""


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _program(arch: int, socket_nr: int, connect_nr: int, x32: bool) -> bytes:
    """The filter: for this architecture, connect() always fails, socket() fails for every
    address family but AF_UNIX; every other call, and other architectures, are allowed."""
    socket_x32 = socket_nr | _X32 if x32 else socket_nr
    connect_x32 = connect_nr | _X32 if x32 else connect_nr
    deny = _RET_ERRNO | errno.EPERM
    return b"".join(
        [
            _instruction(_LD_W_ABS, 0, 0, _ARCH),  # 0
            _instruction(_JEQ_K, 0, 8, arch),  # 1: other arch -> 10 allow
            _instruction(_LD_W_ABS, 0, 0, _NR),  # 2
            _instruction(_JEQ_K, 5, 0, connect_nr),  # 3: -> 9 deny
            _instruction(_JEQ_K, 4, 0, connect_x32),  # 4: -> 9 deny
            _instruction(_JEQ_K, 1, 0, socket_nr),  # 5: -> 7 look at the family
            _instruction(_JEQ_K, 0, 3, socket_x32),  # 6: not socket -> 10 allow
            _instruction(_LD_W_ABS, 0, 0, _ARG0),  # 7: the address family
            _instruction(_JEQ_K, 1, 0, socket.AF_UNIX),  # 8: AF_UNIX -> 10 allow
            _instruction(_RET_K, 0, 0, deny),  # 9
            _instruction(_RET_K, 0, 0, _RET_ALLOW),  # 10
        ]
    )


def available() -> bool:
    """Whether forbid_network can work here (it may still fail on a kernel without seccomp)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES


@functools.cache
def _installer() -> tuple[Any, Any, Any]:
    """libc's prctl and the compiled filter, made once per process (a fork inherits them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    code = _program(*_ARCHES[platform.machine()])
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    return prctl, program, buffer  # the buffer is returned to keep it alive with the program


def forbid_network() -> None:
    """From now on, this thread (and what it starts) can open no network connection.
    Irreversible. Raises NetworkGuardUnavailable when the filter cannot be installed."""
    if not available():
        raise NetworkGuardUnavailable(f"no network guard on {sys.platform}/{platform.machine()}")
    prctl, program, _ = _installer()
    # Needed to install a filter without CAP_SYS_ADMIN; also per thread, and harmless here.
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise NetworkGuardUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0:
        raise NetworkGuardUnavailable(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def guarded(work: Callable[[], T]) -> Callable[[], T]:
    """`work`, run with the network forbidden. Only for a thread or process that ends with it."""

    def run() -> T:
        forbid_network()
        return work()

    return run


def _probe(result: list[bool]) -> None:
    try:
        forbid_network()
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        result.append(True)
    except OSError:
        pass


_works: bool | None = None


def works() -> bool:
    """Whether forbid_network really blocks the network here: tried once, in a throwaway thread."""
    global _works
    if _works is None:
        result: list[bool] = []
        probe = threading.Thread(target=_probe, args=(result,), name="netguard-probe", daemon=True)
        probe.start()
        probe.join()
        _works = bool(result) if available() else False
    return _works
