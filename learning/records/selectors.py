"""Reads for the signed-in learner (My learning, a path, a module, Continue), each a fixed number of queries
however much they have done."""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Case, Exists, F, OuterRef, Subquery, Value, When
from django.utils import timezone

from learning.catalogue import selectors as catalogue
from learning.catalogue.caching import curriculum_version
from learning.catalogue.models import PathPage, ReadingLink
from learning.records import progress
from learning.records.models import Certificate, Enrolment, ModuleProgress, QuizAttempt, ReadingVisit


def path_for_viewer(*, path, user):
    """The path's stages in the page's language (progress.steps_in_language); for a signed-in viewer also
    each step's state, the next step, progress and enrolment, all read from the records of the path and
    modules in the default language. 1 query anonymous, 3 signed in, 1 more on a page in another language
    (the steps' translations), however many steps."""
    if not user.is_authenticated:
        # The template keeps anonymous stages rendered per curriculum version, so they are only
        # read (the template calls this) when that copy is missing.
        return {
            "stages": lambda: group_stages(progress.steps_in_language(progress.path_steps(path))),
            "curriculum_version": curriculum_version(),
        }
    steps = progress.steps_in_language(progress.path_steps(path))
    summary = progress.path_progress(user=user, path=path, steps=steps)
    for step in steps:
        step.state = summary.states[step.module_id]
        step.is_next = summary.next_module is not None and step.module.pk == summary.next_module.pk
    enrolment = (
        Enrolment.objects.filter(user=user, path__in=_default_language_versions(path))
        .select_related("assigned_by", "certificate")
        .first()
    )
    return {"stages": group_stages(steps), "summary": summary, "enrolment": enrolment}


def _default_language_versions(page):
    """The page's version in the default language, as a queryset to filter on (a join, not a query)."""
    return type(page).objects.filter(
        translation_key=page.translation_key, locale__language_code=catalogue.default_language()
    )


def group_stages(steps):
    """Consecutive steps with the same stage label form a stage."""
    return [(label, list(group)) for label, group in groupby(steps, key=lambda step: step.stage)]


@dataclass
class PathOverview:
    enrolment: object
    progress: object
    steps: list
    # What My learning and the Continue card link: the path and its next module in the reader's language
    # where translated (shown_in), else the default-language pages the records are kept on.
    path: object = None
    next_module: object = None

    def __post_init__(self):
        self.path = self.path or self.enrolment.path
        self.next_module = self.next_module or self.progress.next_module

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


def _shown_in(language, overviews, recent=()):
    """Point the overviews' paths and next modules, and the recent rows' modules (row.shown), at their live
    versions in `language` where there are some. None in the default language, else 2 queries (paths,
    modules) however many."""
    for row in recent:
        row.shown = row.module
    if language == catalogue.default_language() or not (overviews or recent):
        return
    paths = catalogue.translations_in("PathPage", [item.path.translation_key for item in overviews], language)
    next_modules = [item.next_module for item in overviews if item.next_module]
    modules = catalogue.translations_in(
        "ModulePage", [module.translation_key for module in [*next_modules, *(row.module for row in recent)]], language
    )
    for item in overviews:
        item.path = paths.get(item.path.translation_key, item.path)
        if item.next_module:
            item.next_module = modules.get(item.next_module.translation_key, item.next_module)
    for row in recent:
        row.shown = modules.get(row.module.translation_key, row.module)


def _recently_completed(user):
    """The learner's five latest completed modules, newest first: 1 query."""
    return list(
        ModuleProgress.objects.filter(user=user, state=ModuleProgress.COMPLETED)
        .select_related("module")
        .order_by("-completed_at")[:5]
    )


def learning_overview(*, user, language=None):
    """My learning: finished paths (with their certificates) first, then the open ones, recent
    completions, linked in `language` where translated (by default the default language). 4 queries,
    whatever the number of enrolments, modules or attempts (enrolments, steps, states, recent; the page's
    link to team pages adds one); 1 more for a learner without any path; 2 more in another language."""
    enrolments = _enrolments_due_first(user)
    paths = _path_overviews(user=user, enrolments=enrolments)
    recent = _recently_completed(user)
    _shown_in(language or catalogue.default_language(), paths, recent)
    return {
        "completed": [item for item in paths if item.certificate],
        "paths": [item for item in paths if not item.certificate],
        "recent": recent,
        "returning": _has_been_here(user, enrolments),
    }


def learner_home(*, user, language=None):
    """The signed-in home page: Continue (the next module, progress.summarise, of the unfinished path due
    soonest, then the most recently enrolled), the unfinished paths with their progress, and the recent
    completions, linked in `language` where translated. 2 queries when every path is finished
    (enrolments, recent), 3 more for steps and states otherwise; 1 more (any progress?) for a learner
    without any path; 2 more in another language than the default."""
    enrolments = _enrolments_due_first(user)
    unfinished = _path_overviews(user=user, enrolments=[e for e in enrolments if e.completed_at is None])
    recent = _recently_completed(user)
    _shown_in(language or catalogue.default_language(), unfinished, recent)
    return {
        "continue_with": next((item for item in unfinished if item.progress.next_module), None),
        "paths_in_progress": unfinished,
        "recent": recent,
        "returning": _has_been_here(user, enrolments),
    }


