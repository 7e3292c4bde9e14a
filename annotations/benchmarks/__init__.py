"""Benchmarks of the annotations app; `manage.py bench` finds each module's bench_* functions."""
