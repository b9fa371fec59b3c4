"""Editor reports in the Wagtail admin (Reports menu): learning, quiz questions, content health.

The numbers come from learning/authoring/editor_reports.py; these views lay them out, flatten content
health into one row per finding, and list the modules with a quiz for the question report's filter.
Each view is a Wagtail ReportView over a list of dicts (not a queryset): the rows are computed in bulk,
so there is nothing to page or filter in the database, and the CSV/XLSX export walks the same list.
"""

from collections import OrderedDict

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from learning.authoring import editor_reports, revision_reports

EDITOR_GROUPS = ("Editors", "Lead editors")


def can_see_editor_reports(user):
    """Superusers, and members of Editors or Lead editors who may use the admin."""
    if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    return user.is_superuser or user.groups.filter(name__in=EDITOR_GROUPS).exists()


class EditorReportView(ReportView):
    header_icon = "table"
    paginate_by = None  # one row per path, module or question: a few hundred at most

    def dispatch(self, request, *args, **kwargs):
        if not can_see_editor_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def to_row_dict(self, item):
        # Rows are dicts of different kinds; a cell a kind lacks stays empty in the spreadsheet.
        return OrderedDict((field, self.export_value(item, field)) for field in self.list_export)

    def export_value(self, item, field):
        return item.get(field)


class LearningReportView(EditorReportView):
    page_title = _("Learning")
    results_template_name = "learning/admin/report_learning_results.html"
    index_url_name = "learning_reports:learning"
    index_results_url_name = "learning_reports:learning_results"
    export_filename = "learning-report"
    list_export = [
        "kind",
        "title",
        "enrolled",
        "started",
        "completed",
        "completion_rate",
        "pass_rate",
        "average_score",
        "median_attempts",
        "revised_at",
        "to_reread",
        "reread",
    ]
    export_headings = {
        "kind": _("Kind"),
        "title": _("Title"),
        "enrolled": _("Enrolled"),
        "started": _("Started"),
        "completed": _("Completed"),
        "completion_rate": _("Completion rate (%)"),
        "pass_rate": _("Quiz pass rate (%)"),
        "average_score": _("Average score (%)"),
        "median_attempts": _("Median attempts"),
        "revised_at": _("Last significant revision"),
        "to_reread": _("Completed before it"),
        "reread": _("Re-read after revision"),
    }

    def get_queryset(self):
        return editor_reports.path_rows() + revision_reports.with_rereads(editor_reports.module_rows())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        context["path_rows"] = [row for row in rows if row["kind"] == "path"]
        context["module_rows"] = [row for row in rows if row["kind"] == "module"]
        return context


