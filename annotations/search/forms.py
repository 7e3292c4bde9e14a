"""The search page's query and filters. They only check shapes; finding.py searches."""

from __future__ import annotations

from django import forms

from articles.params import search_text
from articles.search import MAX_QUERY_LENGTH

KINDS = [
    ("", "Everything"),
    ("articles", "Articles"),
    ("annotations", "Annotations"),
    ("claims", "Claims"),
]
SORTS = [("", "Best match"), ("newest", "Newest first"), ("oldest", "Oldest first")]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(label="Kind", choices=KINDS, required=False)
    status = forms.SlugField(label="Claim status", required=False, max_length=64)
    author = forms.CharField(label="Author", required=False, max_length=150)
    article = forms.IntegerField(
        label="Article number", required=False, min_value=1, max_value=2**63 - 1
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="Sort", choices=SORTS, required=False)

    def clean_q(self):
        return " ".join(search_text(self.cleaned_data["q"]).split())

    def clean_author(self):
        return search_text(self.cleaned_data["author"])

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return cleaned

    @property
    def narrows_annotations(self) -> bool:
        """Return whether a filter that only annotations and claims have is set."""
        data = self.cleaned_data
        return any(data.get(name) for name in ("status", "author", "article", "since", "until"))
