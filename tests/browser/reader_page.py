"""Drive the reader page as a reader would: select a passage, watch what the toolbar posts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl

QUOTE = "armed and trained criminals, both nationals and foreigners"
SHOTS = Path(os.environ.get("SHOTS_DIR", Path(tempfile.gettempdir()) / "shots-annotate"))

# Select from the start of `start_text` to the end of `end_text` (searched from there on), as a
# user would: a Range over the text nodes, then the pointer is released.
SELECT_JS = """
([startText, endText, pointerType]) => {
  const root = document.getElementById("article-body");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, all.length]);
    all += n.data;
  }
  const s = all.indexOf(startText);
  if (s < 0) throw new Error("not in the page: " + startText);
  const e = all.indexOf(endText, s) + endText.length;
  const at = (pos, isEnd) => {
    for (const [n, off] of nodes) {
      const end = off + n.data.length;
      if (isEnd ? pos > off && pos <= end : pos >= off && pos < end) return [n, pos - off];
    }
  };
  document.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true, pointerType}));
  const range = document.createRange();
  range.setStart(...at(s, false));
  range.setEnd(...at(e, true));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  if (pointerType !== "touch") {
    document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true, pointerType}));
  }
  const rect = range.getBoundingClientRect();
  return {top: rect.top + scrollY, bottom: rect.bottom + scrollY};
}
"""

# The computed background of an element as [r, g, b, alpha] (0-255 and 0-1).
BACKGROUND_JS = """
(element) => {
  const value = getComputedStyle(element).backgroundColor;
  const n = value.match(/[\\d.]+/g).map(Number);
  const scale = value.startsWith("color(") ? 255 : 1;
  return [n[0] * scale, n[1] * scale, n[2] * scale, n.length > 3 ? n[3] : 1];
}
"""


def select(page, start_text, end_text=None, pointer="mouse"):
    return page.evaluate(SELECT_JS, [start_text, end_text or start_text, pointer])


def posted_selectors(page, action):
    """Run action and return the form fields of the annotation-creating POST it sends."""
    with page.expect_request(lambda r: r.method == "POST" and "/annotations/new/" in r.url) as req:
        action()
    return dict(parse_qsl(req.value.post_data, keep_blank_values=True))


def open_reader(page, live_server, article):
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.evaluate("window.__noReload = 'still here'")


def assert_no_reload(page):
    assert page.evaluate("window.__noReload") == "still here"
