"""What the caches key on, and which pages may be stored whole for anonymous visitors.

The curriculum version is the newest entry in Wagtail's page log: every publish, unpublish, move and
delete writes one, so keying a cache on it retires every copy when any page changes, with nothing to
invalidate by hand. The page cache itself (learning.operations.page_cache) and the path-steps cache
(learning.records.progress) both key on it.
"""

from wagtail.models import PageLogEntry


def curriculum_version():
    """The newest entry in Wagtail's page log. Every publish, unpublish, move and delete of a page
    writes one, so this changes whenever any page, a path's steps or a module's title may have."""
    return PageLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()


def allow(request):
    """Called by pages and views whose rendering depends only on who is asking (nobody, or a learner
    with their records), the curriculum, the language and the URL: the anonymous page cache stores
    them for every visitor, the learner page cache per learner (learning/operations/)."""
    request.academy_page_cacheable = True


class AnonymousPageCacheMixin:
    def serve(self, request, *args, **kwargs):
        allow(request)
        return super().serve(request, *args, **kwargs)
