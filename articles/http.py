"""The request type views receive: Django's, with django-htmx's details of an htmx request."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):  # for type hints: the request django-htmx's middleware gives
    htmx: HtmxDetails
