"""Query worker slots go to requests in the order they asked, never to one that just arrived."""

from __future__ import annotations

import threading
import time

import pytest

from graph.store.slots import FairSlots


def wait_until(condition, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_released_slot_goes_to_the_oldest_waiter_not_to_a_newcomer() -> None:
    slots = FairSlots(1)
    assert slots.acquire(timeout=0)
    served: list[int] = []
    handed = [threading.Event() for _ in range(4)]

    def waiter(number: int) -> None:
        assert slots.acquire(timeout=60)
        served.append(number)
        handed[number].wait(60)  # the test holds the slot from here: see below

    threads = []
    for number in range(4):
        thread = threading.Thread(target=waiter, args=(number,))
        thread.start()
        threads.append(thread)
        wait_until(lambda number=number: slots.waiting == number + 1)  # queued in this order
    for number in range(4):
        # Release and ask again at once, before the woken waiter has run: the slot is its.
        slots.release()
        assert not slots.acquire(timeout=0), "a newcomer took a slot that waiters queued for"
        wait_until(lambda number=number: len(served) == number + 1)
        handed[number].set()  # the waiter's slot is released by the next round's release()
    slots.release()
    for thread in threads:
        thread.join(60)
    assert served == [0, 1, 2, 3]
    assert slots.waiting == 0 and slots.acquire(timeout=0) and not slots.acquire(timeout=0)


def test_a_timed_out_request_leaves_the_queue_and_the_count_intact() -> None:
    slots = FairSlots(2)
    assert slots.acquire(timeout=0) and slots.acquire(timeout=0)
    started = time.monotonic()
    assert not slots.acquire(timeout=0.1)
    assert time.monotonic() - started >= 0.1
    assert slots.waiting == 0
    slots.release()
    slots.release()
    assert slots.acquire(timeout=0) and slots.acquire(timeout=0) and not slots.acquire(timeout=0)
    slots.release()
    slots.release()
    with pytest.raises(ValueError, match="more slots"):
        slots.release()


def test_many_threads_never_hold_more_slots_than_there_are() -> None:
    slots, inside, most = FairSlots(3), [0], [0]
    lock = threading.Lock()

    def work() -> None:
        for _ in range(50):
            assert slots.acquire(timeout=60)
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.0005)
            with lock:
                inside[0] -= 1
            slots.release()

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert most[0] == 3 and inside[0] == 0
    assert all(slots.acquire(timeout=0) for _ in range(3)) and not slots.acquire(timeout=0)
