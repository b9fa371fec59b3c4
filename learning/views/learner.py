"""The signed-in learner's views. Thin: rules live in progress.py, grading.py, services.py."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning import progress, selectors, services
from learning.curriculum import URL
from learning.db import get_or_create_once
from learning.models import BrokenLinkReport, Certificate, ReadingLink, ReadingVisit
from learning.views.quiz import quiz_form


def learner_context(request, page, state):
    path_slug = request.GET.get("path", "").replace("\x00", "") or None  # PostgreSQL refuses a NUL in a query
    context = selectors.module_for_learner(user=request.user, module=page, state=state, path_slug=path_slug)
    context["path_query"] = "?" + urlencode({"path": context["path"].slug}) if context["path"] else ""
    return context


def module_page(request, page, quiz_error=None, status=200):
    if not request.user.is_authenticated:
        return page.render(request)
    state = progress.module_open(user=request.user, module=progress.canonical_module(page))
    context = learner_context(request, page, state)
    if page.quiz:
        context["quiz_form"] = quiz_form(user=request.user, module=page, attempt_count=len(context["attempts"]))
    context["quiz_error"] = quiz_error
    context["can_complete"] = context["state"] != progress.COMPLETED and (not page.quiz or context["passed"])
    response = page.render(request, context_overrides=context)
    response.status_code = status
    # Never from the back/forward cache or the HTTP cache: the quiz form's token names the next
    # attempt, and a stored copy would show a form (and attempts) from before the last submission.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def module_complete(request, page):
    module = progress.canonical_module(page)
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
    services.enrolment_create(user=request.user, path=page)
    messages.success(request, _("You are enrolled. Start with the first module below."))
    return redirect(page.url)


@login_required
def my_learning(request):
    return render(request, "learning/my_learning.html", selectors.learning_overview(user=request.user))


def reading_go(request, link_id):
    """Open a curated reading: record the visit, then redirect to the stored URL and nowhere else."""
    link = get_object_or_404(ReadingLink.objects.select_related("module"), pk=link_id, module__live=True)
    if not URL.match(link.url):
        raise Http404
    if request.user.is_authenticated:
        visit, created = get_or_create_once(ReadingVisit, user=request.user, link=link)
        if not created:
            ReadingVisit.objects.filter(pk=visit.pk).update(visits=F("visits") + 1, last_visit_at=timezone.now())
    return redirect(link.url)


def _certificate_unknown(request, uid):
    """Someone checking a certificate learns that the id is wrong, not that a page moved (still a 404)."""
    return render(request, "learning/certificate_unknown.html", {"uid": uid}, status=404)


@login_required
def certificate(request, uid):
    certificate = Certificate.objects.select_related("enrolment__path", "enrolment__user").filter(
        uid=uid, enrolment__user=request.user
    ).first()
    if certificate is None:
        return _certificate_unknown(request, uid)
    return render(request, "learning/certificate.html", {"certificate": certificate})


def certificate_verify(request, uid):
    certificate = Certificate.objects.select_related("enrolment__path", "enrolment__user").filter(uid=uid).first()
    if certificate is None:
        return _certificate_unknown(request, uid)
    return render(request, "learning/certificate_verify.html", {"certificate": certificate})


@login_required
@require_POST
def reading_report(request, link_id):
    """A learner tells the editors a reading is broken; the report shows in the content health view."""
    link = get_object_or_404(ReadingLink.objects.select_related("module"), pk=link_id, module__live=True)
    # PostgreSQL refuses a NUL in text (a 500); a note has no use for one.
    note = request.POST.get("note", "").replace("\x00", "")[:300]
    BrokenLinkReport.objects.get_or_create(link=link, user=request.user, resolved=False, defaults={"note": note})
    messages.success(request, _("Thank you. The editors will check “%(title)s”.") % {"title": link.title})
    return redirect(link.module.url)
