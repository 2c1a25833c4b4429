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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Job", "Jobs"]


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

    @property
    def seconds(self) -> float:
        """Seconds it has run (or took)."""
        return round((self.finished or time.monotonic()) - self.started, 1)

    def state(self) -> dict[str, Any]:
        """Status, seconds and the error message, for pages and the API."""
        return {"status": self.status, "seconds": self.seconds, "error": self.error}


class Jobs:
    """At most ``keep`` jobs remembered, run on ``workers`` threads."""

    def __init__(self, workers: int = 1, keep: int = 64) -> None:
        self.keep = keep
        self._jobs: OrderedDict[Hashable, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="paradiplomacy-job")

    def run(self, key: Hashable, work: Callable[[], Any], *, wait: float = 0.0,
            expected: tuple[type[BaseException], ...] = ()) -> Job:
        """The job of ``key``, started with ``work`` unless it exists; waits up to ``wait`` seconds.

        Errors of the ``expected`` types end the job with their message (bad input the user can fix);
        others with their type and message (and the traceback on the server's log).
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.status == "error":
                job = Job(key)
                self._jobs[key] = job
                self._pool.submit(self._work, job, work, expected)
                while len(self._jobs) > self.keep:
                    self._jobs.popitem(last=False)
            else:
                self._jobs.move_to_end(key)
        if wait > 0:
            job.done.wait(wait)
        return job

    @staticmethod
    def _work(job: Job, work: Callable[[], Any],
              expected: tuple[type[BaseException], ...]) -> None:
        job.status = "running"
        try:
            job.result = work()
            job.status = "done"
        except expected as error:
            job.error, job.status = str(error), "error"
        except Exception as error:  # shown to the user instead of a page that reloads forever
            traceback.print_exc()
            job.error, job.status = f"{type(error).__name__}: {error}", "error"
        finally:
            job.finished = time.monotonic()
            job.done.set()

    def shutdown(self) -> None:
        """Stop taking jobs (running ones finish)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
