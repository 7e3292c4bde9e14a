"""Hostile Markdown for the bench and the tests: the inputs that make renderers slow.

Each case repeats a unit up to a size, so the same case can be measured at several sizes:
a renderer whose cost is linear takes twice as long for twice the text.
"""

from __future__ import annotations

# Each unit is repeated; a few are whole documents built by a function of the size.
_UNITS = {
    "open brackets": "[",
    "unclosed links": "[a](",
    "link chains": "[a](b)",
    "reference links": "[a][b]",
    "image brackets": "![",
    "backticks": "`",
    "emphasis runs": "*a ",
    "mixed emphasis": "**_",
    "underscores": "_",
    "nested quotes": ">",
    "nested list markers": "- ",
    "angle brackets": "<",
    "entities": "&#",
    "html tags": "<b><i>",
    "attribute lists": "x\n{: .caption }\n",
    "table pipes": "|",
}


def _backtick_runs(size: int) -> str:
    parts, length, total = [], 1, 0
    while total < size:
        parts.append("`" * length + "a")
        total += length + 1
        length += 1
    return "".join(parts)


def _indented_lists(size: int) -> str:
    lines, depth, total = [], 0, 0
    while total < size:
        line = "  " * (depth % 200) + "- item\n"
        lines.append(line)
        total += len(line)
        depth += 1
    return "".join(lines)


def _quote_and_list_nesting(size: int) -> str:
    unit = "> - > 1. "
    return unit * (size // len(unit)) + "x"


def _long_table(size: int) -> str:
    rows = ["| a | b | c |", "| --- | --- | --- |"]
    total = 30
    while total < size:
        rows.append("| x | [y](z) | *w* |")
        total += 20
    return "\n".join(rows)


_BUILT = {
    "backtick runs": _backtick_runs,
    "indented lists": _indented_lists,
    "quotes and lists nested": _quote_and_list_nesting,
    "long table": _long_table,
}


def hostile_markdown(size: int = 20_000) -> dict[str, str]:
    """Return {case name: Markdown of `size` characters} for every hostile case."""
    cases = {name: (unit * (size // len(unit) + 1))[:size] for name, unit in _UNITS.items()}
    cases.update({name: build(size)[:size] for name, build in _BUILT.items()})
    return cases
