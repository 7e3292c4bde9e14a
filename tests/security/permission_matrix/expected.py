"""Who may use each URL pattern: a rule of (role, ownership) per method, and the admin's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.security.permission_matrix.urlconf import Pattern

ROLES = ["anonymous", "reader", "annotator", "moderator", "editor", "suspended"]
OWNERSHIPS = ["own", "shared", "private"]


# --- who may: rules of (role, ownership) -----------------------------------------------------


def anyone(role, own):
    return True


def signed_in(role, own):
    return role != "anonymous"


def writer(role, own):
    return role not in ("anonymous", "suspended")


def annotator(role, own):
    return role in ("annotator", "moderator", "editor")


def moderator(role, own):
    return role in ("moderator", "editor")


def sees(role, own):
    """Own things and others' shared ones; never someone else's private note."""
    return own != "private"


def changes(role, own):
    """Its author (an annotator) changes it, a moderator changes shared ones; nobody others'."""
    return annotator(role, own) and (own == "own" or (own == "shared" and moderator(role, own)))


def changes_note(role, own):
    """As `changes`, and a reader changes their own note, which can only be private."""
    return changes(role, own) or (role == "reader" and own == "own")


def moderates(role, own):
    """Hiding: moderators, on someone else's shared note (not a private one, not even theirs)."""
    return moderator(role, own) and own == "shared"


def both(*rules):
    return lambda role, own: all(rule(role, own) for rule in rules)


def nobody(role, own):
    return False


def importer(role, own):
    """Editors bring articles in (jobs, feeds, the bookmarklet); a suspended editor does not."""
    return role == "editor"


def only_shared(role, own):
    return own == "shared"


@dataclass
class Entry:
    """Who may use one URL pattern: a rule per method, and what its parameters name."""

    methods: dict
    kind: str = ""  # the object behind pk/slug/username; "" for none
    data: dict = field(default_factory=dict)  # POST data per method
    query: dict = field(default_factory=dict)
    api: bool = False


