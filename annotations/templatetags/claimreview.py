from django import template

from annotations.interop.claimreview import claimreview_json, script_json

register = template.Library()


@register.simple_tag(takes_context=True)
def claimreview_script_json(context, claim):
    """Return the claim's ClaimReview as JSON safe inside <script>, or "" without a verdict."""
    if claim is None:
        return ""
    review = claimreview_json(claim, context.get("request"))
    return script_json(review) if review is not None else ""
