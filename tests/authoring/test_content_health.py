"""The content health report: what needs care, reviews due, and what it says about link checks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.authoring import editor_reports
from learning.models import BrokenLinkReport, ReadingLink

pytestmark = pytest.mark.django_db


def test_content_health_lists_what_needs_care(academy, make_user):
    withdrawal = academy["withdrawal"]
    withdrawal.last_reviewed = timezone.localdate() - datetime.timedelta(days=730)
    withdrawal.save()
    ReadingLink.objects.filter(module=academy["consent"]).delete()
    returns_link = ReadingLink.objects.get(module=academy["returns"])
    basics_link = ReadingLink.objects.get(module=academy["payment-basics"])
    shipping_link = ReadingLink.objects.get(module=academy["shipping"])
    now = timezone.now()
    ReadingLink.objects.filter(pk=returns_link.pk).update(check_status=404, checked_at=now)
    ReadingLink.objects.filter(pk=basics_link.pk).update(check_status=None, checked_at=now, check_error="timeout")
    ReadingLink.objects.filter(pk=shipping_link.pk).update(check_status=200, checked_at=now)
    reporter = make_user("rita")
    for resolved in (False, False, True):
        BrokenLinkReport.objects.create(link=shipping_link, user=reporter, resolved=resolved)
    BrokenLinkReport.objects.create(link=returns_link, user=reporter)
    academy["chargebacks"].unpublish()

    health = editor_reports.content_health()

    assert [m["title"] for m in health["review_due"]] == ["Right of withdrawal"]
    assert [m["title"] for m in health["without_quiz"]] == ["Right of withdrawal", "Shipping"]
    assert [m["title"] for m in health["without_readings"]] == ["Consent and cookies"]
    assert [(s["path__title"], s["module__title"]) for s in health["unpublished_steps"]] == [
        ("Payments specialist", "Chargebacks")
    ]
    assert [(r["pk"], r["check_status"]) for r in health["failing_readings"]] == [
        (basics_link.pk, None),
        (returns_link.pk, 404),
    ]
    reported = [(r["link_id"], r["reports"]) for r in health["reported_links"]]
    assert reported == [(shipping_link.pk, 2), (returns_link.pk, 1)]


def test_review_is_due_after_the_configured_months(academy, settings):
    settings.ACADEMY_REVIEW_MONTHS = 1
    today = datetime.date(2027, 3, 31)
    assert editor_reports.review_cutoff(today) == datetime.date(2027, 2, 28)
    health = editor_reports.content_health(today=today)
    # Every fixture module was last reviewed on 2026-11-01, the German translation of returns too.
    assert len(health["review_due"]) == 6 + 1
    settings.ACADEMY_REVIEW_MONTHS = 12
    assert editor_reports.content_health(today=today)["review_due"] == []


def test_a_never_reviewed_module_is_due(academy):
    shipping = academy["shipping"]
    shipping.last_reviewed = None
    shipping.save()
    assert [m["title"] for m in editor_reports.content_health()["review_due"]] == ["Shipping"]


def health_page(client):
    return client.get(reverse("learning_reports:content_health")).content.decode()


def test_content_health_says_links_are_not_checked_yet_and_when_the_last_check_ran(client, academy, editor):
    client.force_login(editor)
    total = ReadingLink.objects.count()
    page = health_page(client)
    assert f"{total} reading links are not checked yet" in page and "The last link check ran: never." in page
    ReadingLink.objects.filter(module=academy["returns"]).update(checked_at=timezone.now(), check_status=200)
    page = health_page(client)
    assert f"{total - 1} reading links are not checked yet" in page and "The last link check ran on" in page
    ReadingLink.objects.update(checked_at=timezone.now(), check_status=200)
    page = health_page(client)
    assert "not checked yet" not in page and "The last link check ran on" in page


NOTHING_FOUND = {
    key: []
    for key in (
        "review_due",
        "without_quiz",
        "without_readings",
        "unpublished_steps",
        "failing_readings",
        "reported_links",
        "outdated_translations",
    )
}


@pytest.mark.parametrize(
    "unchecked, says",
    [
        (3, ["Nothing else needs care", "3 reading links are not checked yet", "The last link check ran: never."]),
        (0, ["every link works", "The last link check ran on"]),
    ],
)
def test_with_nothing_found_every_link_works_only_when_every_link_was_checked(
    client, academy, editor, monkeypatch, unchecked, says
):
    last_run = None if unchecked else timezone.now()
    health = {
        **NOTHING_FOUND,
        "cutoff": datetime.date(2026, 1, 1),
        "link_checks": {"total": 3, "unchecked": unchecked, "last_run": last_run},
    }
    monkeypatch.setattr(editor_reports, "content_health", lambda: health)
    client.force_login(editor)
    page = health_page(client)
    for text in says:
        assert text in page
    assert ("every link works" in page) == (unchecked == 0)
