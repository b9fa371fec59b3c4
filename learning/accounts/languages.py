"""Which language a request is in and where the same page lives in the others.

English (settings.LANGUAGE_CODE) is served without a prefix, German and Polish under /de/ and /pl/
(site/config/urls.py). Translated pages keep the English slugs, so /de/<English path> is the German
page when there is one, and every page of the app itself exists under every prefix.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site


def other_languages():
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def path_language(path):
    """The language whose prefix `path` carries, or None for an unprefixed (English) path."""
    for code in other_languages():
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code
    return None


def path_without_language(path):
    """/de/paths/x/ -> /paths/x/; an unprefixed path is returned as it is."""
    code = path_language(path)
    return (path[len(code) + 1 :] or "/") if code else path


def path_in_language(path, language):
    """The same path under `language`'s prefix (none for English): /paths/x/ -> /de/paths/x/."""
    path = path_without_language(path)
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def supported(language):
    """`language` if the site offers it (a variant such as de-AT counts as de), else None."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return None


def preferred_language(user):
    """`user`'s profile language, if the site still offers it: their mails are written in it and
    signing in lands in it."""
    return supported(user.preferred_language) or settings.LANGUAGE_CODE


def site_url(language):
    """BASE_URL with `language`'s prefix ("https://academy.example.com/de"; no prefix for English),
    for the absolute links in mails: followed by a path such as /learn/, they open in that language."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path_in_language("/", language).rstrip("/")


def wanted_language(request):
    """The language a request for an unprefixed URL should be answered in.

    An explicit choice wins: Django's language cookie, written by the language switcher and, from the
    profile, by signing in and saving the profile. Without one, a signed-in learner's preferred
    language; for a visitor, the browser's Accept-Language (English when none of ours is accepted).
    """
    chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    if request.user.is_authenticated:
        return supported(request.user.preferred_language) or settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


def site_root_path(request, language):
    """The url_path of the site's home page in `language` (e.g. "/home-de/"), or None when the home
    page has no translation. From Wagtail's cached site root paths: no query once it is warm."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk and root.language_code == language:
            return root.root_path
    return None


def page_exists_in(request, language):
    """Whether the page at the unprefixed request path has a live translation in `language` at the
    same path (translations keep the slugs): 1 query. A route below a page (a path's certificate, a
    quiz result) is not a page of its own and counts as missing."""
    root = site_root_path(request, language)
    if root is None:
        return False
    url_path = root + request.path_info.lstrip("/")
    return Page.objects.live().filter(url_path=url_path, locale__language_code=language).exists()


@dataclass
class LanguageLink:
    """One entry of the language switcher."""

    code: str
    name: str
    href: str
    current: bool


def language_links(request, page=None):
    """The switcher's links, one per language, each through /language/<code>/ so the choice is
    remembered (learning.accounts.views.language_choose). On a Wagtail page the link names the page
    and the view finds its translation when it is followed, so rendering costs no query; on the app's
    own pages it names the same path under the other prefix."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if isinstance(page, Page) and page.pk:
            query = {"page": page.pk}
        else:
            query = {"next": path_in_language(request.get_full_path(), code)}
        links.append(
            LanguageLink(
                code=code,
                name=translation.get_language_info(code)["name_local"],
                href=f"{reverse('language_choose', args=[code])}?{urlencode(query)}",
                current=code == current,
            )
        )
    return links


def page_url_in(request, page_id, language):
    """The URL of the live version in `language` of the page `page_id`, or None when there is none: 1 query."""
    same_page = Page.objects.filter(pk=page_id).values("translation_key")
    version = Page.objects.live().filter(translation_key__in=same_page, locale__language_code=language).first()
    return version.get_url(request) if version else None
