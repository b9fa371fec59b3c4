"""Retrieval practice and test-out: services (writes) and selectors (reads) over ReviewCard and TestOutTry.

- A module's quiz questions become the learner's review cards when the module is completed, however
  (studied or tested out): cards_for_completion listens to events.module_completed, in its transaction.
  Each card's first schedule comes from the answer that completed the module (reviews.first).
- A review session asks at most reviews.SESSION_SIZE due questions across modules, oldest due first,
  in a form signed with the cards and their review counts; grading.grade decides right or wrong, and
  reviews.answered moves each card. Reviews never touch ModuleProgress: a completion stays.
- Testing out: the quiz before studying (progress.may_test_out), graded at ACADEMY_TEST_OUT_MARK, one
  try per module in any 24 hours; passing completes the module as tested out (progress.module_test_out).
Every write here bumps the learner's state (learner_state): saves by signal, updates by changed().
"""

import datetime
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.catalogue import selectors as catalogue
from learning.catalogue.models import ModulePage
from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, learner_state, progress, reviews
from learning.records.models import QuizAnswer, QuizAttempt
from learning.records.practice_models import ReviewCard, TestOutTry

REVIEW_SALT, TEST_OUT_SALT = "learning.reviews", "learning.test_out"
TOKEN_MAX_AGE = 24 * 3600
# One try at testing out of a module in any this long.
TEST_OUT_GAP = datetime.timedelta(days=1)
# A learner keeps up with reviews while none has waited longer than this (what managers may see).
KEEPS_UP_DAYS = 7


# --- review cards ---------------------------------------------------------------------------------


def _completing_answers(progress_row):
    """{question key: right or not} as answered in the try or attempt that completed the module."""
    if progress_row.tested_out:
        passed = TestOutTry.objects.filter(user_id=progress_row.user_id, module_id=progress_row.module_id, passed=True)
        row = passed.order_by("-tried_at").values_list("answers", flat=True).first()
        return row or {}
    attempt = QuizAttempt.objects.filter(
        user_id=progress_row.user_id, module_id=progress_row.module_id, passed=True
    ).order_by("-submitted_at")
    return dict(QuizAnswer.objects.filter(attempt__in=attempt.values("pk")[:1]).values_list("question_key", "correct"))


def cards_for_completion(sender, progress, **kwargs):
    """events.module_completed: one card per quiz question, first due after the completing answer (a
    missed question sooner). A question without an answer there counts as known. Idempotent."""
    module = ModulePage.objects.only("quiz").get(pk=progress.module_id)
    questions = questions_from_quiz(module.quiz)
    if not questions:
        return
    answers = _completing_answers(progress)
    at = progress.completed_at
    cards = []
    for question in questions:
        first = reviews.first(correct=answers.get(question.key, True), at=at)
        cards.append(
            ReviewCard(
                user_id=progress.user_id, module_id=progress.module_id, question_key=question.key, **_fields(first)
            )
        )
    ReviewCard.objects.bulk_create(cards, ignore_conflicts=True)
    learner_state.changed(progress.user_id)  # bulk_create sends no signal


def _fields(schedule):
    return {
        "due": schedule.due,
        "stability": schedule.stability,
        "difficulty": schedule.difficulty,
        "fsrs_state": schedule.state,
        "step": schedule.step,
        "last_review": schedule.last_review,
    }


def _schedule(card):
    return reviews.Schedule(
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        state=card.fsrs_state,
        step=card.step,
        last_review=card.last_review,
    )


def _due_cards(user, now):
    return ReviewCard.objects.filter(user=user, due__lte=now, module__live=True)


def reviews_due_count(*, user, now=None):
    """How many of the learner's questions are due: 1 query (an index on user and due)."""
    return _due_cards(user, now or timezone.now()).count()


def keeps_up_with_reviews(*, user_ids, now=None):
    """{user id: whether no review of theirs has waited longer than KEEPS_UP_DAYS}: 1 query. All a
    manager may learn of reviews, and only where ACADEMY_MANAGER_SEES is "scores"."""
    limit = (now or timezone.now()) - datetime.timedelta(days=KEEPS_UP_DAYS)
    behind = set(
        ReviewCard.objects.filter(user_id__in=user_ids, due__lt=limit, module__live=True).values_list(
            "user_id", flat=True
        )
    )
    return {user_id: user_id not in behind for user_id in user_ids}


