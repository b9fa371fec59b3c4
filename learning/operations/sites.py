"""The site a request is for, without a query: Wagtail looks it up on every request (one query with a
CASE ordering, costlier to build than most), and it changes only when an admin edits a site or its home.

The answer per (host, port) is kept in the "default" cache (Redis with several hosts, else each
worker's memory) with the home page's own row already loaded, and dropped together with Wagtail's site
root paths (learning/operations/site_roots.py: after the commit of any change to a site or a site's
home, in every worker). A copy lives at most a minute, which bounds the one race left: a request that
read the old site just before a change commits and stores it just after.
"""

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

from learning.accounts.languages import path_without_language

KEY = "academy:sites"
# Never a page, and nothing on them asks Wagtail for the site: skip even the cache.
NO_SITE = ("/admin/", "/accounts/", "/static/", "/media/", "/documents/", "/healthz", "/badges/")
LIFETIME = 60


def site_for(request):
    place = (split_domain_port(request.get_host())[0], request.get_port())
    known = cache.get(KEY) or {}
    if place not in known:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018  (loaded now, kept with the copy: routing starts there)
        known = {**known, place: site}
        cache.set(KEY, known, LIFETIME)
    return known[place]


def forget():
    cache.delete(KEY)


class KnownSiteMiddleware:
    """After CommonMiddleware, which refuses hosts not in ALLOWED_HOSTS: only those are kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not path_without_language(request.path).startswith(NO_SITE):
            request._wagtail_site = site_for(request)
        return self.get_response(request)
