"""Every progress rule, in one place. Views, templates (through academy_tags), exports, reports and mails
call these; none recompute.

- Records are kept on the page in the default language (canonical_page), whichever language the learner
  used: progress, quiz attempts, enrolments, certificates. A path page in another language lists its steps
  in that language where a module has a translation (steps_in_language), with the default-language
  module's id, the one its progress is kept on.
- A module without a progress row is not started (state_of; module_states fills in every id).
- A module may be completed once opened and, where it has a quiz, the quiz passed (may_complete).
  Completing is idempotent and safe under concurrent requests (module_complete).
- A module with a quiz may be tested out of before the learner took its quiz (may_test_out): passing
  at ACADEMY_TEST_OUT_MARK completes it, shown as TESTED_OUT, which counts as done everywhere (FINISHED).
- A path's progress is its completed required modules over its required modules; the next step is
  the first incomplete required module in path order, then the first incomplete elective (summarise).
- An enrolment completes when its path does, and a certificate is issued with it (enrolments_refresh).
- A due date is overdue the day after it and due soon on it and the DUE_SOON_DAYS days before
  (due_status); an assigned path's status adds done, not started and on track (assignment_status).
- What a state or a status is called: STATE_LABELS and STATUS_LABELS.
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.catalogue import selectors as catalogue
from learning.catalogue.caching import curriculum_version
from learning.catalogue.models import PathStep
from learning.records import events, learner_state
from learning.records.db import get_or_create_once
from learning.records.models import Certificate, Enrolment, ModuleProgress, QuizAttempt

# A module's state: the stored ones are the model's choices; a module without a row is NOT_STARTED.
NOT_STARTED, STARTED, COMPLETED = "not_started", ModuleProgress.STARTED, ModuleProgress.COMPLETED
# A completed row with tested_out set is shown as TESTED_OUT: stored COMPLETED (so queries counting
# completions count it), read through shown_state() so maps and labels tell it apart.
TESTED_OUT = "tested_out"
FINISHED = frozenset({COMPLETED, TESTED_OUT})
STATE_LABELS = {NOT_STARTED: _("Not started"), **dict(ModuleProgress.STATES), TESTED_OUT: _("Tested out")}


def shown_state():
    """The state as shown, for .values_list() over ModuleProgress: TESTED_OUT for a tested-out row."""
    return Case(When(tested_out=True, then=Value(TESTED_OUT)), default=F("state"))


def state_of_row(row):
    """shown_state() for a ModuleProgress row already loaded."""
    return TESTED_OUT if row.tested_out else row.state


def is_finished(state):
    """Done, whether studied or tested out: what paths, certificates and reviews count."""
    return state in FINISHED


def state_of(states, module_id):
    """The module's state in a {module id: stored state} map: no row means not started."""
    return states.get(module_id, NOT_STARTED)


def canonical_page(page):
    """The page's version in the default language, which every record is keyed to whatever language the
    learner used (a page without one is its own). 1 query, 2 for a translation."""
    default = catalogue.default_language()
    if page.locale.language_code == default:
        return page
    return (
        type(page).objects.filter(translation_key=page.translation_key, locale__language_code=default).first() or page
    )


canonical_module = canonical_page


def _get_or_create_progress(user, module):
    return get_or_create_once(ModuleProgress, user=user, module=module)[0]


# How fresh "last seen" is kept: within a minute of the last write, opening a module again is a
# read, not a write, so reading pages never queue behind each other on SQLite's single writer.
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def module_open(*, user, module):
    """Record that the learner opened the module and return its state: starts it once; later visits
    refresh last_seen_at at most once a minute. 1 query on a repeat visit."""
    now = timezone.now()
    row = (
        ModuleProgress.objects.filter(user=user, module=module).values_list("pk", shown_state(), "last_seen_at").first()
    )
    if row is None:
        with transaction.atomic():
            progress, created = get_or_create_once(ModuleProgress, user=user, module=module)
            if created:  # the first opening only; the xAPI outbox writes in this transaction
                events.module_opened.send(sender=ModuleProgress, progress=progress)
        return progress.state
    pk, state, last_seen_at = row
    if now - last_seen_at >= LAST_SEEN_RESOLUTION:
        ModuleProgress.objects.filter(pk=pk).update(last_seen_at=now)
    return state


def _quiz_passed(*, user, module):
    return QuizAttempt.objects.filter(user=user, module=module, passed=True).exists()


def may_complete(*, state, has_quiz, quiz_passed):
    """The rule: a module not yet complete may be completed once opened, and its quiz passed where
    it has one. Pure, so the module page (which has the facts already) and module_complete share it."""
    return state == STARTED and (not has_quiz or quiz_passed)


