"""Importing through a background job, as `manage.py db_worker` does it (issue #18, point 5).

On PostgreSQL, 10,000 generated articles (CLAIMLENS_BENCH_JOB_ARTICLES) are imported from zips
by a real worker process on the bench database, while this process times the reader page:
articles/s, the worker's memory as it goes (flat: a job streams its items, never the batch)
and the page's p95 during the job against idle (target <= 2x). On SQLite, whose bench database
lives in this process's memory, a small job runs here (tracemalloc's peak). Both time the admin
preview of a 1,000-item zip (target <= 5 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from ..jobs.running import job_create, run_job
from ..jobs.sources import entries_from_path
from ..models import Article, ImportJob
from .timing import p95, timed

ZIP_MEMBERS = 5000  # the default CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS: bigger batches are zips


def _quick() -> bool:
    """CLAIMLENS_BENCH_QUICK (the suite's run of the bench): small batches only."""
    return bool(os.environ.get("CLAIMLENS_BENCH_QUICK"))


def _job_articles(ctx) -> int:
    if _quick():
        default = 20
    elif ctx.vendor == "postgresql":
        default = 10_000
    else:
        default = min(300, max(50, ctx.articles // 4))
    return int(os.environ.get("CLAIMLENS_BENCH_JOB_ARTICLES", default))


def bench_import_job(ctx):
    """Import a batch through a job: articles/s, memory, the site's latency meanwhile."""
    count = _job_articles(ctx)
    with tempfile.TemporaryDirectory(prefix="claimlens-bench-job-") as folder:
        zips = _write_zips(ctx.generator, count, Path(folder))
        entries = (entry for path in zips for entry in entries_from_path(path))
        if ctx.vendor == "postgresql" and not _quick():
            _with_a_worker(ctx, entries, count)
        else:
            _in_process(ctx, entries, count)


def bench_preview_of_a_1000_item_zip(ctx):
    """The admin's preview of a 1,000-item zip: upload, the job made, its first page shown."""
    size = 100 if _quick() else 1000
    editor = ctx.make_user(role="editor")
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)
    with tempfile.TemporaryDirectory(prefix="claimlens-bench-preview-") as folder:
        (path,) = _write_zips(ctx.generator, size, Path(folder))
        started = time.perf_counter()
        with path.open("rb") as upload:
            response = client.post(
                reverse("admin:articles_article_import"), {"files": upload, "preview": "Preview"}
            )
        page = client.get(response["Location"])
        elapsed = time.perf_counter() - started
    job = ImportJob.objects.order_by("-pk").first()
    if page.status_code != 200 or job is None or job.total != size:
        raise RuntimeError(f"the preview went wrong ({page.status_code}, {job and job.total})")
    ctx.result(f"preview of a {size:,}-item zip (paged)", f"{elapsed:.2f}", "s (target <= 5)")
    job.delete()


def _write_zips(generator, count: int, folder: Path) -> list[Path]:
    """Write `count` generated articles as text files in zips of up to ZIP_MEMBERS."""
    paths = []
    for start in range(0, count, ZIP_MEMBERS):
        path = folder / f"batch-{start}.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for n in range(start, min(count, start + ZIP_MEMBERS)):
                text = generator.title() + f" {n}\n\n" + "\n\n".join(generator.paragraphs())
                archive.writestr(f"story-{n}.txt", text)
        paths.append(path)
    return paths


def _in_process(ctx, entries, count: int) -> None:
    job = job_create(title="bench", entries=entries)
    tracemalloc.start()
    started = time.perf_counter()
    run_job(job.pk)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    _check(job, count)
    ctx.result(f"job of {count:,} articles, in process", f"{count / elapsed:,.0f}", "articles/s")
    ctx.result("peak memory allocated (tracemalloc)", f"{peak / 2**20:.1f}", "MB")
    ctx.out("(a worker process and the latency under load: on PostgreSQL)")


def _with_a_worker(ctx, entries, count: int) -> None:
    url = _reader_url()
    ctx.client.get(url)
    idle = [timed(ctx.client.get, url) for _ in range(60)]
    job = job_create(title="bench", entries=entries)
    worker = _start_worker()
    busy, rss = [], []  # (items done, resident MB) as the job goes
    try:
        while True:
            status, done = ImportJob.objects.values_list("status", "done").get(pk=job.pk)
            if status == ImportJob.Status.DONE or worker.poll() is not None:
                break
            busy.append(timed(ctx.client.get, url))
            rss.append((done, _memory(worker.pid, "VmRSS")))
            time.sleep(0.2)
        peak = _memory(worker.pid, "VmHWM")
    finally:
        worker.terminate()  # the first signal lets a running job end; a second would not
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()  # a job left running: the bench fails below
            worker.wait()
    job = _check(ImportJob.objects.get(pk=job.pk), count)
    seconds = (job.finished_at - job.started_at).total_seconds()
    ctx.result(f"job of {count:,} articles, one worker", f"{count / seconds:,.0f}", "articles/s")
    early = next((mb for done, mb in rss if done >= count // 10), rss[0][1] if rss else 0)
    ctx.result("worker memory after 10 % of the items", f"{early:.0f}", "MB resident")
    ctx.result(
        "worker memory at the end (peak)", f"{rss[-1][1] if rss else 0:.0f} ({peak:.0f})", "MB"
    )
    ctx.result("reader page p95, idle", f"{p95(idle):.1f}", "ms")
    ratio = p95(busy) / p95(idle)
    ctx.result(
        "reader page p95, during the job", f"{p95(busy):.1f}", f"ms ({ratio:.1f}x, target <= 2x)"
    )


def _check(job: ImportJob, count: int) -> ImportJob:
    job.refresh_from_db()
    if (job.status, job.done, job.failed) != (ImportJob.Status.DONE, count, 0):
        raise RuntimeError(
            f"the bench job went wrong: {job.status}, {job.done} done, {job.failed} failed"
        )
    return job


def _reader_url() -> str:
    return Article.objects.order_by("pk").first().get_absolute_url()


def _start_worker() -> subprocess.Popen:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    env.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _memory(pid: int, field: str) -> float:
    """Return a process's VmRSS or VmHWM (peak resident) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