def _path_around(*, user, page, path_slug):
    """The path a module page sits in: the one the learner came from (?path=), else the first they are
    enrolled in that has the module; its version in the page's language where one is live, else the
    default language's. Annotated with the learner's certificate for it, if they finished it. 1 query."""
    language = page.locale.language_code
    paths = (
        PathPage.objects.live()
        .filter(steps__module__translation_key=page.translation_key)
        .filter(locale__language_code__in={language, catalogue.default_language()})
    )
    if path_slug:
        paths = paths.filter(slug=path_slug)
    else:
        paths = paths.filter(
            Exists(Enrolment.objects.filter(user=user, path__translation_key=OuterRef("translation_key")))
        )
    # Enrolments and certificates are kept on the default language's path, which shares the translation key.
    certificate = Certificate.objects.filter(
        enrolment__user=user, enrolment__path__translation_key=OuterRef("translation_key")
    ).values("uid")[:1]
    elsewhere = Case(When(locale__language_code=language, then=Value(0)), default=Value(1))
    return (
        paths.annotate(certificate_uid=Subquery(certificate), elsewhere=elsewhere)
        .order_by("elsewhere", "order")
        .first()
    )


def module_for_learner(*, user, module, original, state, path_slug=None):
    """The signed-in view of a module page (`module`, in any language): its readings with those the
    learner opened, the attempts and state kept on `original` (its default-language version), and the path
    around it with the previous and next module in the page's language. `state` comes from
    progress.module_open, which the visit calls anyway. 4 queries (readings, attempts, path with the
    learner's certificate for it, the curriculum version for its cached steps), whatever the path's length;
    1 more (the steps' translations) on a page in another language."""
    opened_by_user = ReadingVisit.objects.filter(user=user, link=OuterRef("pk"))
    readings = list(module.readings.annotate(opened=Exists(opened_by_user)))
    attempts = list(QuizAttempt.objects.filter(user=user, module=original).order_by("-submitted_at"))
    here = _path_around(user=user, page=module, path_slug=path_slug)
    previous = following = None
    steps = []
    if here:
        steps = progress.steps_in_language(progress.path_steps(here), module.locale.language_code)
        modules = [step.module for step in steps]
        index = next((i for i, each in enumerate(modules) if each.translation_key == module.translation_key), None)
        if index is not None:
            previous = modules[index - 1] if index > 0 else None
            following = modules[index + 1] if index + 1 < len(modules) else None
    return {
        "state": state,
        "complete": progress.is_finished(state),
        "readings": readings,
        "opened": {r.pk for r in readings if r.opened},
        "attempts": attempts,
        "passed": any(a.passed for a in attempts),
        "path": here,
        "path_certificate": here.certificate_uid if here else None,
        "previous": previous,
        "next": following,
        "path_steps": steps,
    }


def path_beside_module(*, user, steps, module):
    """The path around a module page, for its side column: each step (module_for_learner's path_steps, in
    the page's language) with the learner's state and whether it is this module, and the path's progress,
    by progress.summarise. 1 query (the states), however long the path; none without a path."""
    if not steps:
        return None
    summary = progress.summarise(steps, progress.module_states(user=user, modules=[step.module_id for step in steps]))
    next_id = summary.next_module.pk if summary.next_module else None
    for step in steps:
        step.state = summary.states[step.module_id]
        step.is_current = step.module.translation_key == module.translation_key
        step.is_next = step.module.pk == next_id
    return {"stages": group_stages(steps), "summary": summary}


def certificate_by_uid(uid, *, owner=None):
    """The certificate with this id (of `owner`'s enrolments when given, for the owner's own view), with
    its path and learner, or None. 1 query."""
    certificates = Certificate.objects.select_related("enrolment__path", "enrolment__user").filter(uid=uid)
    if owner is not None:
        certificates = certificates.filter(enrolment__user=owner)
    return certificates.first()


def page_in_language(page, language):
    """The live version in `language` of a default-language page (what records are kept on), else the page
    itself. No query in the default language, 1 in another."""
    if language == catalogue.default_language():
        return page
    return catalogue.translations_in(type(page).__name__, [page.translation_key], language).get(
        page.translation_key, page
    )


def quiz_attempt_by_form(form_token):
    """The attempt a quiz form became (the first submission of it). 1 query."""
    return QuizAttempt.objects.get(form_token=form_token)


def live_reading(link_id):
    """A curated reading of a live module, with its module, or None. 1 query."""
    return ReadingLink.objects.select_related("module").filter(pk=link_id, module__live=True).first()


def quiz_attempt_for_learner(*, user, module, attempt_id):
    """The learner's own attempt at this module with its answers, or None. 2 queries."""
    return QuizAttempt.objects.prefetch_related("answers").filter(pk=attempt_id, user=user, module=module).first()
