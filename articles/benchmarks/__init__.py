"""Benchmarks of the article pages, importing and search, run by `manage.py bench`.

Each module of __all__ is a group of sections (its bench_* functions), run in this order;
seeding.py generates the articles they run on, and timing.py keeps the figures.
"""

__all__ = ["importing", "rendering", "pages", "extraction", "jobs"]