def can_complete(*, user, module):
    """may_complete for a learner, read from the database: 2 queries at most."""
    state = module_state(user=user, module=module)
    if is_finished(state):
        return True  # completing again is a no-op, not a refusal
    return may_complete(
        state=state,
        has_quiz=bool(module.quiz),
        quiz_passed=bool(module.quiz) and _quiz_passed(user=user, module=module),
    )


def module_complete(*, user, module, at=None):
    """Mark the module complete if the rule allows it; returns whether it is complete afterwards.

    Idempotent: a second call, or twenty racing ones, leave one completed row with the first time.
    """
    if not can_complete(user=user, module=module):
        return False
    at = at or timezone.now()
    progress = _get_or_create_progress(user, module)
    with transaction.atomic():
        updated = ModuleProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            state=COMPLETED, completed_at=at
        )
        if updated:
            learner_state.changed(user)
            progress.state, progress.completed_at = COMPLETED, at
            events.module_completed.send(sender=ModuleProgress, progress=progress)  # the xAPI outbox writes here
    if updated:
        enrolments_refresh(user=user, module=module, at=at)
    return True


def may_test_out(*, state, has_quiz, attempted):
    """The rule: a module may be tested out of while it has a quiz, is not done, and the learner has not
    taken its quiz the ordinary way (opening the page to see what it covers does not count). Pure."""
    return has_quiz and not is_finished(state) and not attempted


def module_test_out(*, user, module, at=None):
    """Complete the module as tested out (the caller graded the try at ACADEMY_TEST_OUT_MARK); returns
    whether this call completed it. Idempotent like module_complete: an already completed module,
    however it was completed, keeps its row as it is."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _get_or_create_progress(user, module)
        updated = ModuleProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            state=COMPLETED, completed_at=at, tested_out=True
        )
        if updated:  # the xAPI outbox and the review cards write in this transaction
            learner_state.changed(user)
            progress.state, progress.completed_at, progress.tested_out = COMPLETED, at, True
            events.module_completed.send(sender=ModuleProgress, progress=progress)
    if updated:
        enrolments_refresh(user=user, module=module, at=at)
    return bool(updated)


def module_states(*, user, modules):
    """{module id: state} for every one of the given modules (NOT_STARTED without a row), in one query."""
    ids = [module.pk if hasattr(module, "pk") else module for module in modules]
    rows = dict(ModuleProgress.objects.filter(user=user, module_id__in=ids).values_list("module_id", shown_state()))
    return {module_id: state_of(rows, module_id) for module_id in ids}


def module_state(*, user, module):
    """One module's state for the learner, 1 query."""
    return module_states(user=user, modules=[module.pk])[module.pk]


@dataclass
class PathProgress:
    required: int = 0
    done: int = 0
    electives: int = 0  # shown next to the required count, never counted towards progress
    next_module: object = None
    remaining_minutes: int = 0
    states: dict = field(default_factory=dict)  # {module id: state} for every step of the path

    @property
    def started(self):
        """Whether the learner has opened any module of the path."""
        return any(state != NOT_STARTED for state in self.states.values())

    @property
    def percent(self):
        return round(100 * self.done / self.required) if self.required else 0

    @property
    def complete(self):
        return self.required > 0 and self.done == self.required


def summarise(steps, states):
    """Path progress from its steps (in order, modules attached) and a {module id: stored state} map,
    which may hold other modules and lack those without a row."""
    result = PathProgress(states={step.module_id: state_of(states, step.module_id) for step in steps})
    electives = []
    for step in steps:
        state = result.states[step.module_id]
        if step.required:
            result.required += 1
            if is_finished(state):
                result.done += 1
            else:
                result.remaining_minutes += step.module.minutes
                result.next_module = result.next_module or step.module
        else:
            result.electives += 1
            if not is_finished(state):
                electives.append(step.module)
    if result.next_module is None and electives:
        result.next_module = electives[0]
    return result


STEP_MODULE_FIELDS = catalogue.LISTED_MODULE_FIELDS


def _live_steps():
    return (
        PathStep.objects.filter(module__live=True)
        .select_related("module")
        .only(
            "path_id",
            "module_id",
            "sort_order",
            "stage",
            "required",
            *(f"module__{name}" for name in STEP_MODULE_FIELDS),
        )
        # The path page's language, which steps_in_language shows the steps in: kept with the cached
        # steps, it costs the page no query for its locale.
        .annotate(path_language=F("path__locale__language_code"))
    )


