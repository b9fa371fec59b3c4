"""The learner page cache (learning/operations/learner_cache.py) as production runs it: a signed-in
learner's module, path and My learning pages come from a per-learner copy, and every write they would
see shows on the very next request, in this worker and in one whose copy was made before the write.

"Another worker" is a second LocMemCache (another LOCATION): each gunicorn worker keeps its own, and
the copy it holds from before a write must not be served after it. The real processes and hosts are
tests/operations/test_multihost.py's.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from learning.models import Enrolment, ModuleProgress, QuizAttempt
from learning.records import learner_state, progress, services
from tests.factories import translation_of
from tests.records.test_languages import right_answers


def use_worker(settings, name):
    """Route the next requests to the worker whose private cache is called `name`."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"worker-{name}"},
    }


@pytest.fixture(autouse=True)
def learner_cache(settings):
    settings.ACADEMY_LEARNER_PAGE_CACHE = True
    for name in ("b", "a"):
        use_worker(settings, name)
        caches["pages"].clear()


@pytest.fixture
def lena(make_user):
    return make_user("lena", display_name="Lena Learner")


@pytest.fixture
def signed_in(lena):
    client = Client()
    client.force_login(lena)
    return client


def warm(client, url):
    """Visit until this worker serves a stored copy: the first visit sets the CSRF cookie, the second
    teaches the worker that the page is storable and stores it."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
    return response


def served_from_cache(client, url):
    """Whether this worker answers from its copy: no template is rendered for a stored page."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context is None, response


def test_second_visit_is_the_stored_copy_in_three_queries(academy, signed_in):
    url = academy["payment-basics"].url
    first = warm(signed_in, url)
    with CaptureQueriesContext(connection) as queries:
        cached, second = served_from_cache(signed_in, url)
    assert cached and second.content == first.content
    # The session, the user (their progress_version is the key) and the curriculum version.
    assert [q["sql"].split(" FROM ")[1].split()[0] for q in queries] == [
        '"django_session"',
        '"learning_user"',
        '"wagtailcore_pagelogentry"',
    ]
    assert second["Cache-Control"] == first["Cache-Control"]  # never stored by the signed_in (the quiz token)
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_every_learner_gets_their_own_copy(academy, signed_in, make_user):
    url = academy["payment-basics"].url
    warm(signed_in, url)
    max_ = Client()
    max_.force_login(make_user("max", display_name="Max Mustermann"))
    page = warm(max_, url).content.decode()
    assert "Max Mustermann" in page and "Lena Learner" not in page


@pytest.mark.parametrize("worker", ["a", "b"])
def test_a_quiz_submission_shows_on_the_next_request(academy, signed_in, settings, worker):
    module = academy["payment-basics"]
    use_worker(settings, "b")
    before_b = warm(signed_in, module.url)
    use_worker(settings, "a")
    page = warm(signed_in, module.url)
    token = page.context["quiz_form"]["token"] if page.context else None
    token = token or page.content.decode().split('name="token" value="')[1].split('"')[0]
    assert signed_in.post(module.url + "quiz/", {"token": token, **right_answers(module)}).status_code == 302
    attempt = QuizAttempt.objects.get(user__username="lena")
    use_worker(settings, worker)
    cached, after = served_from_cache(signed_in, module.url)
    assert not cached and after.context["passed"] and after.context["attempts"][0].pk == attempt.pk
    assert after.content != before_b.content
    # The new page carries a fresh form: its token names the next attempt, not the one just made.
    assert after.context["quiz_form"]["token"] != token


def test_a_completion_shows_on_the_next_request_of_another_worker(academy, signed_in, settings, lena):
    module = academy["withdrawal"] if not academy["withdrawal"].quiz else academy["consent"]
    use_worker(settings, "b")
    warm(signed_in, module.url)
    progress.module_open(user=lena, module=module)
    if module.quiz:
        services.quiz_attempt_submit(user=lena, module=module, answers=right_answers_plain(module))
    assert progress.module_complete(user=lena, module=module)
    cached, after = served_from_cache(signed_in, module.url)
    assert not cached and after.context["state"] == progress.COMPLETED


