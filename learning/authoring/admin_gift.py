"""Admin: a module's quiz from and to GIFT, Moodle's quiz text format.

Import is two steps on the same form: a preview that writes nothing, then a confirm that appends
the supported questions to the quiz as a new draft revision (never published). Export reads the
latest revision, so an editor gets back what they see in the editor. Both need edit permission.
The questions pass through learning.catalogue.quiz both ways, as the curriculum files' do: gift.parse
holds them to its quiz rule, and its mapper writes them into the StreamField and reads them back.
"""

from functools import wraps

from django import forms
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button

from learning.authoring import gift
from learning.catalogue import quiz
from learning.catalogue.models import ModulePage

MAX_UPLOAD = 1024 * 1024  # a quiz file; anything bigger is a mistake


class GiftImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("GIFT text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    file = forms.FileField(label=gettext_lazy("…or a GIFT file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste GIFT text or choose a file."))
        return data


def _editable_module(view):
    """Pass the module page to the view, or answer 403 to a user who may not edit it.

    A plain 403: Wagtail's admin would turn a raised PermissionDenied into a redirect home.
    """

    @wraps(view)
    def wrapper(request, page_id):
        page = get_object_or_404(ModulePage, pk=page_id)
        if not page.permissions_for_user(request.user).can_edit():
            return HttpResponseForbidden(_("You may not edit this module."))
        return view(request, page)

    return wrapper


@_editable_module
def gift_import(request, page):
    draft = page.get_latest_revision_as_object()
    context = {"page": page, "title": _("Import quiz questions from GIFT"), "subtitle": page.title}
    form = GiftImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "learning/admin/gift_import.html", {**context, "form": form})
    text = form.cleaned_data["text"]
    result = gift.parse(text, taken={block.value["key"] for block in draft.quiz})
    if request.POST.get("confirm") != "1" or not result.questions:
        # Step 1, the preview: nothing is written. The text travels on in a hidden field.
        return TemplateResponse(
            request,
            "learning/admin/gift_import.html",
            {**context, "form": GiftImportForm(), "result": result, "text": text},
        )
    draft.quiz = list(draft.quiz.raw_data) + quiz.stream_data_from_file(result.questions, seed=page.slug)
    draft.save_revision(user=request.user, log_action=True)
    messages.success(
        request,
        _(
            "%(count)d questions added to the quiz of '%(title)s' as a draft. Review it in the editor, then submit "
            "it for approval (or publish it, as a lead editor)."
        )
        % {"count": len(result.questions), "title": page.title},
        buttons=[messages.button(reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit page"))],
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@_editable_module
def gift_export(request, page):
    draft = page.get_latest_revision_as_object()
    questions = [quiz.file_question(question) for question in quiz.questions_from_quiz(draft.quiz)]
    response = HttpResponse(gift.export(questions), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.gift"'
    return response


@hooks.register("register_admin_urls")
def register_gift_urls():
    # Wagtail wraps these in its admin-access check; the views check edit permission on the page.
    return [
        path("academy/modules/<int:page_id>/gift/import/", gift_import, name="academy_gift_import"),
        path("academy/modules/<int:page_id>/gift/export/", gift_export, name="academy_gift_export"),
    ]


def _gift_buttons(page, user, priority):
    if page.specific_class is not ModulePage or not page.permissions_for_user(user).can_edit():
        return
    for label, name, icon in (
        (_("Import quiz (GIFT)"), "academy_gift_import", "upload"),
        (_("Export quiz (GIFT)"), "academy_gift_export", "download"),
    ):
        yield Button(label, reverse(name, args=[page.pk]), icon_name=icon, priority=priority)
        priority += 1


@hooks.register("register_page_header_buttons")
def gift_header_buttons(page, user, view_name, next_url=None):
    yield from _gift_buttons(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def gift_listing_buttons(page, user, next_url=None):
    yield from _gift_buttons(page, user, priority=70)
