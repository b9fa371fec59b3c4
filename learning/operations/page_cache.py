"""Whole pages for anonymous visitors, served from the cache before Wagtail routes the request.

A catalogue, path or module page is the same for every visitor who is not signed in, so its first
rendering serves the next ones. Signed-in pages show the learner's own progress and never come from
here: a request carrying a session or a pending message is always rendered.

Freshness: the key holds the curriculum version, so any change to any page retires every copy at
once, in every worker; that costs one indexed query per request. ACADEMY_PAGE_CACHE_SECONDS (0 turns the cache
off) bounds the life of a copy for changes the log does not see.
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

from learning.accounts.languages import path_without_language
from learning.catalogue.caching import curriculum_version

# Never pages, in any language (compared without the /de/ or /pl/ prefix): skip the lookup for them.
NOT_PAGES = (
    "/admin/",
    "/accounts/",
    "/static/",
    "/media/",
    "/documents/",
    "/learn/",
    "/team/",
    "/go/",
    "/certificates/",
    "/search/",
    "/healthz",
    "/language/",
)


class AnonymousPageCacheMiddleware:
    """Last in MIDDLEWARE, so a cached page still passes through every other middleware's response
    handling (security headers, CSP) on its way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        version = curriculum_version()
        # The host too: each Wagtail site has its own pages under the same paths. The language is
        # in the path's prefix already; it is named as well, as the language of the copy's words.
        key = f"academy:page:{version}:{request.get_host()}:{get_language()}:{request.path}"
        cached = caches["pages"].get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = self.get_response(request)
        if (
            getattr(request, "academy_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page handed out a CSRF token, or showed a message: neither may reach the next visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not len(get_messages(request))
        ):
            caches["pages"].set(key, (response.content, response["Content-Type"]), settings.ACADEMY_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def applies(request):
        return (
            settings.ACADEMY_PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not path_without_language(request.path).startswith(NOT_PAGES)
        )
