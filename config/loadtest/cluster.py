"""A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

SERVER_USER = "postgres"  # PostgreSQL refuses to run as root


def free_port() -> int:
    """Return a loopback port that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path:
    """Return the folder of the newest installed PostgreSQL's programs (initdb, pg_ctl)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")


class Cluster:
    """initdb, start, stop and restart one cluster; remove() deletes it entirely."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.socket_dir = root / "pgsocket"
        self.log = root / "postgresql.log"
        self.port = free_port()
        self.bin = postgres_bin()
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/claimlens"

    def _run(self, *args: str, timeout: float = 60, check: bool = True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=check)

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.as_root:
            user = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "claimlens")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", "30", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def is_ready(self) -> bool:
        result = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-q",
                           check=False, timeout=10)  # fmt: skip
        return result.returncode == 0

    def wait_ready(self, timeout: float = 30) -> float:
        """Wait until the server accepts connections; return the time it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.is_ready():
                return time.time()
            time.sleep(0.05)
        raise RuntimeError(f"PostgreSQL did not come back within {timeout:g} s (see {self.log})")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                      check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)
