"""Drive the admin's import page: upload files, preview them, confirm, read the table."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html

IMPORT_URL = reverse("admin:articles_article_import")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def upload(name, data):
    return SimpleUploadedFile(name, data)


def preview(client, **data):
    response = client.post(IMPORT_URL, {"preview": "Preview", **data})
    assert response.status_code == 200
    return response


def confirm(client, response):
    token = response.context["token"]
    assert token, "the preview offers a confirmation"
    result = client.post(IMPORT_URL, {"confirm": "Import", "token": token})
    assert result.status_code == 200
    return result


def rows(response):
    """Return (item, status) for each row of the preview or result table."""
    table = lxml_html.fromstring(response.content).get_element_by_id("import-items")
    return [
        (" ".join(row[0].text_content().split()), " ".join(row[4].text_content().split()))
        for row in table.iter("tr")
        if row.getparent().tag == "tbody"
    ]
