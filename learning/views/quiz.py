"""Taking a quiz: the form (choices shuffled per attempt), submission and the result page.

Each rendered form carries a signed token naming the attempt it will become (the learner's next
attempt number). Two tabs, a double click or a replay all name the same attempt, and the unique
form_token on QuizAttempt lets only the first through.
"""
import random
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from learning import grading, progress, services
from learning.models import QuizAttempt

SALT = "learning.quiz"
TOKEN_MAX_AGE = 24 * 3600


def quiz_form(*, user, module, attempt_count):
    """The quiz as a form: a signed token and the questions with choices in a fresh order."""
    seed = secrets.token_hex(8)
    token = signing.dumps({"u": user.pk, "m": module.pk, "n": attempt_count + 1, "s": seed}, salt=SALT)
    shuffle = random.Random(seed).shuffle
    questions = []
    for question in module.questions:
        choices = list(question["choices"])
        shuffle(choices)
        questions.append({**question, "choices": choices})
    return {"token": token, "questions": questions}


def _attempt_token(user, module, number):
    return f"{user.pk}:{module.pk}:{number}"


def _refuse(request, page, message):
    from learning.views.learner import module_page

    return module_page(request, page, quiz_error=message, status=400)


@login_required
def submit(request, page):
    if request.method != "POST":
        return redirect(page.url)
    try:
        token = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        token = None
    # A well-signed token of another shape can only come from a leaked key; refuse it, never crash.
    if not isinstance(token, dict) or type(token.get("n")) is not int or not 0 < token["n"] < 10**9:
        return _refuse(request, page, _("This quiz form has expired or was changed. Nothing was recorded; please answer again."))
    if token.get("u") != request.user.pk or token.get("m") != page.pk:
        return _refuse(request, page, _("This quiz form belongs to another quiz. Nothing was recorded; please answer again."))
    answers = {name[2:]: request.POST.getlist(name) for name in request.POST if name.startswith("q-")}
    form_token = _attempt_token(request.user, page, token["n"])
    try:
        attempt, _result = services.quiz_attempt_submit(
            user=request.user, module=page, answers=answers, form_token=form_token
        )
    except grading.SubmissionError:
        return _refuse(request, page, _("These answers do not match this quiz. Nothing was recorded; please answer again."))
    except services.DuplicateSubmission:
        messages.info(request, _("This quiz form was already submitted. Here is the result of that attempt."))
        attempt = QuizAttempt.objects.get(form_token=form_token)
    return redirect(page.url + page.reverse_subpage("quiz_result", args=[attempt.pk]) + _path_query(request))


def _path_query(request):
    """The path the learner came through (?path=), kept from the module to its result page."""
    slug = request.GET.get("path")
    return "?" + urlencode({"path": slug}) if slug else ""


@login_required
def result(request, page, attempt_id):
    from learning.views.learner import learner_context

    attempt = get_object_or_404(QuizAttempt.objects.prefetch_related("answers"), pk=attempt_id, user=request.user, module=page)
    stored = {answer.question_key: (answer.choices, answer.correct) for answer in attempt.answers.all()}
    reviews = grading.review(grading.questions_from_quiz(page.quiz), stored)
    module = progress.canonical_module(page)
    context = learner_context(request, page, progress.module_states(user=request.user, modules=[module.pk])[module.pk])
    context.update({"attempt": attempt, "reviews": reviews, "right": sum(r.correct for r in reviews)})
    return page.render(request, template="learning/quiz_result.html", context_overrides=context)
