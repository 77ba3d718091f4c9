"""Given a Ctrl-C while a run's end is written, it is held back and reported, not lost."""

import os
import signal
import time

import pytest

from labtrack.tracking.outcome import deferred_interrupts


@pytest.fixture
def python_sigint_handler():
    """Python's own SIGINT handler, whatever the shell that started the tests set: a shell
    that ignores SIGINT (`scripts/test &`, nohup) hands its children SIG_IGN."""
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, inherited)


def _until(condition, seconds: float = 5.0) -> None:
    """Python runs a signal handler at the next bytecode boundary: wait for its effect."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        pass


def test_an_interrupt_during_saving_is_remembered_not_raised(python_sigint_handler):
    with deferred_interrupts() as received:
        os.kill(os.getpid(), signal.SIGINT)
        _until(lambda: received)
    assert received == [signal.SIGINT]


def test_the_previous_handler_is_back_afterwards(python_sigint_handler):
    before = signal.getsignal(signal.SIGINT)
    with deferred_interrupts():
        pass
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        _until(lambda: False)