def steps_by_path(path_ids):
    """{path id: [live steps in order, modules attached]} for many paths. Every page reads them, so
    each worker keeps them per curriculum version (the "pages" cache): 1 query, the version, when
    nothing was published since; else 2. Each caller gets its own copies to annotate."""
    path_ids = set(path_ids)
    if not path_ids:
        return {}
    cache, version = caches["pages"], curriculum_version()
    keys = {path_id: f"academy:steps:{version}:{path_id}" for path_id in path_ids}
    cached = cache.get_many(keys.values())
    steps = {path_id: cached[key] for path_id, key in keys.items() if key in cached}
    missing = path_ids - steps.keys()
    if missing:
        fresh = {path_id: [] for path_id in missing}
        for step in _live_steps().filter(path__in=missing).order_by("path_id", "sort_order"):
            fresh[step.path_id].append(step)
        cache.set_many({keys[path_id]: path_steps for path_id, path_steps in fresh.items()}, timeout=3600)
        steps.update(fresh)
    return {path_id: path_steps for path_id, path_steps in steps.items() if path_steps}


def path_steps(path):
    return steps_by_path([path.pk]).get(path.pk, [])


@dataclass
class ShownStep:
    """A path step as a page in another language lists it: `module` is the module in that language, or the
    default-language one where it has no live translation (`translated` False; `language` is the shown
    module's); `module_id` is always the default-language module's, the one progress is kept on, so
    summarise and module_states read it as a PathStep's."""

    stage: str
    required: bool
    module: object
    module_id: int
    translated: bool
    language: str


def steps_in_language(steps, language=None):
    """A path's steps as a page in `language` lists them (by default the path's own language). The default
    language's paths name its modules, so they come back as they are, without a query; in any other
    language: 1 query for the translations of every step."""
    default = catalogue.default_language()
    language = language or (steps[0].path_language if steps else default)
    if language == default:
        return steps
    versions = catalogue.module_versions([step.module.translation_key for step in steps], language)
    shown = []
    for step in steps:
        here, original = versions.get(step.module.translation_key, (None, None))
        original = original or step.module  # a module written only in this language is its own original
        translated = here is not None
        shown.append(
            ShownStep(
                step.stage,
                step.required,
                module=here or original,
                module_id=original.pk,
                translated=translated,
                language=language if translated else default,
            )
        )
    return shown


def path_progress(*, user, path, steps=None):
    """2 queries (steps, states) whatever the path's length; pass `steps` to save one."""
    steps = path_steps(path) if steps is None else steps
    return summarise(steps, module_states(user=user, modules=[step.module_id for step in steps]))


def enrolments_refresh(*, user, module, at=None):
    """Complete the learner's enrolments in paths that this module may have finished."""
    at = at or timezone.now()
    open_enrolments = (
        Enrolment.objects.filter(user=user, completed_at__isnull=True, path__steps__module=module)
        .select_related("path")
        .distinct()
    )
    for enrolment in open_enrolments:
        if path_progress(user=user, path=enrolment.path).complete:
            with transaction.atomic():
                if Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(completed_at=at):
                    Certificate.objects.get_or_create(enrolment=enrolment)
                    learner_state.changed(user)
                    enrolment.completed_at = at
                    events.path_completed.send(sender=Enrolment, enrolment=enrolment)  # the xAPI outbox


# How near a due date is: overdue after it, due soon on it and the DUE_SOON_DAYS days before it.
OVERDUE, DUE_SOON = "overdue", "due_soon"
DUE_SOON_DAYS = 3


def due_status(due_date, today):
    """OVERDUE, DUE_SOON or None (not near, or no due date); whether the path is done is the caller's."""
    if due_date is None:
        return None
    if due_date < today:
        return OVERDUE
    if due_date <= due_soon_until(today):
        return DUE_SOON
    return None


def due_soon_until(today):
    """The last due date that is due soon (or overdue) today: due_status is not None up to it."""
    return today + datetime.timedelta(days=DUE_SOON_DAYS)


# An assigned path's status, most urgent first; the order sorts a team's matrix by urgency.
ON_TRACK, DONE = "on_track", "done"
STATUS_ORDER = [OVERDUE, DUE_SOON, NOT_STARTED, ON_TRACK, DONE]
STATUS_LABELS = {
    OVERDUE: _("Overdue"),
    DUE_SOON: _("Due soon"),
    NOT_STARTED: STATE_LABELS[NOT_STARTED],
    ON_TRACK: _("On track"),
    DONE: STATE_LABELS[COMPLETED],
}


def assignment_status(summary, *, due_date, today):
    """Done; else overdue or due soon (due_status); else not started; else on track."""
    if summary.complete:
        return DONE
    return due_status(due_date, today) or (ON_TRACK if summary.started else NOT_STARTED)
