"""Response headers Django does not set itself: Permissions-Policy and CORP.

Django's SecurityMiddleware sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy; django-csp sends Content-Security-Policy.
"""

from django.conf import settings


def permissions_policy(features: dict[str, list[str]]) -> str:
    """Return a Permissions-Policy value: {"camera": []} is "camera=()" (nobody)."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in sorted(features.items())
    )


class SecurityHeadersMiddleware:
    """Add Permissions-Policy and Cross-Origin-Resource-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        features = getattr(settings, "CLAIMLENS_PERMISSIONS_POLICY", None)
        if features:
            response.headers.setdefault("Permissions-Policy", permissions_policy(features))
        corp = getattr(settings, "CLAIMLENS_CROSS_ORIGIN_RESOURCE_POLICY", None)
        if corp:
            response.headers.setdefault("Cross-Origin-Resource-Policy", corp)
        return response
