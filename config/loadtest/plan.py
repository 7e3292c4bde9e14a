"""What the virtual users need (articles, quotes, signed-in sessions), and what they wrote.

The plan is read from the throwaway database with `manage.py shell`, and the demo accounts
sign in as a browser would; after the run, every write acknowledged is looked up again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import requests

from .servers import PROJECT, Run

# The demo accounts that may annotate (load_demo: each password is "claimlens-<username>").
WRITERS = ("annotator", "alice", "bob", "moderator", "editor")
CSRF_FROM_PAGE = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
CSRF_FROM_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(run: Run, username: str) -> dict:
    """Sign in as a browser would; return the session's cookie header and CSRF token."""
    page = run.get("/accounts/login/")
    cookies = dict(page.cookies)
    form = CSRF_FROM_FORM.search(page.text)
    if page.status_code != 200 or form is None:
        raise RuntimeError(f"the sign-in page answered {page.status_code}")
    answer = requests.post(
        run.base + "/accounts/login/",
        data={
            "username": username,
            "password": f"claimlens-{username}",
            "csrfmiddlewaretoken": form.group(1),
        },
        headers={
            "X-Forwarded-Proto": "https",
            "Origin": run.origin,
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {username} answered {answer.status_code}")
    cookies.update(dict(answer.cookies))
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    token = CSRF_FROM_PAGE.search(run.get("/articles/", cookie=cookie).text)
    if token is None:
        raise RuntimeError(f"no CSRF token on the list page for {username}")
    return {"username": username, "cookie": cookie, "csrf": token.group(1)}


def write_plan(run: Run, sessions_per_writer: int) -> Path:
    """Write what the virtual users need: articles, quotes, annotations, sessions."""
    articles = json.loads(run.manage("shell", "-v0", "-c", PLAN_QUERY))
    sessions = [sign_in(run, name) for name in WRITERS for _ in range(sessions_per_writer)]
    words = sorted({w for a in articles for w in a.pop("words")})
    path = run.root / "plan.json"
    path.write_text(
        json.dumps(
            {
                "origin": run.origin,
                "articles": articles,
                "sessions": sessions,
                "search_words": words,
            }
        ),
        encoding="utf-8",
    )
    return path


# Run in `manage.py shell` against the throwaway database: the articles, for each some
# passages found once in its text (to annotate), its shared annotations (to reply to) and
# a few words to search for.
PLAN_QUERY = """
import json, re
from articles.models import Article
from annotations.models import Annotation
out = []
for article in Article.objects.order_by("pk"):
    text = article.body_text
    words = re.findall(r"[A-Za-z][A-Za-z’'-]+", text)
    quotes = []
    for start in range(0, max(0, len(words) - 6), 7):
        quote = " ".join(words[start:start + 5])
        if text.count(quote) == 1:
            quotes.append(quote)
    shared = Annotation.objects.filter(
        article=article, visibility=Annotation.Visibility.SHARED, deleted_at__isnull=True
    )
    out.append({
        "id": article.pk,
        "quotes": quotes[:200],
        "annotations": list(shared.values_list("pk", flat=True)[:50]),
        "words": sorted({w.lower() for w in words if len(w) > 6})[:10],
    })
print(json.dumps([a for a in out if a["quotes"]]))
"""

# Look up the acknowledged writes (stdin: their JSON); print what is missing.
MISSING_QUERY = """
import json, sys
from annotations.models import Annotation, Reply
writes = json.load(sys.stdin)
missing = []
notes = {}
for a in Annotation.objects.filter(pk__in=[w["pk"] for w in writes if w["kind"] == "annotation"]):
    notes[a.pk] = (a.exact, a.note)
for w in writes:
    if w["kind"] == "annotation":
        exact, note = notes.get(w["pk"], ("", ""))
        if exact != w["quote"] or w["token"] not in note:
            missing.append(w)
replies = Reply.objects.filter(body__startswith="Load test reply ")
bodies = {body.rsplit(" ", 1)[-1] for body in replies.values_list("body", flat=True)}
missing += [w for w in writes if w["kind"] == "reply" and w["token"] not in bodies]
print(json.dumps(missing))
"""


def missing_writes(run: Run, writes: list[dict]) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", MISSING_QUERY],
        cwd=PROJECT,
        env=run.env,
        input=json.dumps(writes),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        raise RuntimeError(f"looking up the writes failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)
