"""The language switcher in the header of every page (site/templates/includes/language_switcher.html)."""

from django import template

from learning.accounts import languages

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """English, Deutsch, Polski, each leading to this page in that language (no query: a Wagtail
    page's translation is looked up when the link is followed)."""
    request = context.get("request")
    if request is None:  # a template rendered without a request (a mail, an error page in a test)
        return {"links": []}
    return {"links": languages.language_links(request, context.get("page"))}
