"""Everything one load test starts: the cluster, the demo in it, gunicorn and locust.

Run.stop() ends all of it; each server is started in a session of its own, so that stopping
it stops its workers too.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from .cluster import Cluster, free_port

PROJECT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
STARTUP_TIMEOUT = 60
# Limits raised for the run: many virtual users share a few accounts and one address.
LIMITS = {
    "CLAIMLENS_RATELIMIT_ENABLED": "1",
    "CLAIMLENS_WRITE_RATE_USER": "1000000/m",
    "CLAIMLENS_WRITE_RATE_IP": "1000000/m",
    "CLAIMLENS_LOGIN_FAILURE_LIMIT": "1000000",
}


def say(message: str) -> None:
    """Print a line of the run's progress at once (it takes minutes)."""
    print(message, flush=True)


class Run:
    """Everything one load test starts, so that stop() can end all of it."""

    def __init__(self, root: Path):
        self.root = root
        self.cluster = Cluster(root / "postgresql")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.origin = f"https://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CLAIMLENS_", "DATABASE_", "PYTEST"))
        }
        env.update(LIMITS)
        env.update(
            DATABASE_URL=self.cluster.url + "?conn_max_age=60",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_LOG_LEVEL="ERROR",
            DJANGO_STATIC_ROOT=str(self.root / "static"),
            CLAIMLENS_BASE_URL=self.origin,
        )
        return env

    def manage(self, *args: str, debug: bool = False) -> str:
        env = {**self.env, "DJANGO_DEBUG": "1"} if debug else self.env
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self) -> None:
        # Static files do not need the database: they are gathered meanwhile.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        steps = {
            "cluster": self.cluster.create,
            "migrate": lambda: self.manage("migrate", "--noinput", debug=True),
            "demo": lambda: self.manage("load_demo", debug=True),
        }
        took = []
        for name, step in steps.items():
            started = time.monotonic()
            step()
            took.append(f"{name} {time.monotonic() - started:.1f} s")
        _, errors = static.communicate(timeout=300)
        if static.returncode:
            raise RuntimeError(f"collectstatic failed:\n{errors[-3000:]}")
        say(f"PostgreSQL {self.cluster.bin.parent.name} on 127.0.0.1:{self.cluster.port}: "
            + ", ".join(took))  # fmt: skip

    def serve(self) -> None:
        log = (self.root / "gunicorn.log").open("w")
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "3",
                "--error-logfile",
                "-",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.gunicorn_log()}")
            with contextlib.suppress(requests.RequestException):
                if self.get("/articles/", timeout=5).status_code == 200:
                    say(f"gunicorn (3 workers, production settings) on {self.base}")
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {STARTUP_TIMEOUT} s")

    def gunicorn_log(self) -> str:
        path = self.root / "gunicorn.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def get(self, path: str, *, cookie: str = "", timeout: float = 30) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        return requests.get(self.base + path, headers=headers, timeout=timeout)

    def locust(self, plan: Path, log: Path, *, users: int, seconds: int) -> subprocess.Popen:
        env = {**self.env, "LOADTEST_PLAN": str(plan), "LOADTEST_LOG": str(log)}
        output = log.with_suffix(".out").open("w")
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1, users // 5)),
                "--run-time",
                f"{seconds}s",
                "--host",
                self.base,
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--exit-code-on-error",
                "0",
            ],  # fmt: skip
            cwd=self.root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        self.cluster.remove()
