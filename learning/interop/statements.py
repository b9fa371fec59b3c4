"""xAPI 1.0.3 statements for what a learner did, built from the records (learning.records) as they are written.

Each function returns the statements for one record, each with a fixed id (a UUID 5 of BASE_URL and what it
describes: the verb, the record's id and time, the question), so building or sending one again never makes another;
the time keeps a later record that reuses a deleted one's id (SQLite does) from colliding with it in the LRS.
Verbs are ADL's (http://adlnet.gov/expapi/verbs/, as the ADL and cmi5 profiles in
../shared/external/xapi/adl-profiles/ use them). Activities come from activities.py. The actor is an
account on BASE_URL with an opaque id kept per learner (LearnerAccount), or the learner's mailbox where
XAPI_ACTOR is "mbox". The context carries the enrolment's registration (a UUID 5 of the enrolment), the
path (parent) and area (grouping), the platform and the language the learner used.
"""

import uuid
from datetime import UTC

from django.conf import settings
from django.db.models import F
from django.utils import translation

from learning.interop import activities
from learning.interop.models import LearnerAccount
from learning.records.models import Enrolment, ModuleProgress, QuizAttempt
from learning.records.progress import canonical_page

PLATFORM = "E-Commerce Academy"
VERBS = {
    name: {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}
    for name in ("registered", "experienced", "answered", "attempted", "passed", "failed", "completed")
}


def _uuid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, activities.site_url("/xapi/" + "/".join(str(p) for p in parts))))


def timestamp(moment):
    return moment.astimezone(UTC).isoformat()


def actor(user):
    """An account on BASE_URL named by the learner's opaque id; with XAPI_ACTOR "mbox", their e-mail address
    (a learner without one keeps the account)."""
    if getattr(settings, "XAPI_ACTOR", "account") == "mbox" and user.email:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    return {
        "objectType": "Agent",
        "account": {"homePage": activities.site_url("/"), "name": str(LearnerAccount.name_for(user))},
    }


def registration(enrolment):
    return _uuid("registration", enrolment.pk, timestamp(enrolment.enrolled_at))


def enrolment_for(user, module):
    """The learner's enrolment that a module's statements belong to: the earliest still open one in a path
    that has the module, else the earliest finished one; None when they opened it outside any path."""
    enrolments = Enrolment.objects.filter(user=user, path__steps__module=module).select_related("path__locale")
    return enrolments.order_by(F("completed_at").asc(nulls_first=True), "enrolled_at", "pk").first()


def _language():
    return activities.language_tag(translation.get_language() or activities.default_language())


def _statement(*, parts, user, verb, activity, at, context, result=None):
    statement = {
        "id": _uuid(*parts),
        "actor": actor(user),
        "verb": VERBS[verb],
        "object": activity,
        "timestamp": timestamp(at),
        "context": context,
    }
    if result is not None:
        statement["result"] = result
    return statement


def _context(*, enrolment, parents, grouping, language):
    context = {"platform": PLATFORM, "language": language}
    if enrolment is not None:
        context["registration"] = registration(enrolment)
    context_activities = {name: items for name, items in (("parent", parents), ("grouping", grouping)) if items}
    if context_activities:
        context["contextActivities"] = context_activities
    return context


class _Module:
    """A module with what its statements need: its area, the enrolment they belong to and every name."""

    def __init__(self, user, module):
        self.module, self.area = module, activities.module_area(module)
        self.enrolment = enrolment_for(user, module)
        self.path = self.enrolment.path if self.enrolment else None
        self.names = activities.titles_by_language([page for page in (module, self.area, self.path) if page])

    def activity(self):
        return activities.page_activity(self.module, activities.TYPE_MODULE, self.names)

    def area_activity(self):
        return activities.page_activity(self.area, activities.TYPE_AREA, self.names)

    def path_activities(self):
        return [activities.page_activity(self.path, activities.TYPE_PATH, self.names)] if self.path else []

    def context(self, language, *, parents=None, grouping=()):
        """By default the path is the module's parent and its area the grouping."""
        parents = self.path_activities() if parents is None else parents
        return _context(
            enrolment=self.enrolment, parents=parents, grouping=[*grouping, self.area_activity()], language=language
        )


