"""Admin: the reading-links report (Reports > Reading links), broken links first.

Each link shows its module, its last check, how many learner reports are still open and what those
learners wrote; the spreadsheet export comes from Wagtail's ReportView. check_reading_links fills the
fields.
"""

from collections import OrderedDict

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr

from learning.authoring.linkcheck import BROKEN
from learning.catalogue.models import ReadingLink
from learning.records.models import BrokenLinkReport

BROKEN_RANK, UNCHECKED_RANK, OK_RANK = 0, 1, 2


def _last_check(link):
    if link.checked_at is None:
        return _("not checked yet")
    return link.check_status or link.check_error


def _learner_notes(link):
    """What learners wrote in their open reports, newest first, each in quotes. Plain text: the table
    escapes it, and a quote first means no spreadsheet reads a note as a formula."""
    return " / ".join(f"“{report.note}”" for report in link.open_notes)


def _final_url_if_moved(link):
    return link.check_final_url if link.check_final_url and link.check_final_url != link.url else ""


class ReadingLinksReportView(ReportView):
    page_title = _("Reading links")
    header_icon = "link"
    index_url_name = "academy_reading_links"
    index_results_url_name = "academy_reading_links_results"
    verbose_name_plural = _("reading links")
    columns = [
        TitleColumn("title", label=_("Reading"), get_url=lambda link: link.url, link_attrs={"rel": "noreferrer"}),
        Column("module", label=_("Module"), accessor="module.title"),
        Column("last_check", label=_("Last check"), accessor=_last_check),
        Column("final_url", label=_("Ends at"), accessor=_final_url_if_moved),
        DateColumn("checked_at", label=_("Checked")),
        NumberColumn("open_reports", label=_("Open reports")),
        Column("learner_notes", label=_("Learners wrote"), accessor=_learner_notes),
    ]
    list_export = [
        "module.title",
        "title",
        "url",
        "check_status",
        "check_error",
        "check_final_url",
        "checked_at",
        "open_reports",
        "learner_notes",
    ]
    export_headings = {
        "module.title": _("Module"),
        "check_status": _("Status"),
        "check_error": _("Error"),
        "check_final_url": _("Final URL"),
        "checked_at": _("Checked"),
        "open_reports": _("Open reports"),
        "learner_notes": _("Learners wrote"),
    }

    def to_row_dict(self, item):
        row = OrderedDict((field, multigetattr(item, field)) for field in self.list_export if field != "learner_notes")
        row["learner_notes"] = _learner_notes(item)
        return row

    def get_base_queryset(self):
        """Two queries whatever the number of links: links with their module joined and open reports
        counted in SQL, and the notes of the open reports on the page's links."""
        open_notes = BrokenLinkReport.objects.filter(resolved=False).exclude(note="").order_by("-created_at", "-pk")
        return (
            ReadingLink.objects.select_related("module")
            .prefetch_related(Prefetch("reports", queryset=open_notes, to_attr="open_notes"))
            .annotate(
                rank=Case(
                    When(BROKEN, then=Value(BROKEN_RANK)),
                    When(checked_at__isnull=True, then=Value(UNCHECKED_RANK)),
                    default=Value(OK_RANK),
                    output_field=IntegerField(),
                ),
                open_reports=Count("reports", filter=Q(reports__resolved=False)),
            )
            .order_by("rank", "-open_reports", "module__title", "sort_order", "pk")
        )


@hooks.register("register_admin_urls")
def register_reading_links_urls():
    # Wagtail wraps these in its admin-access check.
    return [
        path("academy/links/", ReadingLinksReportView.as_view(), name="academy_reading_links"),
        path(
            "academy/links/results/",
            ReadingLinksReportView.as_view(results_only=True),
            name="academy_reading_links_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_reading_links_menu_item():
    # Wagtail's MenuItem shows to anyone who reached the admin, i.e. has access_admin.
    return MenuItem(
        _("Reading links"), reverse("academy_reading_links"), name="reading-links", icon_name="link", order=1500
    )
