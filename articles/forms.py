from django import forms
from django.conf import settings

from .importers import FORMAT_LABELS, FORMATS, ZIP, ImportFailed, format_size
from .imports import rendered_text
from .models import Article
from .services import STORED_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (Django's own takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class ArticleImportForm(forms.Form):
    """What to import: uploaded files, pasted text, web addresses, or any mix of them."""

    files = MultipleFileField(
        required=False,
        allow_empty_file=True,  # the import reports an empty file by name, like any bad file
        help_text="Plain text, Markdown, HTML, JSON batches or zip archives of them; "
        "several at once.",
    )
    text = forms.CharField(
        label="Or paste an article",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
    )
    text_format = forms.ChoiceField(
        label="Format of the pasted text",
        required=False,
        choices=[("", "Detect it")]
        + [(value, FORMAT_LABELS[value]) for value in FORMATS if value != ZIP],
    )
    urls = forms.CharField(
        label="Or web addresses",
        required=False,
        help_text="One per line; each page is fetched and its article text kept.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 90}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser stops a paste at the limit; the server checks it below, in bytes.
        self.fields["text"].widget.attrs["maxlength"] = settings.CLAIMLENS_IMPORT_MAX_BYTES

    def clean_text(self):
        text = self.cleaned_data["text"]
        size, limit = len(text.encode("utf-8")), settings.CLAIMLENS_IMPORT_MAX_BYTES
        if size > limit:
            raise forms.ValidationError(
                f"The pasted text is {format_size(size)}, more than the {format_size(limit)} "
                "an article may be. Split it, or upload it as a file."
            )
        return text

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("files") or (cleaned.get("text") or "").strip() or self.url_list()):
            raise forms.ValidationError("Choose files, paste an article, or give a web address.")
        return cleaned

    def url_list(self) -> list[str]:
        return (self.cleaned_data.get("urls") or "").split()


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form: refuses what the article service would refuse."""

    source_url = forms.URLField(
        label="canonical URL",
        max_length=2000,
        required=False,
        assume_scheme="https",
        empty_value=None,
    )

    class Meta:
        model = Article
        fields = list(STORED_FIELDS)  # what article_store() stores, and nothing else

    def clean_body_markdown(self):
        body = self.cleaned_data["body_markdown"]
        try:
            text = rendered_text(body)
        except ImportFailed as error:
            raise forms.ValidationError(f"The body cannot be used: {error}.") from None
        if not text.strip():
            raise forms.ValidationError("The body has no text.")
        return body