def registered(enrolment):
    """The learner enrolled in (or was assigned) a path."""
    path = enrolment.path
    names = activities.titles_by_language([path])
    return [
        _statement(
            parts=("registered", enrolment.pk, timestamp(enrolment.enrolled_at)),
            user=enrolment.user,
            verb="registered",
            activity=activities.page_activity(path, activities.TYPE_PATH, names),
            at=enrolment.enrolled_at,
            context=_context(enrolment=enrolment, parents=[], grouping=[], language=_language()),
        )
    ]


def module_experienced(progress):
    """The learner opened a module for the first time."""
    about = _Module(progress.user, progress.module)
    return [
        _statement(
            parts=("experienced", "module", progress.pk, timestamp(progress.started_at)),
            user=progress.user,
            verb="experienced",
            activity=about.activity(),
            at=progress.started_at,
            context=about.context(_language()),
        )
    ]


def reading_experienced(visit, at):
    """The learner opened a curated reading (through /go/<id>/): one statement per visit."""
    about = _Module(visit.user, canonical_page(visit.link.module))
    return [
        _statement(
            parts=("experienced", "reading", visit.pk, timestamp(at)),
            user=visit.user,
            verb="experienced",
            activity=activities.reading_activity(visit.link),
            at=at,
            context=about.context(_language(), parents=[about.activity()], grouping=about.path_activities()),
        )
    ]


def _duration(attempt):
    """ISO 8601 time from the learner's first opening of the module, or their previous attempt, whichever is
    later, to this submission (the form's own render time is not kept); None without either."""
    since = [
        *ModuleProgress.objects.filter(user=attempt.user, module=attempt.module).values_list("started_at", flat=True),
        *QuizAttempt.objects.filter(user=attempt.user, module=attempt.module, submitted_at__lt=attempt.submitted_at)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)[:1],
    ]
    since = [moment for moment in since if moment <= attempt.submitted_at]
    if not since:
        return None
    seconds = (attempt.submitted_at - max(since)).total_seconds()
    return f"PT{seconds:.2f}S"


def quiz_submitted(attempt, result, shown):
    """A quiz attempt: one "answered" per question (the learner's response, right or not), then "attempted"
    with the result (raw and scaled score, success, completion, duration), then "passed" or "failed"."""
    user, module = attempt.user, attempt.module
    about = _Module(user, module)
    language = activities.language_tag(shown.locale.language_code)
    quizzes = activities.quizzes_by_language(module)
    quiz = activities.quiz_activity(module, about.names)
    in_quiz = about.context(language, parents=[quiz], grouping=[about.activity(), *about.path_activities()])
    on_module = about.context(language, parents=[about.activity()], grouping=about.path_activities())
    statements = [
        _statement(
            parts=("answered", attempt.pk, timestamp(attempt.submitted_at), answer.question.key),
            user=user,
            verb="answered",
            activity=activities.question_activity(module, answer.question, quizzes),
            at=attempt.submitted_at,
            context=in_quiz,
            result={"response": activities.response_pattern(answer.chosen), "success": answer.correct},
        )
        for answer in result.answers
    ]
    right, total = sum(answer.correct for answer in result.answers), len(result.answers)
    outcome = {
        "score": {"raw": right, "min": 0, "max": total, "scaled": round(right / total, 4) if total else 0},
        "success": result.passed,
        "completion": True,
    }
    duration = _duration(attempt)
    if duration:
        outcome["duration"] = duration
    for verb in ("attempted", "passed" if result.passed else "failed"):
        statements.append(
            _statement(
                parts=(verb, attempt.pk, timestamp(attempt.submitted_at)),
                user=user,
                verb=verb,
                activity=quiz,
                at=attempt.submitted_at,
                context=on_module,
                result=outcome,
            )
        )
    return statements


def module_completed(progress):
    about = _Module(progress.user, progress.module)
    return [
        _statement(
            parts=("completed", "module", progress.pk, timestamp(progress.completed_at)),
            user=progress.user,
            verb="completed",
            activity=about.activity(),
            at=progress.completed_at,
            context=about.context(_language()),
            result={"completion": True},
        )
    ]


def path_completed(enrolment):
    path = enrolment.path
    names = activities.titles_by_language([path])
    return [
        _statement(
            parts=("completed", "path", enrolment.pk, timestamp(enrolment.completed_at)),
            user=enrolment.user,
            verb="completed",
            activity=activities.page_activity(path, activities.TYPE_PATH, names),
            at=enrolment.completed_at,
            context=_context(enrolment=enrolment, parents=[], grouping=[], language=_language()),
            result={"completion": True, "success": True},
        )
    ]