@dataclass
class ReviewQuestion:
    card: ReviewCard
    module: ModulePage  # in the reader's language where translated
    question: object  # catalogue.quiz.Question
    choices: list  # in the order this form shows them


def _modules_in(module_ids, language):
    """{default-language module id: the live module in `language`, else the default-language one}, quizzes
    included: 1 query in the default language, 2 in another."""
    originals = {module.pk: module for module in ModulePage.objects.live().filter(pk__in=module_ids)}
    if language == catalogue.default_language():
        return originals
    keys = {module.translation_key: pk for pk, module in originals.items()}
    translated = ModulePage.objects.live().filter(translation_key__in=keys, locale__language_code=language)
    return {**originals, **{keys[module.translation_key]: module for module in translated}}


def _review_questions(cards, language, seed):
    modules = _modules_in({card.module_id for card in cards}, language)
    quizzes = {pk: {q.key: q for q in questions_from_quiz(module.quiz)} for pk, module in modules.items()}
    shuffle = random.Random(seed).shuffle
    shown = []
    for card in cards:
        question = quizzes.get(card.module_id, {}).get(card.question_key)
        if question is None:  # removed from the quiz since: never asked again
            continue
        choices = list(question.choices)
        shuffle(choices)
        shown.append(ReviewQuestion(card=card, module=modules[card.module_id], question=question, choices=choices))
    return shown


def review_session(*, user, language, now=None):
    """The next review form: at most SESSION_SIZE due questions, oldest due first, across modules, and
    how many are due in all. 3 queries whatever the number of cards (count, the cards, their modules);
    1 more in another language. Cards whose question left the quiz are deleted when they come up."""
    now = now or timezone.now()
    due = _due_cards(user, now)
    total = due.count()
    cards = list(due.order_by("due", "pk")[: reviews.SESSION_SIZE]) if total else []
    seed = secrets.token_hex(8)
    questions = _review_questions(cards, language, seed)
    gone = {card.pk for card in cards} - {item.card.pk for item in questions}
    if gone:  # questions an editor removed from the quiz since: dropped for good (1 query more, once)
        with transaction.atomic():
            ReviewCard.objects.filter(pk__in=gone).delete()
            learner_state.changed(user)
        total -= len(gone)
    shown = [[item.card.pk, item.card.reviews] for item in questions]
    token = signing.dumps({"u": user.pk, "c": shown, "s": seed}, salt=REVIEW_SALT)
    return {"due": total, "questions": questions, "token": token}


class StaleReview(Exception):
    """The review form expired, was changed, or belongs to someone else: nothing was recorded."""


@dataclass
class ReviewOutcome:
    item: ReviewQuestion
    chosen: tuple  # the Choices picked
    correct: bool
    due: datetime.datetime  # when the question comes back
    recorded: bool  # False: this form was already answered (a replay changes nothing)


