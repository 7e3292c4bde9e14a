"""Measure Claimlens on throwaway databases: `manage.py bench [--articles N] [--big] [--huge]`.

Any local app can add sections: give it a module (or package) `<app>.benchmarks` with
functions named bench_*; each is called in turn with a BenchContext, after the articles have
been seeded. A package's sections are found in the submodules its __all__ names, or else in
all of its submodules.
"""

from __future__ import annotations

import importlib
import itertools
import os
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, OutputWrapper
from django.db import connection
from django.test import Client
from django.test.utils import (
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

from articles.benchmarks.huge import copy_articles
from articles.benchmarks.seeding import TextGenerator, seed_articles

BIG = 100_000
HUGE = 1_000_000


@dataclass
class BenchContext:
    """What a bench_* function gets: the size, somewhere to print, a client, user making."""

    articles: int
    stdout: OutputWrapper
    client: Client = field(default_factory=Client)
    generator: TextGenerator = field(default_factory=TextGenerator)
    _users: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def vendor(self) -> str:
        return connection.vendor

    repeat: int = 30

    def write(self, text: str = "") -> None:
        self.stdout.write(text)

    def out(self, text: str = "") -> None:
        """Print a line of a section, indented under its heading like result()'s."""
        self.stdout.write(f"  {text}" if text else "")

    def result(self, label: str, value, unit: str = "") -> None:
        """Print one figure, aligned with the others."""
        self.stdout.write(f"  {label:<46} {value!s:>10} {unit}".rstrip())

    def make_user(self, *, role: str = "annotator", password: str | None = None):
        """Create a user with a role (a group name) and a unique username."""
        user = get_user_model().objects.create_user(
            username=f"bench-user-{next(self._users)}", password=password
        )
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user


def discover_sections() -> list[tuple[str, Callable]]:
    """Return (dotted name, function) for every bench_* function of the local apps."""
    sections: dict[Callable, str] = {}
    for app in apps.get_app_configs():
        if not _is_local(app):
            continue
        try:
            module = importlib.import_module(f"{app.name}.benchmarks")
        except ModuleNotFoundError as error:
            if error.name == f"{app.name}.benchmarks":
                continue
            raise
        for submodule in [module, *_submodules(module)]:
            for name, value in vars(submodule).items():
                if name.startswith("bench_") and callable(value) and value not in sections:
                    sections[value] = f"{submodule.__name__}.{name}"
    return [(name, function) for function, name in sections.items()]


def _is_local(app) -> bool:
    path = Path(app.path)
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts


def _submodules(package) -> list:
    if not hasattr(package, "__path__"):
        return []
    names = getattr(package, "__all__", None)
    if names is None:
        names = [info.name for info in pkgutil.iter_modules(package.__path__)]
    found = []
    for name in names:
        try:
            found.append(importlib.import_module(f"{package.__name__}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{package.__name__}.{name}":
                raise  # __all__ may also name functions; only those are skipped
    return found


class Command(BaseCommand):
    help = "Benchmark imports, the reader page and search on throwaway databases."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="articles to seed")
        parser.add_argument("--big", action="store_true", help=f"seed {BIG:,} articles")
        parser.add_argument(
            "--huge",
            action="store_true",
            help=f"seed {HUGE:,} articles with COPY (PostgreSQL only); runs the search sections "
            "unless --only names others",
        )
        parser.add_argument("--only", default="", help="run the sections whose name has this")

    def handle(self, *args, articles, big, huge, only, **options):
        count = HUGE if huge else BIG if big else articles
        if huge and connection.vendor != "postgresql":
            self.stderr.write("--huge seeds with PostgreSQL's COPY: set DATABASE_URL to one.")
            return
        only = only or ("search" if huge else "")
        self.huge = huge
        sections = [(n, f) for n, f in discover_sections() if only in n]
        # A name of our own, so that a test run of the same database is never clobbered.
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor != "sqlite" and not test_settings.get("NAME"):
            test_settings["NAME"] = f"bench_{connection.settings_dict['NAME']}"
        setup_test_environment()
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
            with override_settings(PASSWORD_HASHERS=hashers):
                self.run_sections(count, sections)
        finally:
            teardown_databases(old_config, verbosity=0)
            teardown_test_environment()
        self.stdout.write("\nThe bench databases have been removed.")

    def run_sections(self, count: int, sections) -> None:
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Claimlens bench on {connection.vendor} ({database}), {count:,} articles"
        )
        # Timings on a shared machine mean little without the load they were taken under.
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(f"  load average {load} on {os.cpu_count()} CPUs")
        context = BenchContext(articles=count, stdout=self.stdout)
        started = time.perf_counter()
        if self.huge:
            copy_articles(count, generator=context.generator, progress=context.out)
            how = "COPY + index build"
        else:
            seed_articles(count, generator=context.generator)
            how = "bulk_create + search index"
        elapsed = time.perf_counter() - started
        context.result(f"seeding ({how})", f"{elapsed:.1f}", "s")
        for name, function in sections:
            summary = (function.__doc__ or "").strip().splitlines()
            self.stdout.write(f"\n== {name}" + (f": {summary[0]}" if summary else ""))
            started = time.perf_counter()
            function(context)
            context.result("(section time)", f"{time.perf_counter() - started:.1f}", "s")
