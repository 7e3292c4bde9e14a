"""Run the same work in many threads at once, each with its own database connection."""

from __future__ import annotations

import threading

from django.db import connection


def run_together(work, n: int) -> list:
    """Run work(i) in n threads released at once; return each result or exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # collected and checked by the test
            results[i] = exc
        finally:
            connection.close()  # each thread has its own connection: give it back

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