def review_submit(*, user, token, answers, language, now=None):
    """Record the answers to a review form ({card id: [choice ids]}); returns [ReviewOutcome] in the form's
    order. A tampered or expired token raises StaleReview, a choice the question lacks
    grading.SubmissionError; either way nothing is recorded. Answering a form twice changes nothing."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=REVIEW_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise StaleReview() from error
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        raise StaleReview()
    shown_at = {card_id: count for card_id, count in payload.get("c", [])}
    cards = sorted(ReviewCard.objects.filter(user=user, pk__in=shown_at), key=lambda card: card.due)
    items = _review_questions(cards, language, payload.get("s"))
    graded = []
    for item in items:
        chosen = answers.get(item.card.pk, [])
        result = grading.grade([item.question], {item.question.key: chosen}, pass_mark=100)
        graded.append((item, result.answers[0]))
    outcomes = []
    with transaction.atomic():
        for item, answer in graded:
            card, fresh = item.card, item.card.reviews == shown_at[item.card.pk]
            schedule = reviews.answered(_schedule(card), correct=answer.correct, at=now) if fresh else _schedule(card)
            recorded = fresh and bool(
                ReviewCard.objects.filter(pk=card.pk, reviews=card.reviews).update(
                    reviews=card.reviews + 1, lapses=card.lapses + (not answer.correct), **_fields(schedule)
                )
            )
            picked = tuple(choice for choice in item.question.choices if choice.id in set(answer.chosen))
            outcomes.append(ReviewOutcome(item, picked, answer.correct, schedule.due, recorded))
        if any(outcome.recorded for outcome in outcomes):
            learner_state.changed(user)
    return outcomes


# --- test-out -------------------------------------------------------------------------------------


def test_out_mark():
    return settings.ACADEMY_TEST_OUT_MARK


def test_out_next_try(*, user, module, now=None):
    """When the learner may next try to test out of `module` (default-language), or None for now: 1 query."""
    last = TestOutTry.objects.filter(user=user, module=module).values_list("tried_at", flat=True).first()
    if last is None or (now or timezone.now()) >= last + TEST_OUT_GAP:
        return None
    return last + TEST_OUT_GAP


def test_out_offered(*, user, module):
    """progress.may_test_out for a learner, read from the database: 3 queries."""
    return progress.may_test_out(
        state=progress.module_state(user=user, module=module),
        has_quiz=bool(module.quiz),
        attempted=QuizAttempt.objects.filter(user=user, module=module).exists(),
    )


def test_out_form(*, user, module, shown):
    """The test-out form for `module` (default-language) as `shown` (any language): a signed token naming the
    try it becomes, and the questions in a fresh order. 1 query."""
    number = TestOutTry.objects.filter(user=user, module=module).count() + 1
    seed = secrets.token_hex(8)
    token = signing.dumps({"u": user.pk, "m": module.pk, "n": number, "s": seed}, salt=TEST_OUT_SALT)
    shuffle = random.Random(seed).shuffle
    questions = []
    for question in shown.questions:
        choices = list(question["choices"])
        shuffle(choices)
        questions.append({**question, "choices": choices})
    return {"token": token, "questions": questions}


class TestOutRefused(Exception):
    """Not recorded: `reason` is "stale" (expired, changed or another's form), "not_offered" (the module was
    done or its quiz taken since), "too_soon" (`next_try` says when) or "duplicate" (`tried` is that try)."""

    __test__ = False  # a domain word, not a pytest class

    def __init__(self, reason, next_try=None, tried=None):
        super().__init__(reason)
        self.reason, self.next_try, self.tried = reason, next_try, tried


def test_out_submit(*, user, module, shown, token, answers, now=None):
    """Grade a test-out try ({question key: [choice ids]}) of `module` (default-language) as answered on
    `shown`, store it, and complete the module as tested out when it reaches the mark. Returns
    (TestOutTry, grading.Result). Refusals raise TestOutRefused; answers that do not fit the quiz raise
    grading.SubmissionError. Nothing is recorded either way."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=TEST_OUT_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise TestOutRefused("stale") from error
    if not isinstance(payload, dict) or (payload.get("u"), payload.get("m")) != (user.pk, module.pk):
        raise TestOutRefused("stale")
    if type(payload.get("n")) is not int or not 0 < payload["n"] < 10**6:
        raise TestOutRefused("stale")
    earlier = TestOutTry.objects.filter(user=user, module=module, number=payload["n"]).first()
    if earlier is not None:
        raise TestOutRefused("duplicate", tried=earlier)
    next_try = test_out_next_try(user=user, module=module, now=now)
    if next_try is not None:
        raise TestOutRefused("too_soon", next_try=next_try)
    if not test_out_offered(user=user, module=module):
        raise TestOutRefused("not_offered")
    result = grading.grade(questions_from_quiz(shown.quiz), answers, test_out_mark())
    try:
        with transaction.atomic():
            tried = TestOutTry.objects.create(
                user=user,
                module=module,
                number=payload["n"],
                score=result.score,
                mark=result.pass_mark,
                passed=result.passed,
                answers={answer.question.key: answer.correct for answer in result.answers},
                tried_at=now,
            )
    except IntegrityError as error:  # the same form, submitted twice at once
        tried = TestOutTry.objects.get(user=user, module=module, number=payload["n"])
        raise TestOutRefused("duplicate", tried=tried) from error
    if result.passed:
        progress.module_test_out(user=user, module=module, at=now)
    return tried, result