class QuestionReportView(EditorReportView):
    page_title = _("Quiz questions")
    results_template_name = "learning/admin/report_questions_results.html"
    index_url_name = "learning_reports:questions"
    index_results_url_name = "learning_reports:questions_results"
    export_filename = "quiz-questions"
    list_export = ["module", "key", "prompt", "answered", "share_right", "choices"]
    export_headings = {
        "module": _("Module"),
        "key": _("Question key"),
        "prompt": _("Question"),
        "answered": _("Answered"),
        "share_right": _("Right (%)"),
        "choices": _("Choices picked"),
    }

    @cached_property
    def module_id(self):
        value = self.request.GET.get("module", "")
        return int(value) if value.isdigit() else None

    def get_queryset(self):
        return editor_reports.question_rows(module=self.module_id)

    def export_value(self, item, field):
        if field == "choices":
            return "; ".join(
                f"{choice['text']}{' (right)' if choice['correct'] else ''}: {choice['picked']}"
                for choice in item["choices"]
            )
        return item.get(field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["selected_module"] = self.module_id
        modules = editor_reports.default_locale_modules().order_by("title").only("pk", "title", "quiz")
        context["modules"] = [module for module in modules if module.quiz]
        return context


PROBLEMS = {
    "review_due": _("Review due"),
    "without_quiz": _("No quiz"),
    "without_readings": _("No readings"),
    "unpublished_steps": _("Path step with an unpublished module"),
    "failing_readings": _("Reading failed its check"),
    "reported_links": _("Reading reported broken"),
    "outdated_translations": _("Translation outdated"),
}


def content_health_rows(health):
    """content_health() as one list of {problem, page, page_id, detail}: one row per finding."""
    rows = []
    for module in health["review_due"]:
        detail = module["last_reviewed"].isoformat() if module["last_reviewed"] else _("never reviewed")
        rows.append(_finding("review_due", module["title"], module["pk"], detail))
    for key in ("without_quiz", "without_readings"):
        rows.extend(_finding(key, module["title"], module["pk"], "") for module in health[key])
    for step in health["unpublished_steps"]:
        rows.append(_finding("unpublished_steps", step["path__title"], step["path_id"], step["module__title"]))
    for link in health["failing_readings"]:
        status = link["check_status"] or link["check_error"] or _("no answer")
        detail = f"{link['title']} ({status}) {link['url']}"
        rows.append(_finding("failing_readings", link["module__title"], link["module_id"], detail))
    for link in health["reported_links"]:
        rows.append(
            _finding(
                "reported_links",
                link["link__module__title"],
                link["link__module_id"],
                f"{link['link__title']} {link['link__url']}",
                reports=link["reports"],
            )
        )
    for page in health["outdated_translations"]:
        rows.append(_finding("outdated_translations", page["title"], page["pk"], _outdated_detail(page)))
    return rows


def _outdated_detail(page):
    language = get_language_info(page["locale__language_code"])["name_translated"]
    source = date_format(localtime(page["source_published_at"]), "DATE_FORMAT")
    own = date_format(localtime(page["last_published_at"]), "DATE_FORMAT")
    return gettext("%(language)s; source published %(source)s, this translation %(own)s") % {
        "language": language,
        "source": source,
        "own": own,
    }


def _finding(problem, page, page_id, detail, reports=None):
    return {
        "problem": PROBLEMS[problem],
        "kind": problem,
        "page": page,
        "page_id": page_id,
        "detail": detail,
        "reports": reports,
    }


class ContentHealthReportView(EditorReportView):
    page_title = _("Content health")
    header_icon = "warning"
    results_template_name = "learning/admin/report_content_health_results.html"
    index_url_name = "learning_reports:content_health"
    index_results_url_name = "learning_reports:content_health_results"
    export_filename = "content-health"
    list_export = ["problem", "page", "detail", "reports"]
    export_headings = {"problem": _("Problem"), "page": _("Page"), "detail": _("Detail"), "reports": _("Open reports")}

    @cached_property
    def health(self):
        return editor_reports.content_health()

    def get_queryset(self):
        return content_health_rows(self.health)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cutoff"] = self.health["cutoff"]
        context["links"] = self.health["link_checks"]
        return context


def _views(name, view):
    return [
        path(f"{name.replace('_', '-')}/", view.as_view(), name=name),
        path(f"{name.replace('_', '-')}/results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


urlpatterns = (
    _views("learning", LearningReportView)
    + _views("questions", QuestionReportView)
    + _views("content_health", ContentHealthReportView)
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/academy/", include((urlpatterns, "learning_reports"), namespace="learning_reports"))]


class EditorReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_editor_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_learning_menu_item():
    return EditorReportMenuItem(
        _("Learning"), reverse("learning_reports:learning"), name="learning", icon_name="table", order=1100
    )


@hooks.register("register_reports_menu_item")
def register_questions_menu_item():
    return EditorReportMenuItem(
        _("Quiz questions"), reverse("learning_reports:questions"), name="quiz-questions", icon_name="help", order=1110
    )


@hooks.register("register_reports_menu_item")
def register_content_health_menu_item():
    return EditorReportMenuItem(
        _("Content health"),
        reverse("learning_reports:content_health"),
        name="content-health",
        icon_name="warning",
        order=1120,
    )
