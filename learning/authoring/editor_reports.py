"""What editors see in the admin reports: how paths, modules and quiz questions do, and what content
needs care. Every function returns plain dicts from a fixed number of `.values()` queries, whatever
the number of learners, so the admin pages and their spreadsheet exports show the same numbers.

The module and question reports list default-locale modules, the ones every learning record is kept on
(learning.records.progress.canonical_page): a quiz answered on a translation is stored on the
default-locale module with the same question keys and choice ids, so these reports (pass rate, scores,
item analysis) count the attempts made in every language together. Content
health lists every live page, and the translations whose source changed since they were published.
"""

import datetime
import statistics
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from learning.catalogue.models import ModulePage, PathPage, PathStep, ReadingLink
from learning.catalogue.quiz import questions_from_quiz
from learning.records.models import BrokenLinkReport, ModuleProgress, QuizAnswer, QuizAttempt


def percent(part, whole):
    """Whole percent, or None when there is nothing to divide by (shown as a dash, not as 0 %)."""
    return round(100 * part / whole) if whole else None


def default_language():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def default_locale_modules():
    # The default locale by language code: a join instead of Locale.get_default()'s extra query.
    return ModulePage.objects.live().filter(locale__language_code=default_language())


def path_rows():
    """Per live path of the default locale (enrolments are kept on it, whatever language the learner
    reads): learners enrolled, enrolments completed, completion rate. 1 query."""
    paths = (
        PathPage.objects.live()
        .filter(locale__language_code=default_language())
        .order_by("order", "title")
        .annotate(
            enrolled=Count("enrolments"),
            completed=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False)),
        )
        .values("pk", "title", "enrolled", "completed")
    )
    return [{"kind": "path", **row, "completion_rate": percent(row["completed"], row["enrolled"])} for row in paths]


def module_rows():
    """Per live module: learners who started it (opened, whether done since or not) and completed it,
    quiz pass rate (learners with a passed attempt over learners with any attempt), average score
    over all attempts, median attempts per learner who tried. 2 queries: the modules with their
    progress counts, and attempts grouped by (module, learner)."""
    modules = list(
        default_locale_modules()
        .order_by("title")
        .annotate(
            started=Count("progress"),
            completed=Count("progress", filter=Q(progress__state=ModuleProgress.COMPLETED)),
        )
        .values("pk", "title", "started", "completed")
    )
    per_learner = (
        QuizAttempt.objects.filter(module__in=[row["pk"] for row in modules])
        .values("module_id", "user_id")
        .annotate(attempts=Count("pk"), passes=Count("pk", filter=Q(passed=True)), score_sum=Sum("score"))
        .order_by()
    )
    attempts = defaultdict(list)
    for row in per_learner:
        attempts[row["module_id"]].append(row)
    rows = []
    for module in modules:
        learners = attempts.get(module["pk"], [])
        total = sum(learner["attempts"] for learner in learners)
        rows.append(
            {
                "kind": "module",
                **module,
                "attempted": len(learners),
                "passed": sum(1 for learner in learners if learner["passes"]),
                "pass_rate": percent(sum(1 for learner in learners if learner["passes"]), len(learners)),
                "average_score": round(sum(learner["score_sum"] for learner in learners) / total, 1) if total else None,
                "median_attempts": statistics.median(learner["attempts"] for learner in learners) if learners else None,
            }
        )
    return rows


def question_rows(module=None):
    """Item analysis per (module, question key) of the current quizzes: answers given, share right,
    and how often each choice was picked; the most-missed questions first, unanswered ones last.
    Answers to questions or choices removed from the quiz since are left out. 2 queries: the
    modules' quizzes, and every answer as (module, key, choices, correct)."""
    modules = default_locale_modules().order_by("title").only("pk", "title", "quiz")
    if module is not None:
        modules = modules.filter(pk=getattr(module, "pk", module))
    modules = [page for page in modules if page.quiz]
    answered, right, picked = Counter(), Counter(), defaultdict(Counter)
    answers = QuizAnswer.objects.filter(attempt__module__in=[page.pk for page in modules]).values_list(
        "attempt__module_id", "question_key", "choices", "correct"
    )
    for module_id, key, choices, correct in answers:
        answered[module_id, key] += 1
        right[module_id, key] += bool(correct)
        picked[module_id, key].update(choices or ())
    rows = []
    for page in modules:
        for position, question in enumerate(questions_from_quiz(page.quiz)):
            slot = (page.pk, question.key)
            rows.append(
                {
                    "module_id": page.pk,
                    "module": page.title,
                    "position": position,
                    "key": question.key,
                    "prompt": question.prompt,
                    "answered": answered[slot],
                    "right": right[slot],
                    "share_right": percent(right[slot], answered[slot]),
                    "choices": [
                        {
                            "id": choice.id,
                            "text": choice.text,
                            "correct": choice.correct,
                            "picked": picked[slot][choice.id],
                        }
                        for choice in question.choices
                    ],
                }
            )
    rows.sort(
        key=lambda row: (
            row["share_right"] is None,
            row["share_right"] or 0,
            -row["answered"],
            row["module"],
            row["position"],
        )
    )
    return rows


