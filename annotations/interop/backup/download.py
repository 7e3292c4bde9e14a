"""The admin's download of a backup, for editors: a button on the claims' list."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from annotations.core import permissions
from annotations.interop.backup.document import MEDIA_TYPE
from annotations.interop.backup.dumping import dump_claimwork
from annotations.interop.webannotation import Urls


def may_download(user) -> bool:
    """Return whether `user` may download a backup: editors (superusers are), unless suspended."""
    return permissions.has_role(user, permissions.EDITOR)


@require_GET
def backup_response(request) -> HttpResponse:
    """Return what `request.user` may read of the claim work, as a backup file to save.

    Other people's private notes stay out of it, as they stay out of every page: only
    `manage.py dump_claimwork`, run by whoever runs the site, writes a complete backup.
    """
    if not may_download(request.user):
        raise PermissionDenied("Only an editor can download the claim work.")
    document = dump_claimwork(urls=Urls.for_request(request), viewer=request.user, request=request)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type=f"{MEDIA_TYPE}; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="claimwork-{stamp}.jsonld"'
    return response


class BackupDownloadMixin:
    """Give a ModelAdmin's list a "Download a backup" button for editors (the claims' list).

    Editors may read that list, so that they find the button: read only, unless their
    permissions say more (the editor role is granted the articles' admin, not the claims').
    """

    def has_module_permission(self, request):
        return super().has_module_permission(request) or may_download(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or may_download(request.user)

    def get_urls(self):
        return [
            path(
                "backup/",
                self.admin_site.admin_view(backup_response),
                name="annotations_claimwork_backup",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_download_backup": may_download(request.user)}
        return super().changelist_view(request, extra_context)
