import io

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page

from learning.models import Certificate, Enrolment, ModuleProgress, QuizAttempt, Team
from tests.conftest import ROOT

DEMO = str(ROOT / "tests" / "fixtures" / "demo.yaml")


def counts():
    return [m.objects.count() for m in (get_user_model(), Team, Enrolment, ModuleProgress, QuizAttempt, Certificate)]


def test_demo_builds_accounts_a_team_and_spread_progress(academy, settings):
    settings.DEBUG = True
    call_command("load_demo", file=DEMO)
    team = Team.objects.get(name="Shop team")
    assert team.members.count() == 5 and list(team.managers.values_list("username", flat=True)) == ["manager"]
    m1 = Enrolment.objects.get(user__username="m1")
    assert m1.completed_at is not None and Certificate.objects.filter(enrolment=m1).exists()
    learner = get_user_model().objects.get(username="learner")
    states = dict(ModuleProgress.objects.filter(user=learner).values_list("module__slug", "state"))
    assert states == {"payment-basics": "completed", "returns": "completed", "consent": "started"}
    assert QuizAttempt.objects.filter(user=learner, passed=True).count() == 2
    assert Enrolment.objects.get(user__username="m2").due_date < Enrolment.objects.get(user__username="m1").due_date


def test_demo_is_rerunnable(academy, settings):
    settings.DEBUG = True
    call_command("load_demo", file=DEMO)
    before = counts()
    call_command("load_demo", file=DEMO)
    assert counts() == before


def test_demo_editor_can_edit_and_submit_academy_pages_but_not_publish_or_manage_users(academy, settings):
    settings.DEBUG = True
    call_command("load_demo", file=DEMO)
    editor = get_user_model().objects.get(username="editor")
    module = Page.objects.get(slug="payment-basics")
    permissions = module.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not editor.has_perm("auth.change_user") and not editor.has_perm("learning.change_user")


def test_demo_editor_reaches_the_admin(academy, settings, client):
    settings.DEBUG = True
    call_command("load_demo", file=DEMO)
    response = client.post("/accounts/login/", {"username": "editor", "password": "test-demo-pass"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{Page.objects.get(slug='payment-basics').pk}/edit/").status_code == 200


def test_demo_refuses_to_run_with_debug_off(academy, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", file=DEMO)
    assert not get_user_model().objects.filter(username="manager").exists()
    call_command("load_demo", file=DEMO, force=True)
    assert get_user_model().objects.filter(username="manager").exists()


def test_the_demo_has_a_lead_editor_who_publishes_and_is_printed_with_the_logins(academy, settings, tmp_path):
    """fixtures/demo.yaml (what `make run` loads) names a lead editor; loading such a user puts them in
    Lead editors, who may publish, and load_demo prints the login with the others."""
    settings.DEBUG = True
    shipped = yaml.safe_load((ROOT / "fixtures" / "demo.yaml").read_text(encoding="utf-8"))
    assert {"username": "lead", "name": "Lea Lead", "role": "lead-editor"} in shipped["users"]
    with open(DEMO, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    spec["users"].append({"username": "lead", "name": "Lea Lead", "role": "lead-editor"})
    (tmp_path / "demo.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = io.StringIO()
    call_command("load_demo", file=str(tmp_path / "demo.yaml"), stdout=out)
    assert "lead-editor lead" in out.getvalue()
    lead = get_user_model().objects.get(username="lead")
    assert list(lead.groups.values_list("name", flat=True)) == ["Lead editors"]
    assert Page.objects.get(slug="payment-basics").permissions_for_user(lead).can_publish()
