"""Rendering hostile Markdown, as a note and as a body: slow cases, and time linear in length."""

from __future__ import annotations

from ..hostile_inputs import hostile_markdown
from ..rendering import render_markdown_body_uncached, render_note
from .timing import timed


def bench_hostile_markdown(ctx):
    """Render 20,000 characters of each hostile Markdown case as a note and as a body."""
    render_note("warm *up*")
    worst = 0.0
    for name, source in hostile_markdown(20_000).items():
        note = min(timed(render_note, source) for _ in range(5)) / 1000
        body = min(timed(_render_uncached, source) for _ in range(5)) / 1000
        worst = max(worst, note, body)
        ctx.result(f"{name} (note / body)", f"{note * 1000:.1f} / {body * 1000:.1f}", "ms")
    ctx.result("slowest hostile 20,000-character text", f"{worst * 1000:.1f}", "ms (target <= 50)")
    # Twice the text should cost about twice the time: linear, whatever the input.
    ratios = []
    for name, source in hostile_markdown(40_000).items():
        small = min(timed(_render_uncached, hostile_markdown(20_000)[name]) for _ in range(3))
        large = min(timed(_render_uncached, source) for _ in range(3))
        ratios.append((large / max(small, 1e-6), name))
    ratio, name = max(ratios)
    ctx.result(f"worst 40k/20k time ratio ({name})", f"{ratio:.2f}", "x (linear: ~2)")


def _render_uncached(source: str):
    return render_markdown_body_uncached(source, "b")
