"""The learner's review session and test-out pages (HTTP only; rules in progress.py, the rest in practice.py).

Plain forms rendered on the server, no script: the review form lists the due questions and its answer
page shows each one's feedback and explanation; the test-out form is the module's quiz, once a day.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from learning.catalogue.models import ModulePage
from learning.records import grading, practice, progress


def _fresh(response):
    # The forms name the cards' review counts and the next try: a stored copy would name old ones.
    add_never_cache_headers(response)
    return response


@login_required
def reviews(request):
    if request.method == "POST":
        return _reviews_answered(request)
    session = practice.review_session(user=request.user, language=translation.get_language())
    return _fresh(render(request, "learning/review.html", session))


def _reviews_answered(request):
    answers = {
        int(name[2:]): request.POST.getlist(name)
        for name in request.POST
        if name.startswith("c-") and name[2:].isdigit() and len(name) < 20
    }
    try:
        outcomes = practice.review_submit(
            user=request.user,
            token=request.POST.get("token", ""),
            answers=answers,
            language=translation.get_language(),
        )
    except (practice.StaleReview, grading.SubmissionError):
        messages.error(
            request, _("This review form has expired or was changed. Nothing was recorded; here it is again.")
        )
        return redirect("reviews")
    if outcomes and not any(outcome.recorded for outcome in outcomes):
        messages.info(request, _("These answers were already recorded; answering again changes nothing."))
    context = {
        "outcomes": outcomes,
        "right": sum(outcome.correct for outcome in outcomes),
        "due": practice.reviews_due_count(user=request.user),
    }
    return _fresh(render(request, "learning/review_result.html", context))


def _module(module_id):
    shown = ModulePage.objects.live().filter(pk=module_id).first()
    if shown is None:
        raise Http404
    return shown


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@login_required
def test_out(request, module_id):
    shown = _module(module_id)
    module = progress.canonical_page(shown)
    if request.method == "POST":
        return _test_out_answered(request, shown, module)
    next_try = practice.test_out_next_try(user=request.user, module=module)
    offered = practice.test_out_offered(user=request.user, module=module)
    context = {
        "page": shown,
        "mark": practice.test_out_mark(),
        "offered": offered,
        "next_try": _when(next_try) if next_try else None,
        "form": practice.test_out_form(user=request.user, module=module, shown=shown)
        if offered and not next_try
        else None,
    }
    return _fresh(render(request, "learning/review_test_out.html", context))


REFUSALS = {
    "stale": lambda refusal: _("This test-out form has expired or was changed. Nothing was recorded."),
    "not_offered": lambda refusal: _(
        "You have started this module's quiz or completed it, so there is nothing to test out of."
    ),
    "too_soon": lambda refusal: (
        _("You can test out of a module once a day. Your next try: %(when)s.") % {"when": _when(refusal.next_try)}
    ),
}


def _test_out_answered(request, shown, module):
    here = reverse("test_out", args=[shown.pk])
    answers = {name[2:]: request.POST.getlist(name) for name in request.POST if name.startswith("q-")}
    try:
        tried, _result = practice.test_out_submit(
            user=request.user, module=module, shown=shown, token=request.POST.get("token", ""), answers=answers
        )
    except practice.TestOutRefused as refusal:
        if refusal.reason != "duplicate":
            messages.error(request, REFUSALS[refusal.reason](refusal))
            return redirect(here)
        messages.info(request, _("This form was already submitted. Here is the result of that try."))
        tried = refusal.tried
    except grading.SubmissionError:
        messages.error(request, _("These answers do not match this quiz. Nothing was recorded; please answer again."))
        return redirect(here)
    context = {
        "page": shown,
        "tried": tried,
        "next_try": _when(tried.tried_at + practice.TEST_OUT_GAP),
    }
    return _fresh(render(request, "learning/review_test_out_result.html", context))
