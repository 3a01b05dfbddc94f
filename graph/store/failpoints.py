"""Failpoints: named places where a process stops and waits to be killed, to test crash recovery.

Set `ACTORGRAPH_FAILPOINT=NAME` and the process, on reaching the failpoint NAME, prints
`failpoint NAME reached` on stderr and sleeps until it is killed. A test waits for that line and
sends SIGKILL, so it kills at an exact step of a write instead of guessing with sleeps. Unset (the
normal case), a failpoint costs one environment look-up.

Names (see the README, Security and operations):
    load:source-written   a file of a multi-file import is in the store, the next is not
    load:data-written     all files written into the target graph, before validation
    load:registered       an import is registered, before derived links are recomputed
    reason:links-added    new derived links written, stale ones not yet removed, version not recorded
    reason:public-done    the public inferred graph is done, the restricted one not yet
"""

from __future__ import annotations

import os
import sys
import time

ENVIRONMENT_VARIABLE = "ACTORGRAPH_FAILPOINT"
NAMES = frozenset(
    {"load:source-written", "load:data-written", "load:registered", "reason:links-added", "reason:public-done"}
)


def reached(name: str) -> None:
    """Stop here for good if the failpoint `name` is the one set; otherwise return at once."""
    if os.environ.get(ENVIRONMENT_VARIABLE) != name:
        return
    sys.stderr.write(f"failpoint {name} reached\n")
    sys.stderr.flush()
    while True:  # nothing more is written: the caller kills the process here
        time.sleep(3600)
