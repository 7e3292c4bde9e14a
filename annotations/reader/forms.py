"""Forms for the reader page. They only check shapes; services decide."""

from __future__ import annotations

from django import forms

from annotations.core import limits
from annotations.models import Annotation, Claim, Label


class AnnotationCreateForm(forms.Form):
    # Quotes are compared character for character with the article: never strip them.
    exact = forms.CharField(
        label="Passage",
        required=False,
        strip=False,
        max_length=limits.QUOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy the exact words from the article, or select them with the mouse.",
    )
    prefix = forms.CharField(required=False, strip=False, max_length=64)
    suffix = forms.CharField(required=False, strip=False, max_length=64)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    # The revision the page showed when the passage was selected (reader.js sends it).
    revision = forms.IntegerField(required=False, min_value=1)
    note = forms.CharField(required=False, max_length=limits.NOTE_MAX_CHARS, widget=forms.Textarea)
    tags = forms.CharField(required=False, max_length=limits.TAG_FIELD_MAX_CHARS)
    visibility = forms.ChoiceField(
        choices=Annotation.Visibility.choices,
        initial=Annotation.Visibility.SHARED,
        required=False,
    )
    # The claim composer: a statement (commas allowed), its status, who made it, or instead
    # an existing claim, named by its title.
    claim_title = forms.CharField(
        label="Claim", required=False, max_length=limits.CLAIM_TITLE_MAX_CHARS
    )
    claim_status = forms.CharField(required=False, max_length=64)
    claimant = forms.CharField(required=False, max_length=limits.CLAIMANT_MAX_CHARS)
    claim_link = forms.CharField(required=False, max_length=limits.CLAIM_TITLE_MAX_CHARS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or Annotation.Visibility.SHARED

    def clean(self):
        """Read a linked claim as its own title and status (it keeps its status)."""
        data = super().clean()
        link = " ".join(data.pop("claim_link", "").split())
        if link:
            claim = (
                Claim.objects.visible_to(self.user)
                .select_related("status")
                .filter(title__iexact=link)
                .first()
            )
            if claim is None:
                self.add_error("claim_link", f"No claim is called “{link}”: pick one offered.")
            else:
                data["claim_title"], data["claim_status"] = claim.title, claim.status.name
        self._quick_claim(data)
        if not data.get("claim_title"):
            data["claim_status"] = data["claimant"] = ""
        return data

    @staticmethod
    def _quick_claim(data: dict) -> None:
        """Read a statement typed as the quick syntax ("false: title") as its status and title."""
        status, colon, title = data.get("claim_title", "").partition(":")
        if colon and title.strip():
            names = {s.name.lower(): s.name for s in Label.objects.statuses()}
            if status.strip().lower() in names:
                data["claim_title"] = title.strip()
                data["claim_status"] = names[status.strip().lower()]


class AnnotationEditForm(forms.Form):
    note = forms.CharField(required=False, max_length=limits.NOTE_MAX_CHARS, widget=forms.Textarea)
    tags = forms.CharField(required=False, max_length=limits.TAG_FIELD_MAX_CHARS)
    visibility = forms.ChoiceField(choices=Annotation.Visibility.choices)
    # The version the form was loaded at; no larger than the column holding it can be.
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
