"""Given a Ctrl-C while a run's end is written, it is held back and reported, not lost."""

import os
import signal
import time

import pytest

from labtrack.tracking.outcome import deferred_interrupts


def test_an_interrupt_during_saving_is_remembered_not_raised():
    with deferred_interrupts() as received:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # let the handler run
    assert received == [signal.SIGINT]


def test_the_previous_handler_is_back_afterwards():
    before = signal.getsignal(signal.SIGINT)
    with deferred_interrupts():
        pass
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
