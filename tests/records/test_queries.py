"""Every learner page runs the same number of queries at two data sizes.

S: 4 modules in 1 path, 1 failed attempt per module. L: 30 modules in 4 paths, 3 failed attempts per
module, every module completed. The counts are pinned; each budget is explained in BUDGET.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from learning.models import Certificate, Enrolment, PathPage, QuizAttempt
from learning.records import services
from tests.factories import import_generated, work_through

# Routing: the site and its home come from the cache (learning/operations/sites.py), then the default locale,
# the page by its url_path and its own row whatever the depth (learning/catalogue/routing.py), plus alias and
# view-restriction checks where Wagtail makes them: 3 for the home page, 4 for a path, 3 for a module, where
# Wagtail's own site look-up and level-by-level routing took 5, 8 and 9. The session and the user: 2.
# "steps" is the curriculum version plus the steps themselves: tests run with the pages cache off;
# a running server keeps the steps per version and skips that second query.
BUDGET = {
    "home": 10,  # routing 3, locale, paths, path stats, session, user, the learner's enrolments for the Continue
    #              card (every path here is finished; an unfinished one adds its steps (2) and states), the
    #              recently completed modules
    "path (signed in)": 11,  # routing 4, session, user, steps (2), states, enrolment (+certificate), page locale
    "module (signed in)": 16,  # routing 3, session, user, locale, progress row (read; written at most once a
    #                            minute), readings (+opened), attempts, path here, steps (2), area, the
    #                            states of the path's steps (the side column), and, the module being completed,
    #                            its significant revisions since (records/revisions.py)
    "quiz result": 16,  # routing 3, session, user, attempt, answers, locale, state, readings (+opened), attempts,
    #                     path here, steps (2), area
    "my learning": 10,  # session, user, enrolments (+path, certificate), steps (2), states, recent, teams,
    #                     reviews due (a count: records/practice.py), modules updated since completed (revisions.py)
    "certificate": 3,  # session, user, certificate (+enrolment, path, user)
    "search": 9,  # session, user, areas, paths (the filters' options), modules, their readings, their tags
    #                (ranked in python: catalogue/search.py), matching paths, matching areas
}


def build(tmp_path, client, make_user, prefix, modules, paths, failed):
    import_generated(tmp_path / prefix, modules=modules, paths=paths, prefix=prefix)
    user = make_user(f"{prefix}-learner")
    generated = list(PathPage.objects.filter(slug__startswith=f"{prefix}-path"))
    for path in generated:
        services.enrolment_create(user=user, path=path)
    module_pages = [page.specific for page in Page.objects.filter(slug__startswith=f"{prefix}-module").order_by("path")]
    work_through(user, module_pages, failed_attempts=failed)
    client.force_login(user)
    module = module_pages[1]
    attempt = QuizAttempt.objects.filter(user=user, module=module).first()
    certificate = Certificate.objects.filter(enrolment__user=user).first()
    urls = {
        "home": "/",
        "path (signed in)": generated[0].url,
        "module (signed in)": module.url,
        "quiz result": f"{module.url}quiz/{attempt.pk}/",
        "my learning": "/learn/",
        "certificate": f"/certificates/{certificate.uid}/",
        "search": "/search/?q=generated",
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm Wagtail's site-root cache, as on a running server
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[name] = len(queries)
    return counts, Enrolment.objects.filter(user=user).count()


@pytest.mark.django_db
def test_learner_pages_run_a_fixed_number_of_queries(tmp_path, client, make_user):
    small, small_enrolments = build(tmp_path, client, make_user, "s", modules=4, paths=1, failed=1)
    large, large_enrolments = build(tmp_path, client, make_user, "l", modules=30, paths=4, failed=3)
    assert (small_enrolments, large_enrolments) == (1, 4)
    print("query counts", small)
    assert small == large
    for name, count in small.items():
        assert count == BUDGET[name], f"{name}: {count} queries, pinned at {BUDGET[name]}"


# The same pages in German (the path and every other module translated) for a learner who prefers German,
# the same at both sizes. German routing adds the German home's look-up (and, under an area that is an alias of
# the English one, the alias's original).
GERMAN_BUDGET = {
    "path (signed in)": 14,  # the English path page's 11, the German home, the steps' translations (1 query)
    "module (signed in)": 21,  # routing 7, session, user, page locale, the English module (progress is kept
    #                            on it), progress row, readings (+opened), attempts, path here, steps (2),
    #                            the steps' translations, the states of the path's steps (the side column),
    #                            significant revisions since the completion
    "quiz result": 21,  # routing 7, session, user, page locale, the English module, attempt, answers, state,
    #                     readings (+opened), attempts, path here, steps (2), the steps' translations
    "untranslated module (notice)": 18,  # an English module, without a German one: routing 5, session, user,
    #                                      whether it exists in German (the language redirect), page locale,
    #                                      progress row, readings, attempts, path here, steps (2), the
    #                                      states of the path's steps, whether it exists in German (the notice),
    #                                      and significant revisions since the completion
}


def build_german(tmp_path, client, make_user, prefix, modules):
    from tests.records.test_languages import translate

    import_generated(tmp_path / prefix, modules=modules, paths=1, prefix=prefix)
    user = make_user(f"{prefix}-learner", preferred_language="de")
    path = PathPage.objects.get(slug=f"{prefix}-path-0")
    services.enrolment_create(user=user, path=path)
    module_pages = [page.specific for page in Page.objects.filter(slug__startswith=f"{prefix}-module").order_by("path")]
    work_through(user, module_pages[:3], failed_attempts=1)
    german_path = translate(path, "de", f"Pfad {prefix}")
    german = [translate(module, "de", f"Modul {i}") for i, module in enumerate(module_pages) if i % 2 == 0]
    client.force_login(user)
    attempt = QuizAttempt.objects.filter(user=user, module=module_pages[2]).first()
    urls = {
        "path (signed in)": german_path.url,
        "module (signed in)": f"{german[1].url}?path={path.slug}",
        "quiz result": f"{german[1].url}quiz/{attempt.pk}/?path={path.slug}",
        "untranslated module (notice)": module_pages[1].url,
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, url
        counts[name] = len(queries)
    assert response.context["untranslated_notice"] is not None
    return counts


@pytest.mark.django_db
def test_german_pages_run_a_fixed_number_of_queries(tmp_path, client, make_user):
    small = build_german(tmp_path, client, make_user, "s", modules=4)
    large = build_german(tmp_path, client, make_user, "l", modules=16)
    print("query counts", small)
    assert small == large
    for name, count in small.items():
        assert count == GERMAN_BUDGET[name], f"{name}: {count} queries, pinned at {GERMAN_BUDGET[name]}"
