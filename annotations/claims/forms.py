"""Forms for the claims and labels pages. They only check shapes; services decide."""

from __future__ import annotations

from django import forms

from annotations.claims.claimants import suggest_claimant_type
from annotations.core import limits
from annotations.models import Claim, Label


class ClaimForm(forms.Form):
    title = forms.CharField(max_length=limits.CLAIM_TITLE_MAX_CHARS)
    claimant = forms.CharField(max_length=limits.CLAIMANT_MAX_CHARS, required=False)
    # Left out of a POST, the claim keeps the type an editor gave (services.claim_update).
    claimant_type = forms.TypedChoiceField(
        choices=Claim.ClaimantType.choices, required=False, empty_value=None
    )
    status = forms.ModelChoiceField(queryset=Label.objects.statuses(), empty_label=None)
    rationale = forms.CharField(
        required=False, max_length=limits.RATIONALE_MAX_CHARS, widget=forms.Textarea
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def claimant_type_suggestion(self):
        """Return what the claimant's name suggests while no type is chosen, for the editor."""
        if self["claimant_type"].value() not in (None, "", Claim.ClaimantType.UNKNOWN):
            return None
        suggestion = suggest_claimant_type(self["claimant"].value() or "")
        return None if suggestion == Claim.ClaimantType.UNKNOWN else Claim.ClaimantType(suggestion)


class EvidenceForm(forms.Form):
    url = forms.CharField(label="Link", max_length=limits.EVIDENCE_URL_MAX_CHARS)
    title = forms.CharField(max_length=limits.EVIDENCE_TITLE_MAX_CHARS, required=False)
    note = forms.CharField(required=False, max_length=limits.EVIDENCE_NOTE_MAX_CHARS)


class LabelForm(forms.Form):
    name = forms.CharField(max_length=limits.LABEL_NAME_MAX_CHARS)
    colour = forms.CharField(max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    description = forms.CharField(required=False, max_length=limits.LABEL_DESCRIPTION_MAX_CHARS)
    shortcut = forms.CharField(required=False, max_length=1)


class LabelCreateForm(LabelForm):
    kind = forms.ChoiceField(choices=Label.Kind.choices, initial=Label.Kind.TAG)


class LabelMergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Label.objects.all(), label="Merge into")

    def __init__(self, *args, source: Label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Label.objects.filter(kind=source.kind).exclude(
            pk=source.pk
        )
