"""Load the demo: its accounts, its articles (through the real importer) and their annotations.

The articles in articles/demo go through import_sources(), exactly as `import_articles` and the
admin's import do. Each article then gets the demo's highlights, comments, claims, evidence,
verdicts and replies, written through the same services the pages use; once an article has
any annotation by a demo account it is left alone, so running the command again adds nothing
and never undoes what someone did while trying the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations import discussion, verdicts
from annotations.models import Annotation, Claim
from annotations.services import annotation_create, claim_update, evidence_add, status_by_name
from articles.imports import import_sources, sources_from_path
from articles.models import Article

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# (username, role group, is_staff, is_superuser); each password is "claimlens-<username>".
DEMO_USERS = [
    ("reader", "reader", False, False),
    ("annotator", "annotator", False, False),
    ("alice", "annotator", False, False),
    ("bob", "annotator", False, False),
    ("moderator", "moderator", False, False),
    ("editor", "editor", True, False),
    ("admin", "", True, True),
]


def demo_password(username: str) -> str:
    return f"claimlens-{username}"


# --- What the demo accounts wrote ----------------------------------------------------------


@dataclass(frozen=True)
class DemoAnnotation:
    """An annotation on a demo article; its quote must be in the article's text."""

    file: str  # the demo file the article came from
    author: str
    quote: str = ""  # none: a note on the whole page
    note: str = ""
    tags: str = ""  # as typed in the reader: "figures, unverified: claim title"
    visibility: str = Annotation.Visibility.SHARED
    replies: tuple[tuple[str, str], ...] = ()  # (author, body), each answering the one before


@dataclass(frozen=True)
class DemoClaim:
    """What collaborators did with a claim once an annotation had made it."""

    title: str
    claimant: str = ""
    rationale: str = ""  # written by the moderator
    evidence: tuple[tuple[str, str, str], ...] = ()  # (added by, url, title)
    verdicts: tuple[tuple[str, str, str], ...] = ()  # (user, status, reason)
    final: str = ""  # the status the moderator settles on: the claim's ClaimReview publishes
    replies: tuple[tuple[str, str], ...] = ()  # (author, body) on the claim


NORTHGATE = "northgate-protest-statement.md"
HARWICK = "harwick-water-prices.txt"
EASTMERE = "eastmere-screen-time-study.html"
FOREIGN_FUNDING = "The Northgate protest was paid for from abroad"
# A claim title holds no comma: the tag field separates its entries with commas.
CROWD_SIZE = "Fewer than two thousand people joined the Northgate protest"
SCREENS = "Screens are destroying a generation’s sleep"

DEMO_ANNOTATIONS = [
    DemoAnnotation(
        NORTHGATE,
        "alice",
        "organised and paid for from abroad",
        note="No evidence given; the minister calls it “part of an ongoing investigation”.",
        tags=f"unverified: {FOREIGN_FUNDING}",
        replies=(
            (
                "bob",
                "The coalition says it is funded by membership fees and publishes its accounts. "
                "@alice, shall we read them before anyone gives a verdict?",
            ),
            ("alice", "Yes: I will add the accounts as evidence once I have been through them."),
        ),
    ),
    DemoAnnotation(
        NORTHGATE,
        "bob",
        "fewer than 2,000 people",
        note="The organisers counted **more than 15,000**; the minister gave no source.",
        tags=f"crowd size, false: {CROWD_SIZE}",
    ),
    DemoAnnotation(
        NORTHGATE,
        "annotator",
        "Not a single round of live ammunition was fired.",
        note="Observers report tear gas and rubber bullets, which this sentence does not deny.",
        tags="use of force",
    ),
    DemoAnnotation(
        NORTHGATE,
        "moderator",
        "We are asking for the body-camera footage to be released",
        note="Check whether the footage is out before the committee questions the minister.",
        tags="follow up",
    ),
    DemoAnnotation(
        HARWICK,
        "annotator",
        "raise household water prices by 18 per cent from April",
        tags="figures",
    ),
    DemoAnnotation(
        HARWICK,
        "bob",
        "lose as much as a third of the water they carry",
        note="The residents’ association reads the utility’s own accounts as one in five.",
        tags="figures, leakage",
    ),
    DemoAnnotation(
        HARWICK,
        "alice",
        "the average household would pay about 7 pounds more a month",
        note="Leaves out the new standing charge, according to the residents’ association.",
        tags="figures",
    ),
    DemoAnnotation(
        HARWICK,
        "alice",
        "adjourned the vote until 12 March",
        note="Look at the leakage data when it is published.",
        visibility=Annotation.Visibility.PRIVATE,
    ),
    DemoAnnotation(
        EASTMERE,
        "alice",
        "screens are destroying a generation’s sleep",
        note="The study’s own authors say it shows an association, not a cause.",
        tags=f"unverified: {SCREENS}",
    ),
    DemoAnnotation(
        EASTMERE,
        "annotator",
        "This is an association, not proof of cause",
        tags="caveat",
    ),
    DemoAnnotation(
        EASTMERE,
        "bob",
        note="A careful write-up: the study’s limits are in the first paragraph, not the last.",
    ),
]

