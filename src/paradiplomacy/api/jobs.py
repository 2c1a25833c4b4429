"""Long computations (partner matching, diffusion fits and simulations) run in the background.

A request never hangs on them: the first request starts the job and answers at once (a page that
reloads itself, or ``202`` with ``Retry-After`` from the API); later requests with the same
parameters get the result while the registry is unchanged (the key holds its change stamp).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RETRY_AFTER_S", "Job", "Jobs"]

#: Seconds before a job that failed unexpectedly may be started again by a new request (without a
#: pause, a page polling for it would restart it on every reload and never show the error).
RETRY_AFTER_S = 30.0


@dataclass
class Job:
    """One computation: ``status`` is ``queued`` (behind another), ``running``, ``done`` or ``error``."""

    key: Hashable
    started: float = field(default_factory=time.monotonic)
    status: str = "queued"
    result: Any = None
    error: str | None = None
    finished: float | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    expected_error: bool = False

    def retry_due(self) -> bool:
        """Whether a request may start this job again: an unexpected failure (perhaps passing)
        after :data:`RETRY_AFTER_S`; never bad input, whose answer stays the same while the key
        (which holds the registry's change stamp) does."""
        return (
            self.status == "error"
            and not self.expected_error
            and self.finished is not None
            and time.monotonic() - self.finished >= RETRY_AFTER_S
        )

    @property
    def seconds(self) -> float:
        """Seconds it has run (or took)."""
        return round((self.finished or time.monotonic()) - self.started, 1)

    def state(self) -> dict[str, Any]:
        """Status, seconds and the error message, for pages and the API."""
        return {"status": self.status, "seconds": self.seconds, "error": self.error}


class Jobs:
    """At most ``keep`` jobs remembered, ``workers`` running at once, each on a daemon thread (a
    server that stops does not wait for a fit to finish)."""

    def __init__(self, workers: int = 1, keep: int = 64) -> None:
        self.keep = keep
        self._jobs: OrderedDict[Hashable, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers)
        self._closed = False

    def run(
        self,
        key: Hashable,
        work: Callable[[], Any],
        *,
        wait: float = 0.0,
        expected: tuple[type[BaseException], ...] = (),
    ) -> Job:
        """The job of ``key``, started with ``work`` unless it exists; waits up to ``wait`` seconds.

        Errors of the ``expected`` types end the job with their message (bad input the user can fix);
        others with their type and message (and the traceback on the server's log).
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.retry_due():
                if self._closed:
                    raise RuntimeError("the server is stopping: no new computations")
                job = Job(key)
                self._jobs[key] = job
                threading.Thread(
                    target=self._work, args=(job, work, expected), daemon=True, name="paradiplomacy-job"
                ).start()
                while len(self._jobs) > self.keep:
                    self._jobs.popitem(last=False)
            else:
                self._jobs.move_to_end(key)
        if wait > 0:
            job.done.wait(wait)
        return job

    def _work(self, job: Job, work: Callable[[], Any], expected: tuple[type[BaseException], ...]) -> None:
        with self._slots:
            job.status = "running"
            self._finish(job, work, expected)

    @staticmethod
    def _finish(job: Job, work: Callable[[], Any], expected: tuple[type[BaseException], ...]) -> None:
        try:
            job.result = work()
            job.status = "done"
        except expected as error:
            job.error, job.status, job.expected_error = str(error), "error", True
        except Exception as error:  # shown to the user instead of a page that reloads forever
            traceback.print_exc()
            job.error, job.status = f"{type(error).__name__}: {error}", "error"
        finally:
            job.finished = time.monotonic()
            job.done.set()

    def shutdown(self) -> None:
        """Stop taking jobs (running ones are left to end with the process)."""
        self._closed = True