def months_before(day, months):
    """The same day `months` calendar months earlier, clamped to the month's end (31 March - 1 = 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return datetime.date(year, month, min(day.day, (next_month - datetime.timedelta(days=1)).day))


def review_cutoff(today=None):
    """Modules last reviewed before this date (or never) are due for review."""
    return months_before(today or timezone.localdate(), settings.ACADEMY_REVIEW_MONTHS)


def link_checks():
    """How far the link checker has got: readings in all, those never checked, and when the last
    check ran (None: never). An unchecked link is not a working one. 1 query."""
    return ReadingLink.objects.aggregate(
        total=Count("pk"), unchecked=Count("pk", filter=Q(checked_at__isnull=True)), last_run=Max("checked_at")
    )


def outdated_translations():
    """Live translations whose source page (the default locale's page with the same translation_key) was
    published after the translation last was: its text may no longer say what the source says. Aliases
    are the source itself and never outdated. 1 query."""
    code = default_language()
    source = Page.objects.filter(translation_key=OuterRef("translation_key"), locale__language_code=code)
    return list(
        Page.objects.live()
        .filter(alias_of__isnull=True)
        .exclude(locale__language_code=code)
        .annotate(source_published_at=Subquery(source.values("last_published_at")[:1]))
        .filter(source_published_at__gt=F("last_published_at"))
        .order_by("title", "locale__language_code")
        .values("pk", "title", "locale__language_code", "last_published_at", "source_published_at")
    )


def content_health(today=None):
    """What needs an editor's care, as lists of dicts. 6 queries, whatever the size:

    - review_due: live modules last reviewed before the cutoff, or never; oldest first
    - without_quiz, without_readings: live modules lacking a quiz or curated readings
    - unpublished_steps: live paths with a step whose module is not live
    - failing_readings: readings whose last check failed (no answer, or HTTP status 400 and up)
    - reported_links: readings with open broken-link reports, most reported first
    - outdated_translations: translations whose source was published after them (outdated_translations())
    - link_checks: link_checks(), so "no findings" never claims links work that nobody checked
    """
    cutoff = review_cutoff(today)
    modules = list(
        ModulePage.objects.live()
        .annotate(has_readings=Exists(ReadingLink.objects.filter(module=OuterRef("pk"))))
        .order_by("title")
        .values("pk", "title", "last_reviewed", "quiz", "has_readings")
    )
    for module in modules:
        module["has_quiz"] = bool(module.pop("quiz"))
    review_due = [module for module in modules if module["last_reviewed"] is None or module["last_reviewed"] < cutoff]
    review_due.sort(key=lambda module: (module["last_reviewed"] is not None, module["last_reviewed"] or cutoff))
    unpublished_steps = list(
        PathStep.objects.filter(path__live=True, module__live=False)
        .order_by("path__title", "sort_order")
        .values("path_id", "path__title", "module_id", "module__title", "stage", "required")
    )
    failing_readings = list(
        ReadingLink.objects.filter(Q(check_status__isnull=True, checked_at__isnull=False) | Q(check_status__gte=400))
        .order_by("module__title", "sort_order")
        .values("pk", "title", "url", "check_status", "check_error", "checked_at", "module_id", "module__title")
    )
    reported_links = list(
        BrokenLinkReport.objects.filter(resolved=False)
        .values("link_id", "link__title", "link__url", "link__module_id", "link__module__title")
        .annotate(reports=Count("pk"), latest=Max("created_at"))
        .order_by("-reports", "link__title")
    )
    return {
        "cutoff": cutoff,
        "review_due": review_due,
        "without_quiz": [module for module in modules if not module["has_quiz"]],
        "without_readings": [module for module in modules if not module["has_readings"]],
        "unpublished_steps": unpublished_steps,
        "failing_readings": failing_readings,
        "reported_links": reported_links,
        "outdated_translations": outdated_translations(),
        "link_checks": link_checks(),
    }
