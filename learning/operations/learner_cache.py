"""A signed-in learner's pages, stored per learner and served before Wagtail routes the request.

A learner's module, path, catalogue and My learning pages are a function of who they are, their records
and the curriculum, so the key names exactly those: the user row as loaded for this request (which
carries User.progress_version, bumped with every write to their records: learning/records/
learner_state.py), the curriculum version (a page changed anywhere), the host, language and full path,
the day (due dates read "due soon" by the day), and the CSRF secret the page's forms were signed
with. A stored copy is therefore never older than the state the request reads: there is nothing to
invalidate. The user row and the curriculum version cost the queries a bare page pays anyway, so a
hit costs about what an empty page does.

Only pages that opt in are stored (learning.catalogue.caching.allow, the same promise the anonymous
page cache relies on), only as rendered for a GET with no message waiting, and
only when rendering set no cookie and changed no session. A copy lives at most LAST_SEEN_RESOLUTION:
opening a module refreshes its "last seen" at most once a minute, and serving a copy skips that write,
so a copy never outlives the minute in which the write would have happened.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from learning.accounts.languages import path_without_language
from learning.catalogue.caching import curriculum_version
from learning.operations.page_cache import NOT_PAGES
from learning.records.progress import LAST_SEEN_RESOLUTION

# Pages under these prefixes are looked up; everything else in NOT_PAGES never is.
LEARNER_PAGES = ("/learn/",)
# The paths this process has seen a storable rendering of. Others are not looked up, so a page that
# never opts in (a bare page, a team page) pays neither the curriculum version's query nor the cache.
# A hint only: a path's first signed-in visit after a restart is rendered, not stored.
_storable_paths = set()
MAX_PATHS = 20_000


def learner_key(request):
    user = request.user
    # Every column of the row, so a changed name, language or role shows at once; the version among them.
    row = repr([getattr(user, field.attname) for field in user._meta.concrete_fields])
    secret = request.META.get("CSRF_COOKIE", "")
    fingerprint = hashlib.blake2b(f"{row}\0{secret}".encode(), digest_size=16).hexdigest()
    return (
        f"academy:learner:{user.pk}:{user.progress_version}:{curriculum_version()}:{timezone.localdate()}:"
        f"{fingerprint}:{request.get_host()}:{get_language()}:{request.get_full_path()}"
    )


class LearnerPageCacheMiddleware:
    """After authentication, CSRF and messages (it reads all three), next to the anonymous page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        place = (request.get_host(), request.path)
        if place not in _storable_paths:
            response = self.get_response(request)
            if self.storable(request, response, request.META.get("CSRF_COOKIE")) and len(_storable_paths) < MAX_PATHS:
                _storable_paths.add(place)
            return response
        key = learner_key(request)
        cached = caches["pages"].get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        secret = request.META.get("CSRF_COOKIE")
        response = self.get_response(request)
        if self.storable(request, response, secret):
            headers = {name: value for name, value in response.items() if name.lower() != "set-cookie"}
            caches["pages"].set(key, (response.content, headers), LAST_SEEN_RESOLUTION.total_seconds())
        return response

    @staticmethod
    def applies(request):
        if not settings.ACADEMY_LEARNER_PAGE_CACHE or request.method != "GET":
            return False
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or "messages" in request.COOKIES:
            return False
        # Without a CSRF secret the page would make one and set its cookie: nothing to store.
        if "CSRF_COOKIE" not in request.META:
            return False
        path = path_without_language(request.path)
        if path.startswith(NOT_PAGES) and not path.startswith(LEARNER_PAGES):
            return False
        return request.user.is_authenticated and "_messages" not in request.session

    @staticmethod
    def storable(request, response, secret):
        return (
            getattr(request, "academy_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            # The forms on the page were signed with the secret the key names, and no new one was made.
            and request.META.get("CSRF_COOKIE") == secret
            and not len(get_messages(request))
        )
