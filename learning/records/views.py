"""The signed-in learner's views: module, quiz, path, My learning, readings, certificates.

HTTP only: they parse the request, read through selectors, write through services and progress (where
every rule lives), and choose the message and the response. No query or write of their own.

A page in any language reads and writes the records of its default-language version
(progress.canonical_page): a quiz is graded on the questions the learner saw and kept on that module,
enrolling on a translated path enrols in that path, and every page shows that one state.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from learning.catalogue import caching
from learning.catalogue import selectors as catalogue
from learning.catalogue.models import READING_URL
from learning.catalogue.quiz import questions_from_quiz
from learning.records import certificate_files, grading, practice, progress, quiz, revisions, selectors, services


def _found(record):
    """A record the selectors did not find (or this learner may not see) is a 404."""
    if record is None:
        raise Http404
    return record


def learner_context(request, page, original, state):
    """What a signed-in learner sees on a module page in any language: the records of `original`, its
    default-language version (progress.canonical_page)."""
    path_slug = request.GET.get("path", "").replace("\x00", "") or None  # PostgreSQL refuses a NUL in a query
    context = selectors.module_for_learner(
        user=request.user, module=page, original=original, state=state, path_slug=path_slug
    )
    context["path_query"] = "?" + urlencode({"path": context["path"].slug}) if context["path"] else ""
    return context


def module_page(request, page, quiz_error=None, status=200):
    if not request.user.is_authenticated:
        return page.render(request)
    module = progress.canonical_page(page)
    # Opening a module records the visit; re-showing it after a refused quiz records nothing.
    if quiz_error is None:
        state = progress.module_open(user=request.user, module=module)
    else:
        state = progress.module_state(user=request.user, module=module)
    context = learner_context(request, page, module, state)
    context["untranslated_notice"] = untranslated_notice(request.user, page)
    # "Updated since you completed it": the notes and changed blocks; opening records the re-reading.
    context.update(revisions.module_page_updates(user=request.user, page=page, module=module, state=state))
    # The side column: the path's steps with their states (1 query; none outside a path).
    context["path_beside"] = selectors.path_beside_module(user=request.user, steps=context["path_steps"], module=page)
    if page.quiz:
        context["quiz_form"] = quiz.quiz_form(user=request.user, module=page, attempt_count=len(context["attempts"]))
    context["quiz_error"] = quiz_error
    context["can_complete"] = progress.may_complete(
        state=context["state"], has_quiz=bool(page.quiz), quiz_passed=context["passed"]
    )
    # Test-out (records/practice.py): offered until the quiz is taken; no query, the facts are here.
    context["test_out"] = progress.may_test_out(
        state=context["state"], has_quiz=bool(page.quiz), attempted=bool(context["attempts"])
    )
    context["test_out_mark"] = settings.ACADEMY_TEST_OUT_MARK
    response = page.render(request, context_overrides=context)
    response.status_code = status
    # Never from the back/forward cache or the HTTP cache: the quiz form's token names the next
    # attempt, and a stored copy would show a form (and attempts) from before the last submission.
    add_never_cache_headers(response)
    return response


# Shown on a default-language module to a learner who prefers a language it has no translation in; one
# sentence per language, so each reads naturally in its own.
NOT_YET_TRANSLATED = {
    "de": gettext_lazy("This module is not yet available in German; here is the English version."),
    "pl": gettext_lazy("This module is not yet available in Polish; here is the English version."),
}


def untranslated_notice(user, page):
    """The notice in the learner's preferred language, as (language, text), or None: for a learner who
    prefers German or Polish, on a module in the default language that has no live version in theirs.
    1 query for such a learner, none for the others."""
    language = user.preferred_language
    if language not in NOT_YET_TRANSLATED or page.locale.language_code != catalogue.default_language():
        return None
    if catalogue.has_translation(page, language):
        return None
    with translation.override(language):
        return {"language": language, "text": str(NOT_YET_TRANSLATED[language])}


@login_required
@require_POST
def module_complete(request, page):
    module = progress.canonical_page(page)
    if progress.module_complete(user=request.user, module=module):
        messages.success(request, _("Module complete. Well done!"))
    elif page.quiz:
        messages.error(request, _("Pass the quiz first; then the module is complete."))
    else:
        messages.error(request, _("Open the module first."))
    return redirect(page.url + (("?" + urlencode({"path": request.POST["path"]})) if request.POST.get("path") else ""))


@login_required
@require_POST
def path_enrol(request, page):
    services.enrolment_create(user=request.user, path=progress.canonical_page(page))
    messages.success(request, _("You are enrolled. Start with the first module below."))
    return redirect(page.url)


@login_required
def my_learning(request):
    overview = selectors.learning_overview(user=request.user, language=translation.get_language())
    overview["updated"] = revisions.pending_updates(user=request.user, language=translation.get_language())
    overview["reviews_due"] = practice.reviews_due_count(user=request.user)
    caching.allow(request)
    return render(request, "learning/my_learning.html", overview)


def reading_go(request, link_id):
    """Open a curated reading: record the visit, then redirect to the stored URL and nowhere else."""
    link = _found(selectors.live_reading(link_id))
    if not READING_URL.match(link.url):
        raise Http404
    if request.user.is_authenticated:
        services.reading_visit_record(user=request.user, link=link)
    return redirect(link.url)


def _certificate_unknown(request, uid):
    """Someone checking a certificate learns that the id is wrong, not that a page moved (still a 404)."""
    return render(request, "learning/certificate_unknown.html", {"uid": uid}, status=404)


@login_required
def certificate(request, uid):
    certificate = selectors.certificate_by_uid(uid, owner=request.user)
    if certificate is None:
        return _certificate_unknown(request, uid)
    return render(request, "learning/certificate.html", _certificate_sheet(certificate, request))


@login_required
def certificate_pdf(request, uid):
    """The owner's certificate as a PDF of the printed design; anyone else's id is unknown to them."""
    certificate = selectors.certificate_by_uid(uid, owner=request.user)
    if certificate is None:
        return _certificate_unknown(request, uid)
    context = _certificate_sheet(certificate, request)
    html = render_to_string("learning/certificate_document.html", context, request=request)
    response = HttpResponse(certificate_files.certificate_pdf(html), content_type="application/pdf")
    filename = slugify(f"{_('Certificate')} {context['path_title']}") + ".pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True)  # a named person's certificate: never in a shared cache
    return response


def certificate_verify(request, uid):
    certificate = selectors.certificate_by_uid(uid)
    if certificate is None:
        return _certificate_unknown(request, uid)
    return render(request, "learning/certificate_verify.html", _certificate_context(certificate))


def _certificate_context(certificate):
    """The certificate, with its path named in the language it is read in where the path is translated
    (the certificate is kept on the default-language path)."""
    path = selectors.page_in_language(certificate.enrolment.path, translation.get_language())
    return {"certificate": certificate, "path_title": path.title}


def _certificate_sheet(certificate, request):
    """What the printed certificate and its PDF show: the certificate and the public address that checks
    it, as text and as a QR code."""
    verify_url = request.build_absolute_uri(reverse("certificate_verify", args=[certificate.uid]))
    return {
        **_certificate_context(certificate),
        "verify_url": verify_url,
        "verify_qr": certificate_files.qr_svg(verify_url, title=_("QR code of the verification address")),
    }


@login_required
@require_POST
def reading_report(request, link_id):
    """A learner tells the editors a reading is broken; the report shows in the content health view."""
    link = _found(selectors.live_reading(link_id))
    services.broken_link_report_create(user=request.user, link=link, note=request.POST.get("note", ""))
    messages.success(request, _("Thank you. The editors will check “%(title)s”.") % {"title": link.title})
    return redirect(link.module.url)


def _refuse(request, page, message):
    return module_page(request, page, quiz_error=message, status=400)


@login_required
def quiz_submit(request, page):
    if request.method != "POST":
        return redirect(page.url)
    token = quiz.read_token(request.POST.get("token", ""))
    if token is None:
        return _refuse(
            request, page, _("This quiz form has expired or was changed. Nothing was recorded; please answer again.")
        )
    if token.get("u") != request.user.pk or token.get("m") != page.pk:
        return _refuse(
            request, page, _("This quiz form belongs to another quiz. Nothing was recorded; please answer again.")
        )
    answers = {name[2:]: request.POST.getlist(name) for name in request.POST if name.startswith("q-")}
    form_token = quiz.attempt_token(request.user, page, token["n"])
    try:
        attempt, _result = services.quiz_attempt_submit(
            user=request.user, module=page, answers=answers, form_token=form_token
        )
    except grading.SubmissionError:
        return _refuse(
            request, page, _("These answers do not match this quiz. Nothing was recorded; please answer again.")
        )
    except services.DuplicateSubmission:
        messages.info(request, _("This quiz form was already submitted. Here is the result of that attempt."))
        attempt = selectors.quiz_attempt_by_form(form_token)
    return redirect(page.url + page.reverse_subpage("quiz_result", args=[attempt.pk]) + _path_query(request))


def _path_query(request):
    """The path the learner came through (?path=), kept from the module to its result page."""
    slug = request.GET.get("path")
    return "?" + urlencode({"path": slug}) if slug else ""


@login_required
def quiz_result(request, page, attempt_id):
    # Attempts are kept on the default-language module; the review reads the questions of the page shown,
    # whose keys and choice ids are the same in every language.
    module = progress.canonical_page(page)
    attempt = _found(selectors.quiz_attempt_for_learner(user=request.user, module=module, attempt_id=attempt_id))
    stored = {answer.question_key: (answer.choices, answer.correct) for answer in attempt.answers.all()}
    reviews = grading.review(questions_from_quiz(page.quiz), stored)
    context = learner_context(request, page, module, progress.module_state(user=request.user, module=module))
    context.update({"attempt": attempt, "reviews": reviews, "right": sum(r.correct for r in reviews)})
    return page.render(request, template="learning/quiz_result.html", context_overrides=context)