def right_answers_plain(module):
    return {key[2:]: value for key, value in right_answers(module).items()}


def test_an_enrolment_by_a_manager_shows_on_path_page_and_my_learning(academy, signed_in, settings, lena, make_user):
    path = academy["starter"]
    use_worker(settings, "b")
    warm(signed_in, path.url), warm(signed_in, "/learn/")
    services.assignment_create(manager=make_user("mia"), members=[lena], path=path, due_in_days=5)
    for url in (path.url, "/learn/"):
        cached, after = served_from_cache(signed_in, url)
        assert not cached, url
    assert Enrolment.objects.get(user=lena, path=path).source == Enrolment.ASSIGNED
    assert path.title in after.content.decode()


def test_a_reading_visit_shows_on_the_next_request(academy, signed_in, settings):
    module = academy["payment-basics"]
    reading = module.readings.first()
    use_worker(settings, "b")
    before = warm(signed_in, module.url)
    use_worker(settings, "a")
    assert signed_in.get(f"/go/{reading.pk}/").status_code == 302
    use_worker(settings, "b")
    cached, after = served_from_cache(signed_in, module.url)
    assert not cached and reading.pk in after.context["opened"] and after.content != before.content


def test_publish_and_unpublish_show_on_the_next_request(academy, signed_in, settings):
    module, path = academy["payment-basics"], academy["starter"]
    warm(signed_in, module.url), warm(signed_in, path.url)
    module.title = "Payments from the ground up"
    module.save_revision().publish()
    assert "Payments from the ground up" in signed_in.get(module.url).content.decode()
    assert "Payments from the ground up" in signed_in.get(path.url).content.decode()
    warm(signed_in, module.url)
    module.unpublish()
    assert signed_in.get(module.url).status_code == 404


def test_a_new_translation_shows_on_the_next_request(academy, signed_in, settings, lena):
    module = academy["shipping"]
    german = Locale.objects.get(language_code="de")
    if module.get_translation_or_none(german):
        pytest.fail("the fixture must have an untranslated module for this test")
    lena.preferred_language = "de"
    lena.save()
    before = warm(signed_in, module.url)
    assert before.status_code == 200
    translation_of(module, "de", title="Versand")
    # A learner who prefers German is sent to the German page now that there is one.
    response = signed_in.get(module.url)
    assert response.status_code == 302 and response["Location"].startswith("/de/")
    assert "Versand" in signed_in.get(response["Location"]).content.decode()


def test_a_profile_change_shows_on_the_next_request(academy, signed_in, lena):
    url = academy["payment-basics"].url
    warm(signed_in, url)
    lena.display_name = "Lena Lernende"
    lena.save()
    assert "Lena Lernende" in signed_in.get(url).content.decode()


def test_a_full_save_of_the_user_never_takes_the_version_back(lena):
    """A profile saved from a row read before the learner's last write must not undo its bump."""
    stale = type(lena).objects.get(pk=lena.pk)
    learner_state.changed(lena)
    stale.display_name = "Lena L."
    stale.save()
    lena.refresh_from_db()
    assert lena.progress_version == 1 and lena.display_name == "Lena L."


def test_joining_a_team_bumps_the_learner(lena):
    from learning.models import Team, TeamMember

    team = Team.objects.create(name="Shop")
    team.members.add(lena)
    lena.refresh_from_db()
    joined = lena.progress_version
    assert joined > 0
    team.members.clear()
    lena.refresh_from_db()
    assert lena.progress_version > joined
    # The admin writes the rows themselves (its chooser), not through team.members.
    TeamMember.objects.create(team=team, user=lena)
    lena.refresh_from_db()
    assert lena.progress_version > joined + 1


def test_a_message_is_never_stored_nor_served_from_a_copy(academy, signed_in):
    module = academy["withdrawal"]
    warm(signed_in, module.url)
    response = signed_in.post(module.url + "complete/", follow=True)
    assert response.status_code == 200 and response.context is not None  # rendered, with its message
    assert ModuleProgress.objects.filter(user__username="lena").exists()
