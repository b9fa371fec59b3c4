"""Admin: the xAPI outbox (Reports > xAPI outbox): how many statements are sent, waiting, failing or rejected,
and each statement's state, attempts, next try and the LRS's last answer, failing ones first. Anyone who may
use the admin sees it, as the reading-links report; it names no learner (the statements carry opaque ids)."""

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView

from learning.interop.models import OutboxStatement
from learning.interop.sender import outbox_counts

STATE_ORDER = {OutboxStatement.FAILING: 0, OutboxStatement.REJECTED: 1, OutboxStatement.WAITING: 2}


def _object_name(row):
    """The activity's name in the first language it has (English first), or its id."""
    activity = row.statement.get("object", {})
    names = activity.get("definition", {}).get("name", {})
    return names.get("en-US") or next(iter(names.values()), "") or activity.get("id", "")


class OutboxFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=OutboxStatement.STATES)

    class Meta:
        model = OutboxStatement
        fields = ["state"]


class OutboxReportView(ReportView):
    page_title = _("xAPI outbox")
    header_icon = "resubmit"
    index_url_name = "academy_xapi_outbox"
    index_results_url_name = "academy_xapi_outbox_results"
    results_template_name = "learning/admin/xapi_outbox_results.html"
    verbose_name_plural = _("xAPI statements")
    filterset_class = OutboxFilterSet
    export_filename = "xapi-outbox"
    columns = [
        DateColumn("created_at", label=_("Written")),
        Column("verb", label=_("Verb")),
        Column("object", label=_("About"), accessor=_object_name),
        Column("state", label=_("State"), accessor="get_state_display"),
        NumberColumn("attempts", label=_("Attempts")),
        DateColumn("next_try_at", label=_("Next try")),
        DateColumn("sent_at", label=_("Sent")),
        Column("last_error", label=_("Last error")),
    ]
    list_export = ["created_at", "verb", "statement_id", "state", "attempts", "next_try_at", "sent_at", "last_error"]

    def get_base_queryset(self):
        """Failing and rejected first (what needs a look), then waiting, then sent, oldest first: 1 query a page."""
        rank = Case(
            *(When(state=state, then=Value(order)) for state, order in STATE_ORDER.items()),
            default=Value(len(STATE_ORDER)),
            output_field=IntegerField(),
        )
        return OutboxStatement.objects.annotate(rank=rank).order_by("rank", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(OutboxStatement.STATES)
        context["outbox_counts"] = [(labels[state], count) for state, count in outbox_counts().items()]
        return context


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [
        path("academy/xapi/", OutboxReportView.as_view(), name="academy_xapi_outbox"),
        path("academy/xapi/results/", OutboxReportView.as_view(results_only=True), name="academy_xapi_outbox_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_outbox_menu_item():
    return MenuItem(
        _("xAPI outbox"), reverse("academy_xapi_outbox"), name="xapi-outbox", icon_name="resubmit", order=1600
    )
