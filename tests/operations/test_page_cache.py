"""The page cache (learning/operations/page_cache.py) as production runs it: anonymous visitors get a stored copy
until any page changes; signed-in learners never do."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learning.records import progress


@pytest.fixture(autouse=True)
def pages_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-page-cache"},
    }
    settings.ACADEMY_PAGE_CACHE_SECONDS = 300
    from django.core.cache import caches

    caches["pages"].clear()


def anonymous_get(url):
    """A first-time visitor: a new client, so no cookie from an earlier response."""
    return Client().get(url)


def test_second_anonymous_visit_is_served_from_the_cache_in_one_query(academy):
    url = academy["payment-basics"].url
    first = anonymous_get(url)
    with CaptureQueriesContext(connection) as queries:
        second = anonymous_get(url)
    assert second.status_code == 200 and second.content == first.content
    assert len(queries) == 1  # the newest page-log entry, which names the cached version


def test_cached_copy_keeps_the_security_headers(academy):
    url = academy["payment-basics"].url
    anonymous_get(url)
    cached = anonymous_get(url)
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY" and cached["X-Content-Type-Options"] == "nosniff"


def test_publishing_any_page_retires_the_cached_copies(academy):
    module, path = academy["payment-basics"], academy["starter"]
    anonymous_get(module.url), anonymous_get(path.url)
    module.title = "Payments from the ground up"
    module.save_revision().publish()
    assert "Payments from the ground up" in anonymous_get(module.url).content.decode()
    # The path page lists the module's title: it is rendered afresh too, not left stale.
    assert "Payments from the ground up" in anonymous_get(path.url).content.decode()


def test_signed_in_learner_never_gets_the_anonymous_copy(academy, make_user):
    module = academy["payment-basics"]
    anonymous_get(module.url)
    lena = make_user("lena", display_name="Lena Learner")
    learner = Client()
    learner.force_login(lena)
    html = learner.get(module.url).content.decode()
    assert "Sign out Lena Learner" in html and 'name="token"' in html
    assert progress.module_states(user=lena, modules=[module.pk])[module.pk] == progress.STARTED  # the visit counted


def test_module_text_is_cached_per_published_version(academy, make_user):
    module = academy["payment-basics"]
    learner = Client()
    learner.force_login(make_user("lena"))
    learner.get(module.url)
    module.summary = "A new summary."
    module.body = [("text", "<p>Freshly rewritten explanation.</p>")]
    module.save_revision().publish()
    assert "Freshly rewritten explanation." in learner.get(module.url).content.decode()


def test_a_visitor_with_a_pending_message_is_rendered_not_served(academy):
    url = academy["payment-basics"].url
    anonymous_get(url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(url).status_code == 200
    assert len(queries) > 1


def test_a_cache_time_of_zero_turns_the_cache_off(academy, settings):
    settings.ACADEMY_PAGE_CACHE_SECONDS = 0
    url = academy["payment-basics"].url
    anonymous_get(url)
    with CaptureQueriesContext(connection) as queries:
        anonymous_get(url)
    assert len(queries) > 1


def test_each_host_has_its_own_copy(academy):
    """Each Wagtail site has its own pages under the same paths."""
    url = academy["payment-basics"].url
    Client(HTTP_HOST="localhost").get(url)
    with CaptureQueriesContext(connection) as queries:
        assert Client(HTTP_HOST="127.0.0.1").get(url).status_code == 200
    assert len(queries) > 1  # rendered, not localhost's copy


def test_each_language_has_its_own_copy_and_a_german_visitor_never_gets_the_english_one(academy):
    from wagtail.models import Site

    from tests.factories import translation_of

    english = academy["payment-basics"]
    german = translation_of(english, "de", title="Zahlungsgrundlagen")
    assert "Zahlungsgrundlagen" not in anonymous_get(english.url).content.decode()  # the English copy, stored
    first = anonymous_get(german.url)
    with CaptureQueriesContext(connection) as queries:
        second = anonymous_get(german.url)
    assert len(queries) == 1 and second.content == first.content and "Zahlungsgrundlagen" in second.content.decode()
    # Sent to the German page before the stored English copy could be served.
    response = Client(HTTP_ACCEPT_LANGUAGE="de").get(english.url)
    assert response.status_code == 302 and response["Location"] == german.url
    Site.clear_site_root_paths_cache()  # the German home page made here goes with the test


def test_the_apps_own_pages_skip_the_lookup_in_every_language(academy):
    for url in ("/healthz", "/de/healthz", "/pl/healthz"):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        assert len(queries) == 0, url  # not even the curriculum version
