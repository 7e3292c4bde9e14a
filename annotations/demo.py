"""The demo's annotations: what the demo accounts highlighted, noted, claimed and discussed.

`load_demo` (articles) imports the demo articles and sends articles.signals.demo_loaded;
annotations.receivers answers with load_demo_annotations(), which writes all of it through the
same services the pages use. Once an article has any annotation by a demo account it is left
alone, so loading the demo again adds nothing and never undoes what someone did while trying it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError

from annotations.collab import discussion, verdicts
from annotations.core.services import annotation_create, claim_update, evidence_add, status_by_name
from annotations.models import Annotation, Claim
from articles.models import Article

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
    claimant_type: str = "unknown"  # "person" or "organization", as an editor would set it
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
        claimant_type="person",
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
        claimant_type="organization",
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
            claimant_type=spec.claimant_type,
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
