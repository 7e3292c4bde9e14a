"""The feeds page: the feeds followed, their last poll, new articles and errors; OPML."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import import_required
from ..jobs.tasks import poll_feed, schedule_tick
from .models import Feed
from .opml import feeds_to_opml, import_opml


class FeedForm(forms.ModelForm):
    url = forms.URLField(label="Feed URL", max_length=2000, assume_scheme="https")

    class Meta:
        model = Feed
        fields = ["title", "url", "interval_minutes", "active"]

    def clean_interval_minutes(self):
        minutes = self.cleaned_data["interval_minutes"]
        if minutes < 5:
            raise forms.ValidationError("Poll a feed at most every 5 minutes.")
        return minutes


class OpmlForm(forms.Form):
    opml = forms.FileField(label="OPML file")


@require_http_methods(["GET", "POST"])
@import_required
def feed_list(request):
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed = form.save(commit=False)
        feed.created_by = request.user
        feed.save()
        schedule_tick()
        messages.success(request, f"Following {feed}. It is polled within a minute.")
        return redirect("articles:feeds")
    context = {"feeds": Feed.objects.all(), "form": form, "opml_form": OpmlForm()}
    return render(
        request, "articles/feeds/feed_list.html", context, status=400 if form.errors else 200
    )


@require_POST
@import_required
def feed_edit(request, pk: int):
    feed = get_object_or_404(Feed, pk=pk)
    if "poll" in request.POST:
        poll_feed.enqueue(feed.pk)
        messages.success(request, f"{feed} will be polled in a moment.")
    else:
        feed.active = not feed.active
        feed.save(update_fields=["active"])
        messages.success(request, f"{feed} is {'active' if feed.active else 'paused'}.")
    return redirect("articles:feeds")


@require_GET
@import_required
def opml_export(request):
    response = HttpResponse(feeds_to_opml(Feed.objects.all()), content_type="text/x-opml")
    response["Content-Disposition"] = 'attachment; filename="claimlens-feeds.opml"'
    return response


@require_POST
@import_required
def opml_import(request):
    form = OpmlForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an OPML file to import.")
        return redirect("articles:feeds")
    try:
        added, already = import_opml(form.cleaned_data["opml"].read(1024 * 1024), user=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("articles:feeds")
    schedule_tick()
    messages.success(request, f"{added} feeds added, {already} already followed.")
    return redirect("articles:feeds")
