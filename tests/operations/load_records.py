"""After a load test: the database holds exactly what the simulated learners saw succeed (attempt
ids, passes, completions, enrolments), nothing lost and nothing twice."""

from django.db.models import Count

from learning.models import Certificate, Enrolment, ModuleProgress, QuizAttempt
from learning.records import progress


def duplicates(queryset, *fields):
    return list(queryset.values(*fields).annotate(n=Count("id")).filter(n__gt=1))


def assert_records_match(learners, users, modules, paths):
    """`modules` and `paths` map URLs to pages; `users` are the learners' accounts."""
    user_ids = {user.username: user.pk for user in users}
    seen_attempts = {a: (user_ids[x.username], modules[url].pk) for x in learners for a, url in x.attempts.items()}
    seen_completed = {(user_ids[x.username], modules[url].pk) for x in learners for url in x.completed}
    seen_passed = {(user_ids[x.username], modules[url].pk) for x in learners for url in x.passed}
    replays = [pair for x in learners for pair in x.replays]
    assert seen_attempts and seen_completed and replays, "the learners did too little to prove anything"

    # Quiz attempts: exactly those the learners were shown, each theirs; a form sent twice made one.
    stored = {a.pk: (a.user_id, a.module_id) for a in QuizAttempt.objects.all()}
    assert stored == seen_attempts
    assert sum(x.forms_submitted for x in learners) == len(seen_attempts)
    assert all(first == again for first, again in replays), [p for p in replays if p[0] != p[1]]
    tokens = list(QuizAttempt.objects.values_list("form_token", flat=True))
    assert None not in tokens and len(set(tokens)) == len(tokens)
    assert set(QuizAttempt.objects.filter(passed=True).values_list("user_id", "module_id")) == seen_passed

    # Progress: one row per (learner, module); completed exactly where completion was accepted.
    assert duplicates(ModuleProgress.objects, "user", "module") == []
    assert set(ModuleProgress.objects.filter(state="completed").values_list("user_id", "module_id")) == seen_completed
    quiz_modules = {m.pk for m in modules.values() if m.quiz}
    assert {pair for pair in seen_completed if pair[1] in quiz_modules} <= seen_passed

    # Enrolments and certificates: one per (learner, path), completed and certified iff the path is.
    assert set(Enrolment.objects.values_list("user_id", "path_id")) == {
        (user_ids[x.username], paths[url].pk) for x in learners for url in x.enrolled
    }
    assert duplicates(Certificate.objects, "enrolment__user", "enrolment__path") == []
    for enrolment in Enrolment.objects.select_related("path").prefetch_related("certificate"):
        done = progress.path_progress(user=enrolment.user, path=enrolment.path).complete
        assert (enrolment.completed_at is not None) == done == hasattr(enrolment, "certificate"), enrolment
