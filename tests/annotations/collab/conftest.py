from annotations.core.services import annotation_create
from annotations.models import Label
from tests.factories import make_article, make_user

BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were peaceful and carried flowers."
)


def status(slug: str) -> Label:
    return Label.objects.get(slug=slug)


def tag_claim(
    *, article=None, author=None, title="terrorists claim", slug="unverified", quote=None
):
    """Create an annotation that makes `author` tag a claim in `article`; return it."""
    article = article or make_article(body=BODY)
    author = author or make_user()
    quote = quote or "armed and trained criminals"
    return annotation_create(
        article=article, author=author, exact=quote, tags=f"{slug}: {title}", note="first note"
    )


def plain_note(*, article=None, author=None):
    """Create a shared annotation with no claim: it keeps a discussion of its own."""
    return annotation_create(
        article=article or make_article(body=BODY),
        author=author or make_user(),
        exact="armed and trained criminals",
        note="a plain note",
    )


def htmx(client, method, url, data=None, **extra):
    """Send an htmx request (HX-Request: true) through the test client."""
    return getattr(client, method)(url, data or {}, HTTP_HX_REQUEST="true", **extra)


__all__ = ["BODY", "htmx", "make_article", "make_user", "status", "tag_claim"]
