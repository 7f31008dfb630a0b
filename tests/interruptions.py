"""Stopping a run half-way, as a task worker that is told to stop does (db_worker's second
signal raises SystemExit in the middle of whatever it runs): an exception that ``except
Exception`` does not catch."""

import pytest


class WorkerStopped(BaseException):
    """The worker stopped here; nothing after this point of the run happened."""


def stopping_after(count: int, real):
    """``real`` (e.g. send_mail) that works ``count`` times, then stops the run instead of
    doing the next call; ``calls`` lists what it did."""

    def wrapper(*args, **kwargs):
        if len(wrapper.calls) == count:
            raise WorkerStopped(f"stopped after {count} call(s)")
        wrapper.calls.append((args, kwargs))
        return real(*args, **kwargs)

    wrapper.calls = []
    return wrapper


def run_stopped(run, *, monkeypatch, module, after: int, name: str = "send_mail") -> list:
    """Run ``run()`` with ``module.<name>`` stopping it after ``after`` calls, as a worker told
    to stop; the real function is put back afterwards. Returns the calls that were made."""
    real = getattr(module, name)
    stopping = stopping_after(after, real)
    monkeypatch.setattr(module, name, stopping)
    with pytest.raises(WorkerStopped):
        run()
    monkeypatch.setattr(module, name, real)
    return stopping.calls
