"""The team page as rendered, kept for the next look at the same selection: a manager checks the same
filters again and again, and a team of 50 costs five times a bare page to render (the matrix, the
chart, the forms of the action bar).

The key is everything the page shows: the team's state (member_facts.state_key: the day, the
curriculum, the members and their state versions, the page's own writes), the manager's user row
(their name, language and role in the header), the team's name, the privacy setting, the language,
the URL with its filters, and the CSRF secret the action forms were signed with. A copy is never
older than what its key names; it lives FACTS_SECONDS, as the facts do, which bounds the one thing
the key leaves out: a member renaming themself.
"""

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from learning.teams import member_facts, permissions


def _key(request, team):
    user = request.user
    row = repr([getattr(user, field.attname) for field in user._meta.concrete_fields])
    viewer = f"{row}\0{request.META['CSRF_COOKIE']}\0{team.name}\0{permissions.managers_see_scores()}"
    state = member_facts.state_key(team, today=timezone.localdate())
    digest = hashlib.blake2b(viewer.encode(), digest_size=16).hexdigest()
    return f"academy:team-page:{state}:{user.pk}:{digest}:{get_language()}:{request.get_full_path()}"


def cached(request, team, render_page):
    """The page from the cache, or rendered by `render_page()` and kept when nothing personal to this
    one response (a message, a new CSRF secret, a changed session) went into it."""
    if (
        request.method != "GET"
        or "CSRF_COOKIE" not in request.META
        or "messages" in request.COOKIES
        or "_messages" in request.session
    ):
        return render_page()
    key, secret = _key(request, team), request.META["CSRF_COOKIE"]
    content = caches["pages"].get(key)
    if content is not None:
        return HttpResponse(content)
    response = render_page()
    if (
        response.status_code == 200
        and not request.session.modified
        and request.META.get("CSRF_COOKIE") == secret
        and not len(get_messages(request))
    ):
        caches["pages"].set(key, response.content, member_facts.FACTS_SECONDS)
    return response