EXPECTED: dict[str, Entry] = {
    # project
    ":None": Entry({"GET": anyone, "POST": anyone}),  # a redirect to the articles
    ":login": Entry({"GET": anyone, "POST": anyone}),
    ":logout": Entry({"POST": anyone}),
    # articles
    "articles:list": Entry({"GET": anyone}),
    "articles:detail": Entry({"GET": anyone}, kind="article"),
    "articles:revision": Entry({"GET": anyone}, kind="article"),
    "articles:revision-list": Entry({"GET": anyone}, kind="article"),
    "articles:revision-diff": Entry({"GET": anyone}, kind="article"),
    # ingestion: import jobs, feeds, the bookmarklet (editors)
    "articles:jobs": Entry({"GET": importer}),
    "articles:job": Entry({"GET": importer}, kind="job"),
    "articles:job-confirm": Entry({"POST": importer}, kind="job"),
    "articles:job-cancel": Entry({"POST": importer}, kind="job"),
    "articles:job-resume": Entry({"POST": importer}, kind="job"),
    "articles:job-item-separate": Entry({"POST": importer}, kind="job"),
    "articles:feeds": Entry({"GET": importer, "POST": importer}),
    "articles:feed-edit": Entry({"POST": importer}, kind="feed"),
    "articles:feeds-opml": Entry({"GET": importer}),
    "articles:feeds-opml-import": Entry({"POST": importer}),
    # The bookmarklet's endpoint answers only its own signed token, never a session.
    "articles:send": Entry({"POST": nobody}),
    # the Web Annotation API (signed in by API token)
    "api:annotations": Entry({"GET": anyone, "POST": annotator}, api=True),
    "api:article-annotations": Entry({"GET": anyone, "POST": annotator}, kind="article", api=True),
    "api:annotation-detail": Entry(
        {"GET": sees, "PUT": changes_note, "DELETE": changes_note}, kind="annotation", api=True
    ),
    # The same annotation at its IRI under its article's container.
    "api:article-annotation-detail": Entry(
        {"GET": sees, "PUT": changes_note, "DELETE": changes_note}, kind="annotation", api=True
    ),
    "api:constraints": Entry({"GET": anyone}, api=True),  # the rules the API publishes
    # Hypothesis-compatible search: anyone, each seeing only what they may see.
    "api:search": Entry({"GET": anyone}, api=True),
    "api:user-detail": Entry({"GET": anyone}, kind="user", api=True),
    "api:openapi": Entry({"GET": anyone}, api=True),
    # exports, ClaimReview, tokens, imports
    "interop:export-page": Entry({"GET": anyone}),
    "interop:export-all": Entry({"GET": anyone}),
    "interop:export-article": Entry({"GET": anyone}, kind="article"),
    # Only the shared claim has a final verdict, so only its ClaimReview is published.
    "interop:claimreview": Entry({"GET": only_shared}, kind="claim"),
    "interop:token-list": Entry(
        {"GET": signed_in, "POST": signed_in}, data={"POST": {"name": "x"}}
    ),
    "interop:token-revoke": Entry(
        {"POST": both(signed_in, lambda role, own: own == "own")}, kind="token"
    ),
    "interop:annotation-import": Entry({"GET": annotator, "POST": annotator}),
    # annotating
    "annotations:panel": Entry({"GET": anyone}, kind="article"),
    "annotations:create": Entry(
        {"POST": annotator}, kind="article", data={"POST": {"exact": "peaceful", "note": "n"}}
    ),
    "annotations:colours": Entry({"GET": anyone}),
    "annotations:suggest": Entry({"GET": anyone}, query={"tags": "otto"}),
    "annotations:claim-suggest": Entry({"GET": anyone}, query={"claim_link": "otto"}),
    "annotations:card": Entry({"GET": sees}, kind="annotation"),
    "annotations:edit": Entry(
        {"GET": changes_note, "POST": changes},
        kind="annotation",
        data={"POST": {"note": "edited", "visibility": "shared", "tags": "", "version": 1}},
    ),
    "annotations:delete": Entry({"POST": changes_note}, kind="annotation"),
    "annotations:restore": Entry({"POST": changes_note}, kind="deleted"),
    "annotations:hide": Entry({"POST": moderates}, kind="annotation"),
    "annotations:annotation-reattach": Entry(
        {"POST": changes_note}, kind="annotation", data={"POST": {"exact": "armed"}}
    ),
    # claim suggestions (issue #16): accepting and dismissing are annotators' writes
    "suggestions:list": Entry({"GET": anyone}, kind="article"),
    "suggestions:accept": Entry({"POST": annotator}, kind="suggestion"),
    "suggestions:dismiss": Entry({"POST": annotator}, kind="suggestion"),
    "suggestions:where-else": Entry({"GET": anyone}, kind="suggestion"),
    "suggestions:claim-where-else": Entry({"GET": sees}, kind="claim"),
    "suggestions:appearance-add": Entry(
        {"POST": both(sees, annotator)}, kind="claim", data={"POST": {"exact": "armed"}}
    ),
    "suggestions:claimant": Entry({"GET": anyone}, query={"name": "otto"}),
    # claims, evidence, labels
    "annotations:claim-list": Entry({"GET": anyone}),
    # Search: anyone; what each finds is only what they may see (tests/annotations/search).
    "annotations:search": Entry({"GET": anyone}),
    "annotations:claim-detail": Entry({"GET": sees}, kind="claim"),
    "annotations:claim-edit": Entry({"GET": changes, "POST": changes}, kind="claim"),
    "annotations:evidence-add": Entry(
        {"POST": both(sees, annotator)}, kind="claim", data={"POST": {"url": "https://e.org/"}}
    ),
    "annotations:evidence-remove": Entry({"POST": changes}, kind="evidence"),
    "annotations:labels": Entry({"GET": moderator}),
    "annotations:label-create": Entry(
        {"POST": moderator}, data={"POST": {"name": "fresh", "colour": "#123456"}}
    ),
    "annotations:label-edit": Entry(
        {"GET": both(moderator, sees), "POST": both(moderator, sees)}, kind="label"
    ),
    "annotations:label-merge": Entry({"POST": both(moderator, sees)}, kind="label"),
    # live updates and presence
    "collab:article-changes": Entry({"GET": anyone}, kind="article", query={"after": 0}),
    "collab:article-presence": Entry({"GET": anyone}, kind="article"),
    "collab:claim-changes": Entry({"GET": sees}, kind="claim", query={"after": 0}),
    # discussion
    "collab:annotation-discussion": Entry(
        {"GET": sees, "POST": both(sees, annotator)},
        kind="annotation",
        data={"POST": {"body": "hi"}},
    ),
    "collab:claim-discussion": Entry(
        {"GET": sees, "POST": both(sees, annotator)}, kind="claim", data={"POST": {"body": "hi"}}
    ),
    "collab:reply-edit": Entry(
        {"GET": changes, "POST": changes}, kind="reply", data={"POST": {"body": "e", "version": 1}}
    ),
    "collab:reply-delete": Entry({"POST": changes}, kind="reply"),
    # verdicts, final status, assignment
    "collab:claim-verdicts": Entry({"GET": sees, "POST": both(sees, annotator)}, kind="claim"),
    "collab:claim-final": Entry({"POST": both(sees, moderator)}, kind="claim"),
    "collab:claim-assign": Entry({"POST": both(sees, moderator)}, kind="claim"),
    "collab:agreement": Entry({"GET": anyone}),
    "collab:my-claims": Entry({"GET": signed_in}),
    # the claim desk in a reader's card, and what waits for me
    "collab:claim-desk": Entry({"GET": sees}, kind="claim", query={"where": "desk"}),
    "collab:queues": Entry({"GET": signed_in}),
    "collab:queues-badge": Entry({"GET": anyone}),
    # history
    "collab:annotation-history": Entry({"GET": sees}, kind="annotation"),
    "collab:claim-history": Entry({"GET": sees}, kind="claim"),
    "collab:history-revert": Entry({"POST": both(sees, moderator)}, kind="history"),
    # moderation
    "collab:annotation-flag": Entry(
        {"GET": both(sees, writer), "POST": both(sees, writer)},
        kind="annotation",
        data={"POST": {"reason": "rude"}},
    ),
    "collab:reply-flag": Entry(
        {"GET": both(sees, writer), "POST": both(sees, writer)},
        kind="reply",
        data={"POST": {"reason": "rude"}},
    ),
    "collab:moderation": Entry({"GET": moderator}),
    "collab:reply-hide": Entry({"POST": moderates}, kind="reply"),
    "collab:flag-dismiss": Entry({"POST": both(sees, moderator)}, kind="flag"),
    "collab:user-suspend": Entry({"POST": moderator}, kind="user"),
    # notifications and people
    "collab:notifications": Entry({"GET": signed_in}),
    "collab:notifications-badge": Entry({"GET": anyone}),
    "collab:notifications-read": Entry({"POST": signed_in}),
    "collab:person": Entry({"GET": anyone}, kind="user"),
}

