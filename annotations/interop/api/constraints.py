"""The rules this server adds to the Web Annotation Protocol, published as one page.

Containers link to it with rel="http://www.w3.org/ns/ldp#constrainedBy", and an error caused
by one of the rules has a problem type (RFC 9457) that points at its section (LDP §4.2.1.6).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from annotations.interop.api.protocol import CONSTRAINED_BY


@login_not_required  # the rules of the API are public, like the OpenAPI description
@require_safe
def constraints(request):
    """Show the constraints the API puts on annotations and requests."""
    context = {
        "constrained_by": CONSTRAINED_BY,
        "page_size": settings.CLAIMLENS_API_PAGE_SIZE,
        "cors_origins": settings.CLAIMLENS_API_CORS_ORIGINS,
    }
    return render(request, "annotations/interop/api_constraints.html", context)
