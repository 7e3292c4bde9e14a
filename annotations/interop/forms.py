"""Forms of the interoperability pages: API tokens and annotation import."""

from django import forms
from django.conf import settings

from articles.models import Article


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Zotero sync” or “import script”."
    )


class AnnotationImportForm(forms.Form):
    file = forms.FileField(
        help_text="W3C Web Annotations (JSON-LD: one, a list, a collection or a page) or a "
        "Hypothesis JSON export."
    )
    article = forms.ModelChoiceField(
        queryset=Article.objects.none(),
        required=False,
        empty_label="Find each annotation's article by its URL",
        help_text="Put every annotation on this article instead.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.only("title").order_by("title")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CLAIMLENS_IMPORT_MAX_BYTES:
            limit = settings.CLAIMLENS_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file is larger than {limit} MB.")
        return upload
