"""Who uses Claimlens during the load test, and the record of every request they make.

Run by driver.py (`make loadtest`), never on its own: the plan it writes (LOADTEST_PLAN) says
which articles, quotes and annotations exist and holds signed-in sessions; every request,
and every write the server acknowledged, goes to LOADTEST_LOG for report.py to judge.

The server runs with production settings behind an imagined TLS proxy: each request says
X-Forwarded-Proto: https, as that proxy would, and an unsafe one sends Origin and the CSRF
token as a browser does. Cookies are sent by hand: they are Secure, and the client would
otherwise keep them back over plain HTTP on loopback.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
LOG_PATH = Path(os.environ["LOADTEST_LOG"])
LIVE_EVENT = "claimlens:changed"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

requests_made: list[dict] = []
writes_acknowledged: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time=None, **_):
    headers = getattr(response, "headers", None) or {}
    requests_made.append(
        {
            "t": start_time,
            "ms": response_time,
            "name": name,
            "method": request_type,
            "status": getattr(response, "status_code", 0) or 0,
            "ok": exception is None,
            "retry_after": headers.get("Retry-After"),
            "error": str(exception)[:200] if exception else "",
        }
    )


@events.quitting.add_listener
def _save(**_):
    LOG_PATH.write_text(
        json.dumps({"requests": requests_made, "writes": writes_acknowledged}), encoding="utf-8"
    )


class Visitor(HttpUser):
    """Someone reading: the list, an article (polling it for changes), search."""

    abstract = True
    wait_time = between(1, 3)
    session: dict | None = None

    def on_start(self):
        # No cookie jar: the session's cookies go in by hand (see the module's docstring).
        self.client.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        self.client.headers["X-Forwarded-Proto"] = "https"
        if self.session:
            self.client.headers["Cookie"] = self.session["cookie"]
        self.article = random.choice(PLAN["articles"])
        self.cursor = 0
        self.open_article()

    def get(self, url: str, name: str, ok=(200,), **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"status {response.status_code}")
            return response

    @task(1)
    def article_list(self):
        self.get("/articles/", "article list")

    @task(2)
    def open_article(self):
        self.article = random.choice(PLAN["articles"])
        response = self.get(f"/articles/{self.article['id']}/", "reader page")
        if response.status_code == 200:
            found = re.search(
                r'data-cursor="(\d+)" id="live-article-' + str(self.article["id"]), response.text
            )
            self.cursor = int(found.group(1)) if found else self.cursor

    @task(6)
    def poll(self):
        """What the reader's poller does every 2 s; a change refreshes the panel."""
        article_id = self.article["id"]
        response = self.get(
            f"/articles/{article_id}/changes/?after={self.cursor}",
            "poll",
            ok=(200, 204),
            headers={"HX-Request": "true"},
        )
        if response.status_code != 200:
            return
        try:
            self.cursor = json.loads(response.headers["HX-Trigger"])[LIVE_EVENT]["cursor"]
        except (KeyError, ValueError, TypeError):
            return
        self.get(
            f"/articles/{article_id}/annotations/",
            "panel refresh",
            headers={"HX-Request": "true"},
        )

    @task(1)
    def search(self):
        word = random.choice(PLAN["search_words"])
        self.get(f"/articles/?q={word}", "search")


class Reader(Visitor):
    """Anonymous: reading is open to everyone."""

    weight = 3


class Annotator(Visitor):
    """Signed in (several tabs share each demo account's session): reads, annotates, replies."""

    weight = 2

    def on_start(self):
        self.session = random.choice(PLAN["sessions"])
        self.mine: dict[int, list[int]] = {}  # article id: annotations this user made there
        super().on_start()
        # Whoever signs in came to annotate: every run, however short, writes something.
        self.annotate()
        self.reply()

    def unsafe_headers(self, **extra) -> dict:
        return {"Origin": PLAN["origin"], "X-CSRFToken": self.session["csrf"], **extra}

    @task(2)
    def annotate(self):
        """Annotate a passage through the API, as a signed-in browser script would."""
        article = self.article
        quote = random.choice(article["quotes"])
        token = uuid.uuid4().hex
        doc = {
            "@context": ANNO_CONTEXT,
            "type": "Annotation",
            "bodyValue": f"Load test note {token}",
            "target": {"selector": {"type": "TextQuoteSelector", "exact": quote}},
        }
        with self.client.post(
            f"/api/articles/{article['id']}/annotations/",
            data=json.dumps(doc),
            headers=self.unsafe_headers(**{"Content-Type": "application/ld+json"}),
            name="annotate (API)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"status {response.status_code}")
                return
            response.success()
            pk = int(response.json()["id"].rstrip("/").rsplit("/", 1)[-1])
            writes_acknowledged.append(
                {"kind": "annotation", "pk": pk, "quote": quote, "token": token}
            )
            self.mine.setdefault(article["id"], []).append(pk)

    @task(1)
    def reply(self):
        """Reply in an annotation's discussion, as the htmx form does."""
        candidates = self.mine.get(self.article["id"]) or self.article["annotations"]
        if not candidates:
            return
        pk = random.choice(candidates)
        token = uuid.uuid4().hex
        with self.client.post(
            f"/annotations/{pk}/discussion/",
            data={"body": f"Load test reply {token}"},
            headers=self.unsafe_headers(**{"HX-Request": "true"}),
            name="reply",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or token not in response.text:
                response.failure(f"status {response.status_code}")
                return
            response.success()
            writes_acknowledged.append({"kind": "reply", "annotation": pk, "token": token})
