"""Reads for the signed-in learner (My learning, a path, a module, Continue), each a fixed number of queries
however much they have done."""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from learning.catalogue.caching import curriculum_version
from learning.catalogue.models import PathPage, ReadingLink
from learning.records import progress
from learning.records.models import Certificate, Enrolment, ModuleProgress, QuizAttempt, ReadingVisit


def path_for_viewer(*, path, user):
    """The path's stages; for a signed-in viewer also each step's state, the next step, progress and
    enrolment. 1 query anonymous, 3 signed in."""
    if not user.is_authenticated:
        # The template keeps anonymous stages rendered per curriculum version, so they are only
        # read (the template calls this) when that copy is missing.
        return {"stages": lambda: group_stages(progress.path_steps(path)), "curriculum_version": curriculum_version()}
    steps = progress.path_steps(path)
    summary = progress.path_progress(user=user, path=path, steps=steps)
    for step in steps:
        step.state = summary.states[step.module_id]
        step.is_next = summary.next_module is not None and step.module_id == summary.next_module.pk
    enrolment = Enrolment.objects.filter(user=user, path=path).select_related("assigned_by", "certificate").first()
    return {"stages": group_stages(steps), "summary": summary, "enrolment": enrolment}


def group_stages(steps):
    """Consecutive steps with the same stage label form a stage."""
    return [(label, list(group)) for label, group in groupby(steps, key=lambda step: step.stage)]


@dataclass
class PathOverview:
    enrolment: object
    progress: object
    steps: list

    @property
    def overdue(self):
        """Past its due date and not finished (progress.due_status)."""
        if self.progress.complete:
            return False
        return progress.due_status(self.enrolment.due_date, timezone.localdate()) == progress.OVERDUE

    @property
    def certificate(self):
        """The certificate of a finished path (None while a required module is open)."""
        return getattr(self.enrolment, "certificate", None) if self.progress.complete else None


def _enrolments_due_first(user):
    """The learner's enrolments, the one due soonest first, then the most recently enrolled."""
    return list(
        Enrolment.objects.filter(user=user)
        .select_related("path", "certificate")
        .order_by(F("due_date").asc(nulls_last=True), "-enrolled_at")
    )


def _path_overviews(*, user, enrolments):
    """Each enrolment with its progress: 2 queries (steps, states) however many, 1 with the steps cached."""
    steps_by_path = progress.steps_by_path([e.path_id for e in enrolments])
    states = progress.module_states(user=user, modules={s.module_id for steps in steps_by_path.values() for s in steps})
    return [
        PathOverview(
            enrolment=e,
            progress=progress.summarise(steps_by_path.get(e.path_id, []), states),
            steps=steps_by_path.get(e.path_id, []),
        )
        for e in enrolments
    ]


def _has_been_here(user, enrolments):
    """Whether to welcome the learner back: they have a path or have opened a module (the query only
    runs for someone without a path)."""
    return bool(enrolments) or ModuleProgress.objects.filter(user=user).exists()


def learning_overview(*, user):
    """My learning: finished paths (with their certificates) first, then the open ones, recent
    completions. 4 queries, whatever the number of enrolments, modules or attempts (enrolments,
    steps, states, recent; the page's link to team pages adds one); 1 more for a learner without any path."""
    enrolments = _enrolments_due_first(user)
    paths = _path_overviews(user=user, enrolments=enrolments)
    recent = list(
        ModuleProgress.objects.filter(user=user, state=ModuleProgress.COMPLETED)
        .select_related("module")
        .order_by("-completed_at")[:5]
    )
    return {
        "completed": [item for item in paths if item.certificate],
        "paths": [item for item in paths if not item.certificate],
        "recent": recent,
        "returning": _has_been_here(user, enrolments),
    }


def learner_continue(*, user):
    """The home page's Continue card: the next module of the unfinished path due soonest (then the
    most recently enrolled), or None. 1 query when every path is finished (enrolments), 2 more for
    steps and states otherwise; 1 more (any progress?) for a learner without any path."""
    enrolments = _enrolments_due_first(user)
    unfinished = [e for e in enrolments if e.completed_at is None]
    overviews = _path_overviews(user=user, enrolments=unfinished)
    following = next((item for item in overviews if item.progress.next_module), None)
    return {"continue_with": following, "returning": _has_been_here(user, enrolments)}


def module_for_learner(*, user, module, state, path_slug=None):
    """The signed-in view of a module: opened readings, attempts, and the path around it (the one the
    learner came from, else their first enrolment containing the module). `state` comes from
    progress.module_open, which the visit calls anyway. 4 queries (readings, attempts, path with the
    learner's certificate for it, the curriculum version for its cached steps), whatever the path's length."""
    opened_by_user = ReadingVisit.objects.filter(user=user, link=OuterRef("pk"))
    readings = list(module.readings.annotate(opened=Exists(opened_by_user)))
    attempts = list(QuizAttempt.objects.filter(user=user, module=module).order_by("-submitted_at"))
    # The path around the module: the one the learner came from, else their first enrolment with it.
    paths = PathPage.objects.live().filter(steps__module=module)
    if path_slug:
        paths = paths.filter(slug=path_slug)
    else:
        paths = paths.filter(enrolments__user=user)
    # The learner's certificate for that path, if they have finished it: the "path complete" moment.
    certificate = Certificate.objects.filter(enrolment__user=user, enrolment__path=OuterRef("pk")).values("uid")[:1]
    here = paths.annotate(certificate_uid=Subquery(certificate)).order_by("order").first()
    previous = following = None
    if here:
        modules = [step.module for step in progress.path_steps(here)]
        index = next((i for i, each in enumerate(modules) if each.pk == module.pk), None)
        if index is not None:
            previous = modules[index - 1] if index > 0 else None
            following = modules[index + 1] if index + 1 < len(modules) else None
    return {
        "state": state,
        "complete": state == progress.COMPLETED,
        "readings": readings,
        "opened": {r.pk for r in readings if r.opened},
        "attempts": attempts,
        "passed": any(a.passed for a in attempts),
        "path": here,
        "path_certificate": here.certificate_uid if here else None,
        "previous": previous,
        "next": following,
    }


def certificate_by_uid(uid, *, owner=None):
    """The certificate with this id (of `owner`'s enrolments when given, for the owner's own view), with
    its path and learner, or None. 1 query."""
    certificates = Certificate.objects.select_related("enrolment__path", "enrolment__user").filter(uid=uid)
    if owner is not None:
        certificates = certificates.filter(enrolment__user=owner)
    return certificates.first()


def quiz_attempt_by_form(form_token):
    """The attempt a quiz form became (the first submission of it). 1 query."""
    return QuizAttempt.objects.get(form_token=form_token)


def live_reading(link_id):
    """A curated reading of a live module, with its module, or None. 1 query."""
    return ReadingLink.objects.select_related("module").filter(pk=link_id, module__live=True).first()


def quiz_attempt_for_learner(*, user, module, attempt_id):
    """The learner's own attempt at this module with its answers, or None. 2 queries."""
    return QuizAttempt.objects.prefetch_related("answers").filter(pk=attempt_id, user=user, module=module).first()
