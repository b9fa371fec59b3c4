"""The language switcher in the header of every page (site/templates/includes/language_switcher.html), and
the lang attribute of an English title shown on a German or Polish page."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

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


@register.simple_tag(takes_context=True)
def title_of(context, page):
    """The page's title; an English page's title shown inside a German or Polish page (a module not yet
    translated) is wrapped in lang="en", so screen readers read it in English. Only English pages stand
    in for missing translations, and a page's URL says its language (the link beside it computes it anyway)."""
    language, default = get_language(), settings.LANGUAGE_CODE
    if language == default or (page.get_url(request=context.get("request")) or "").startswith(f"/{language}/"):
        return page.title
    return format_html('<span lang="{}">{}</span>', default, page.title)