DEMO_CLAIMS = [
    DemoClaim(
        CROWD_SIZE,
        claimant="Elena Varga",
        rationale=(
            "The organisers counted more than 15,000 and say anyone in the square could see it. "
            "The ministry gave no source for its figure and has published no count of its own."
        ),
        evidence=(
            (
                "bob",
                "https://open-streets.example/northgate/crowd-count",
                "Open Streets coalition: crowd count and photographs",
            ),
            (
                "alice",
                "https://civic-watch.example/reports/northgate-observers",
                "Civic Watch: observers’ report on Northgate Square",
            ),
        ),
        verdicts=(
            ("alice", "false", "Two counts far above 2,000, and none behind the minister's."),
            ("bob", "disputed", "Until the footage is out it is one count against another."),
        ),
        replies=(
            (
                "moderator",
                "Keeping this as false for now. @bob, if the footage is released we can look "
                "again.",
            ),
        ),
    ),
    DemoClaim(
        SCREENS,
        claimant="Screen-Free Evenings",
        rationale=(
            "The study found that teenagers who use screens late sleep less, but its authors and "
            "an independent researcher say it does not show that screens are the cause; the "
            "lead author said the claim goes “well beyond anything in our paper”."
        ),
        evidence=(
            (
                "alice",
                "https://eastmere.example/research/screen-time-and-sleep",
                "University of Eastmere: evening screen time and sleep in teenagers",
            ),
        ),
        verdicts=(
            ("alice", "misleading", "An association is reported as proof of harm."),
            ("bob", "misleading", "The authors themselves reject this reading."),
        ),
        final="misleading",
    ),
]


# --- The command -----------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Load the demo accounts, articles and annotations (safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DJANGO_DEBUG off: its accounts have "
                "published passwords."
            )
        with transaction.atomic():
            users = {
                username: ensure_demo_user(
                    username, role, is_staff=is_staff, is_superuser=is_superuser
                )
                for username, role, is_staff, is_superuser in DEMO_USERS
            }
            articles = self.import_articles(imported_by=users["editor"])
            added = load_demo_annotations(articles, users)
        if added:
            self.stdout.write(f"annotated: {', '.join(added)}")
        self.stdout.write("\nDemo sign-ins (username / password, role):")
        for username, role, _, is_superuser in DEMO_USERS:
            role = "superuser" if is_superuser else role
            self.stdout.write(f"  {username:<10} / {demo_password(username):<20} {role}")

    def import_articles(self, *, imported_by) -> dict[str, Article]:
        """Import the demo files as any import does; return the articles by file name."""
        report = import_sources(sources=sources_from_path(DEMO_DIR), imported_by=imported_by)
        if report.failed:
            raise CommandError("\n".join(result.line() for result in report.failed))
        by_id = Article.objects.in_bulk(result.article_id for result in report.results)
        articles = {}
        for result in report.results:
            self.stdout.write(result.line())
            articles[result.label.rsplit("/", 1)[-1]] = by_id[result.article_id]
        return articles


def ensure_demo_user(username: str, role: str, *, is_staff: bool, is_superuser: bool):
    """Create a demo account with its published password and role; keep a changed password."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.claimlens.example",
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(demo_password(username))
        user.save(update_fields=["password"])
    elif (user.is_staff, user.is_superuser) != (is_staff, is_superuser):
        # The editor needs the admin to import: a database from an older demo gets it too.
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.save(update_fields=["is_staff", "is_superuser"])
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def load_demo_annotations(articles: dict[str, Article], users: dict) -> list[str]:
    """Annotate each demo article no demo account has annotated yet; return their file names."""
    annotated = set(
        Annotation.objects.filter(
            article__in=articles.values(), author__in=users.values()
        ).values_list("article_id", flat=True)
    )
    files = sorted(
        {spec.file for spec in DEMO_ANNOTATIONS if articles[spec.file].pk not in annotated}
    )
    touched_claims: set[int] = set()
    for spec in DEMO_ANNOTATIONS:
        if spec.file in files:
            annotation = _annotate(spec, articles[spec.file], users)
            if annotation.claim_id:
                touched_claims.add(annotation.claim_id)
    for spec in DEMO_CLAIMS:
        claim = Claim.objects.filter(title__iexact=spec.title).select_related("status").first()
        if claim is None:
            raise CommandError(f"No demo annotation makes the claim {spec.title!r}.")
        if claim.pk in touched_claims:
            _work_on_claim(spec, claim, users)
    return files


def _annotate(spec: DemoAnnotation, article: Article, users: dict) -> Annotation:
    if spec.quote and spec.quote not in article.body_text:
        raise CommandError(f"The demo quote {spec.quote!r} is not in {spec.file}.")
    annotation = annotation_create(
        article=article,
        author=users[spec.author],
        exact=spec.quote,
        note=spec.note,
        tags=spec.tags,
        visibility=spec.visibility,
    )
    parent = None
    for author, body in spec.replies:
        parent = discussion.reply_create(
            author=users[author], body=body, annotation=annotation, parent=parent
        )
    return annotation


def _work_on_claim(spec: DemoClaim, claim: Claim, users: dict) -> None:
    moderator = users["moderator"]
    if spec.rationale or spec.claimant:
        claim = claim_update(
            claim=claim,
            user=moderator,
            title=claim.title,
            status=claim.status,
            claimant=spec.claimant,
            rationale=spec.rationale,
        )
    for username, url, title in spec.evidence:
        evidence_add(claim=claim, user=users[username], url=url, title=title)
    for username, status, reason in spec.verdicts:
        verdicts.verdict_record(
            claim=claim, user=users[username], status=status_by_name(status), reason=reason
        )
    for author, body in spec.replies:
        discussion.reply_create(author=users[author], body=body, claim=claim)
    if spec.final:
        verdicts.claim_finalise(claim=claim, user=moderator, status=status_by_name(spec.final))