# The admin: only staff get in (the editor, and the suspended editor, who only reads). What
# each may do there follows their model permissions, which suspension cuts to viewing.
EDITOR_PERMS = {"add_article", "change_article", "view_article", "view_articlerevision"}
SUSPENDED_PERMS = {"view_article", "view_articlerevision"}
ADMIN_ACTIONS = {"changelist": "view", "history": "view", "add": "add", "delete": "delete"}


def admin_allowed(pattern: Pattern, method: str, role: str) -> bool:
    name = pattern.name
    if name == "admin:login" or (name == "admin:logout" and method == "POST"):
        return True
    if role not in ("editor", "suspended"):
        return False  # sent to the admin's sign-in
    perms = EDITOR_PERMS if role == "editor" else SUSPENDED_PERMS
    if name in ("admin:index", "admin:app_list", "admin:password_change"):
        return True
    if name in ("admin:jsi18n", "admin:password_change_done"):
        return method == "GET"
    if name == "admin:None":
        # "<object id>/" only redirects to the change page; anything else is not found.
        return pattern.route.endswith("<path:object_id>/")
    if name == "admin:articles_article_import":
        return "add_article" in perms
    if name == "admin:annotations_claimwork_backup":
        # Editors download a backup of the claim work (a GET); a suspended editor does not.
        return role == "editor" and method == "GET"
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(changelist|add|change|history|delete)", name)
    if match is None:
        return False
    _app, model, action = match.groups()
    if model == "claim" and role == "editor" and action in ("changelist", "history", "change"):
        # Editors read the claims' list (read only) to find the backup button there; the
        # admin answers a POST to a page one may only view as it answers a GET, but a change
        # is refused.
        return not (action == "change" and method == "POST")
    if action == "change":
        wanted = {"change"} if method == "POST" else {"change", "view"}
    elif action == "changelist":
        wanted = {"change", "view"}
    else:
        wanted = {ADMIN_ACTIONS[action]}
    return any(f"{w}_{model}" in perms for w in wanted)
