"""Where the protocol's resources live: each annotation's IRI under the container it is read in.

An annotation lives in two containers, all annotations (/api/annotations/) and its article's
(/api/articles/<id>/annotations/): both IRIs name it (protocol §5.1: an annotation created in a
container has an IRI that starts with the container's). The last segment is the annotation's
name when it was created with a Slug, else its number; the number always works too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse

from annotations.interop.webannotation import Urls


@dataclass(frozen=True)
class ContainerUrls(Urls):
    """Urls whose annotation IRIs lie under one container: all annotations, or an article's."""

    in_article: int | None = None  # the article whose container this is; None: all
    names: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def in_container(cls, request, article_id: int | None = None) -> ContainerUrls:
        return cls(Urls.for_request(request).base, in_article=article_id)

    def naming(self, annotations) -> ContainerUrls:
        """Return these Urls knowing the names (Slugs) of annotations, to use in their IRIs."""
        names = {a.pk: a.slug for a in annotations if a.slug}
        return ContainerUrls(self.base, in_article=self.in_article, names=names)

    def container(self) -> str:
        if self.in_article is None:
            return self.absolute(reverse("api:annotations"))
        return self.absolute(
            reverse("api:article-annotations", kwargs={"article_id": self.in_article})
        )

    def annotation(self, pk: int) -> str:
        return self.container() + str(self.names.get(pk, pk))


def lookup(name: str) -> dict:
    """Return the filter that finds an annotation by the last segment of its IRI."""
    if not name.isdigit():
        return {"slug": name}
    # A number longer than a 64-bit key is nobody's: found nowhere, never sent to the database.
    return {"pk": int(name)} if len(name) <= 18 else {"pk__in": []}
