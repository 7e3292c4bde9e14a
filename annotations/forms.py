"""Forms for the reader, claims and labels pages. They only check shapes; services decide."""

from __future__ import annotations

from django import forms

from .models import Annotation, Label


class AnnotationCreateForm(forms.Form):
    # Quotes are compared character for character with the article: never strip them.
    exact = forms.CharField(
        label="Passage",
        required=False,
        strip=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy the exact words from the article, or select them with the mouse.",
    )
    prefix = forms.CharField(required=False, strip=False, max_length=64)
    suffix = forms.CharField(required=False, strip=False, max_length=64)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    note = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea)
    tags = forms.CharField(required=False, max_length=500)
    visibility = forms.ChoiceField(
        choices=Annotation.Visibility.choices,
        initial=Annotation.Visibility.SHARED,
        required=False,
    )

    def clean_visibility(self):
        return self.cleaned_data["visibility"] or Annotation.Visibility.SHARED


class AnnotationEditForm(forms.Form):
    note = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea)
    tags = forms.CharField(required=False, max_length=500)
    visibility = forms.ChoiceField(choices=Annotation.Visibility.choices)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ClaimForm(forms.Form):
    title = forms.CharField(max_length=200)
    claimant = forms.CharField(max_length=200, required=False)
    status = forms.ModelChoiceField(queryset=Label.objects.statuses(), empty_label=None)
    rationale = forms.CharField(required=False, max_length=50_000, widget=forms.Textarea)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    url = forms.CharField(label="Link", max_length=2000)
    title = forms.CharField(max_length=300, required=False)
    note = forms.CharField(required=False, max_length=5_000)


class LabelForm(forms.Form):
    name = forms.CharField(max_length=64)
    colour = forms.CharField(max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    description = forms.CharField(required=False, max_length=2_000)
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
