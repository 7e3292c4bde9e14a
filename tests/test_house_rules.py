"""The house's size and import rules (docs/architecture.md), checked so they stay true."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("annotations", "articles", "config")
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 30
# Imports inside a function: Django's AppConfig.ready (signal receivers, registries), and the
# rate limiter's key functions, which settings load before the apps are ready.
LOCAL_IMPORTS_ALLOWED = {
    ("annotations/apps.py", "ready"),
    ("config/ratelimits.py", "_bearer_user_id"),
    ("config/ratelimits.py", "login_lockout"),
}


def source_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_longer_than_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in source_modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def routed_views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routed_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None) or inspect.unwrap(pattern.callback)
            source = inspect.getsourcefile(view) or ""
            if source.startswith(str(ROOT)) and "site-packages" not in source:
                yield view


def test_no_view_is_longer_than_30_lines():
    long = {}
    for view in routed_views(get_resolver().url_patterns):
        functions = (
            [f for f in vars(view).values() if inspect.isfunction(f)]
            if inspect.isclass(view)
            else [view]
        )
        for function in functions:
            lines = len(inspect.getsourcelines(function)[0])  # decorators included
            if lines > MAX_VIEW_LINES:
                long[f"{function.__module__}.{function.__qualname__}"] = lines
    assert long == {}


def test_views_are_found():
    # The rule above must not pass by finding nothing.
    assert len(list(routed_views(get_resolver().url_patterns))) > 50


def test_no_function_imports_to_dodge_a_cycle():
    found = set()
    for path in source_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_function and any(
                isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(node)
            ):
                found.add((str(path.relative_to(ROOT)), node.name))
    assert found <= LOCAL_IMPORTS_ALLOWED, found - LOCAL_IMPORTS_ALLOWED
