from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from learning.accounts import languages

# Paths that stay open when the whole site requires sign-in: signing in itself, the admin (which
# has its own login), static files, choosing a language, the public certificate check and the badge
# documents. Compared without the language prefix, so /de/accounts/login/ is as open as /accounts/login/.
OPEN_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/static/",
    "/media/",
    "/language/",
    "/certificates/verify/",
    "/badges/",
    "/healthz",
)

# Unprefixed paths that are never sent to another language: not pages a person reads (the admin has
# its own language setting, files and badge documents have none, /go/ records a visit and leaves the site).
NEVER_REDIRECTED = ("/admin/", "/static/", "/media/", "/documents/", "/go/", "/healthz", "/language/", "/badges/")


class SiteLoginRequiredMiddleware:
    """With ACADEMY_REQUIRE_LOGIN on, every page but the open ones asks for sign-in first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ACADEMY_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not languages.path_without_language(request.path_info).startswith(OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """An unprefixed (English) URL read by someone who wants German or Polish redirects to the same
    URL under /de/ or /pl/, when it exists there (languages.wanted_language says who wants what).

    After AuthenticationMiddleware (it reads the learner's profile) and before the anonymous page
    cache, so a visitor is sent to their language before an English copy could be served. Only reads
    (GET, HEAD) move: a form posted to an English URL is handled where it was sent. Costs one query
    for a Wagtail page whose translation it checks, none otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.redirect_language(request)
        if language is None:
            return self.get_response(request)
        response = HttpResponseRedirect(languages.path_in_language(request.get_full_path(), language))
        # Who is sent where depends on the cookie (session, language) and the browser's languages.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    @staticmethod
    def redirect_language(request):
        """The language to send this request to, or None to answer it here."""
        path = request.path_info
        if (
            request.method not in ("GET", "HEAD")
            or languages.path_language(path) is not None
            or path.startswith(NEVER_REDIRECTED)
        ):
            return None
        language = languages.wanted_language(request)
        if language == settings.LANGUAGE_CODE or not exists_in(request, language):
            return None
        return language


def exists_in(request, language):
    """Whether the unprefixed URL has a version in `language`: the app's own pages exist under every
    prefix; a Wagtail page only where it is translated."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.url_name == "wagtail_serve":
        return languages.page_exists_in(request, language)
    return True
