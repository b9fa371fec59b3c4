"""Routing in two queries, whatever the depth: the deepest page whose url_path the request starts with.

Wagtail routes one level at a time (a child lookup and its specific row per level), which costs a
module page six queries before it is served. Every page's url_path is its ancestors' slugs, so the
page at the end of the path, or the deepest one above it, is found with one query on an indexed
column and handed the remaining components, as Wagtail would have: a routable page (a module's
quiz, a path's enrol) still routes its own sub-paths, and a missing page is a 404. Only the page at
the end is checked for `live`, as in Wagtail. No page type between the root and a leaf routes its
own sub-paths (the routable ones are leaves), so walking the levels could never reach another page.
"""

from django.http import Http404
from wagtail.models import Page


class DirectRouteMixin:
    """For a site's root page (every language's home)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            "/".join((self.url_path.rstrip("/"), *path_components[:n])) + "/"
            for n in range(1, len(path_components) + 1)
        ]
        page = Page.objects.filter(url_path__in=prefixes, path__startswith=self.path).order_by("-depth").first()
        if page is None:
            raise Http404
        return page.specific.route(request, path_components[page.depth - self.depth :])
