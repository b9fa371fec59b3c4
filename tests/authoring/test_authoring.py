"""Editors: quiz rules at the field, stable keys, http(s)-only readings, the two preview modes,
the Editors group and the Lead editors workflow."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.models import Workflow
from wagtail.test.utils.form_data import streamfield

from learning.catalogue.blocks import QuestionBlock, QuizBlock
from learning.models import ModuleProgress, ReadingLink


def question(**overrides):
    value = {
        "key": "k1",
        "kind": "single",
        "prompt": "Which?",
        "explanation": "",
        "choices": [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}],
    }
    value.update(overrides)
    block = QuestionBlock()
    return block, block.to_python(value)


@pytest.mark.parametrize(
    "choices, message",
    [
        ([{"text": "A", "correct": True, "feedback": ""}], "at least two choices"),
        (
            [{"text": "A", "correct": False, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}],
            "at least one choice as correct",
        ),
        (
            [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}],
            "exactly one correct choice",
        ),
    ],
)
def test_a_broken_question_is_refused_with_a_message_at_the_choices(choices, message):
    block, value = question(choices=choices)
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert message in str(caught.value.block_errors["choices"])


def test_two_right_choices_are_fine_for_a_multiple_answer_question():
    block, value = question(
        kind="multiple",
        choices=[{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}],
    )
    assert block.clean(value)["kind"] == "multiple"


def test_a_new_question_gets_a_key_and_an_existing_key_is_kept():
    block, value = question(key="")
    assert block.clean(value)["key"].startswith("which-")
    block, value = question(key="keep-me", prompt="Reworded prompt")
    assert block.clean(value)["key"] == "keep-me"


def test_the_same_key_twice_in_a_quiz_is_refused():
    quiz = QuizBlock()
    value = quiz.to_python([{"type": "question", "value": question()[1]}, {"type": "question", "value": question()[1]}])
    with pytest.raises(StreamBlockValidationError):
        quiz.clean(value)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,hi"])
def test_reading_links_accept_only_http_and_https(academy, url):
    link = ReadingLink(module=academy["payment-basics"], title="T", url=url, publisher="P", why="W")
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert "url" in caught.value.message_dict


def preview(module, mode, user):
    response = module.make_preview_request(preview_mode=mode, extra_request_attrs={"user": user})
    response.render()
    return response.content.decode()


def test_preview_as_a_learner_hides_the_answers_and_records_nothing(academy, make_user):
    editor = make_user("ed", is_superuser=True, is_staff=True)
    module = academy["payment-basics"]
    html = preview(module, "", editor)
    assert "Which statement about payment basics is right?" in html
    assert "✓" not in html and "Because it is." not in html
    assert not ModuleProgress.objects.filter(user=editor).exists()


def test_preview_with_answers_marks_the_right_choices(academy, make_user):
    module = academy["payment-basics"]
    html = preview(module, "answers", make_user("ed", is_superuser=True, is_staff=True))
    assert "✓ The right one" in html and "Because it is." in html and "✓ A wrong one" not in html


def test_every_install_has_the_editors_group_and_the_lead_editors_workflow(db):
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="access_admin").exists()
    assert not editors.permissions.filter(codename__in=["add_user", "change_user", "change_group"]).exists()
    page_permissions = {
        group.name: set(group.page_permissions.values_list("permission__codename", flat=True))
        for group in Group.objects.filter(name__in=["Editors", "Lead editors"])
    }
    assert "publish_page" not in page_permissions["Editors"] and "change_page" in page_permissions["Editors"]
    assert "publish_page" in page_permissions["Lead editors"]
    workflow = Workflow.objects.get(name="Lead editors approval")
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Lead editors"]
    assert workflow.workflow_pages.filter(page__depth=1).exists()


def draft_with_a_new_reading(module):
    """A draft revision holding a reading the editor added but nobody published: it has no row yet."""
    module.readings.add(ReadingLink(title="Fresh reading", url="https://example.org/fresh", publisher="P", why="W"))
    return module.save_revision()


@pytest.mark.parametrize("mode", ["", "answers"])
def test_preview_renders_a_draft_whose_reading_is_not_saved_yet(academy, make_user, mode):
    revision = draft_with_a_new_reading(academy["payment-basics"])
    html = preview(revision.as_object(), mode, make_user("ed", is_superuser=True, is_staff=True))
    assert "Fresh reading" in html and 'href="https://example.org/fresh"' in html


def test_view_draft_renders_a_draft_whose_reading_is_not_saved_yet(client, academy, make_user):
    module = academy["payment-basics"]
    draft_with_a_new_reading(module)
    client.force_login(make_user("ed", is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[module.pk]))
    assert response.status_code == 200 and "Fresh reading" in response.content.decode()


def quiz_form_data(questions):
    """The quiz StreamField as the admin's editor posts it (Wagtail's JS builds these inputs)."""

    def choice(index, item):
        fields = item.get("value", item)  # a stored choice is {type, value, id}
        value = {"text": fields["text"], "feedback": fields["feedback"]}
        if fields["correct"]:
            value["correct"] = "on"  # a ticked checkbox; an unticked one is not posted
        return {"value": value, "deleted": "", "order": str(index), "id": item.get("id", "")}

    def block(item):
        choices = {str(i): choice(i, c) for i, c in enumerate(item["choices"])}
        return {
            **{k: item[k] for k in ("key", "kind", "prompt", "explanation")},
            "choices": {"count": str(len(choices)), **choices},
        }

    return streamfield([("question", block(item)) for item in questions])


def edit_form_data(client, module, *, questions=None, new_readings=()):
    """What the admin's edit form posts for `module`: its rendered fields, an empty body, the quiz
    (the module's own unless `questions` is given) and its readings plus `new_readings`."""
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html

    html = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form").dict()
    data = {name: value for name, value in data.items() if "__prefix__" not in name}
    if questions is None:
        questions = [question()[0].get_prep_value(block.value) for block in module.quiz]
    data.update(nested_form_data({"body": streamfield([]), "quiz": quiz_form_data(questions)}))
    total = int(data["readings-TOTAL_FORMS"])
    for offset, reading in enumerate(new_readings):
        index = total + offset
        fields = {"kind": "guide", "language": "en", "minutes": "5", "id": "", "DELETE": "", "ORDER": str(index + 1)}
        data.update({f"readings-{index}-{name}": value for name, value in {**fields, **reading}.items()})
    data["readings-TOTAL_FORMS"] = str(total + len(new_readings))
    return data


FRESH = {"title": "Fresh reading", "url": "https://example.org/fresh", "publisher": "P", "why": "W"}


def test_admin_preview_of_the_edit_form_with_a_new_reading_renders_in_both_modes(client, academy, make_user):
    module = academy["payment-basics"]
    client.force_login(make_user("ed", is_superuser=True, is_staff=True))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[module.pk])
    response = client.post(preview_url, edit_form_data(client, module, new_readings=[FRESH]))
    assert response.json()["is_valid"], response.json()
    for mode in ("", "answers"):
        response = client.get(preview_url, {"mode": mode})
        assert response.status_code == 200 and "Fresh reading" in response.content.decode()


def test_saving_a_quiz_with_a_bad_third_question_marks_that_question(client, academy, make_user):
    """The server half of "Go to the first error": the error travels to the editor keyed to question
    3 (index 2) and its choices, not to the quiz as a whole (the browser half: tests/browser)."""
    import html
    import json
    import re

    module = academy["payment-basics"]
    client.force_login(make_user("ed", is_superuser=True, is_staff=True))
    choices = [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}]
    good = {"key": "", "kind": "single", "prompt": "Good?", "explanation": "", "choices": choices}
    bad = {**good, "prompt": "Bad?", "choices": [{**choice, "correct": False} for choice in choices]}
    data = edit_form_data(client, module, questions=[good, {**good, "prompt": "Also good?"}, bad])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[module.pk]), data)
    assert response.status_code == 200  # the form again, not a redirect: nothing was saved
    quiz = re.search(r'id="quiz" data-block [^>]*data-w-block-arguments-value="([^"]*)"', response.content.decode())
    errors = json.loads(html.unescape(quiz.group(1)))[-1]  # (value, errors) for Wagtail's block editor
    assert errors == {
        "blockErrors": {"2": {"blockErrors": {"choices": {"messages": ["Mark at least one choice as correct."]}}}}
    }


# --- Editors submit, lead editors approve and publish ---------------------------------------------


@pytest.fixture
def in_group(make_user):
    def make(username, group):
        user = make_user(username, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


def post_edit(client, module, action, title):
    data = edit_form_data(client, module)
    data.update({"title": title, action: "1"})
    return client.post(reverse("wagtailadmin_pages:edit", args=[module.pk]), data)


def live_title(module):
    module.refresh_from_db()
    return module.title


def test_an_editor_is_offered_submit_not_publish_and_a_publish_post_publishes_nothing(client, academy, in_group):
    module = academy["payment-basics"]
    client.force_login(in_group("eddie", "Editors"))
    form = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert 'name="action-submit"' in form and 'name="action-publish"' not in form
    post_edit(client, module, "action-publish", "Payment basics, rewritten")
    assert live_title(module) == "Payment basics"
    assert module.get_latest_revision().content["title"] == "Payment basics, rewritten"  # kept as a draft


def test_a_lead_editor_publishes_directly(client, academy, in_group):
    module = academy["payment-basics"]
    client.force_login(in_group("lea", "Lead editors"))
    form = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert 'name="action-publish"' in form
    post_edit(client, module, "action-publish", "Payment basics, approved")
    assert live_title(module) == "Payment basics, approved"


def test_an_editor_submits_and_a_lead_editor_approves_and_publishes(client, academy, in_group):
    module = academy["payment-basics"]
    client.force_login(in_group("eddie", "Editors"))
    post_edit(client, module, "action-submit", "Payment basics, for review")
    module.refresh_from_db()
    task_state = module.current_workflow_task_state
    assert task_state.task.name == "Lead editors approval" and live_title(module) == "Payment basics"

    approve = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "approve", task_state.pk])
    client.post(approve)  # the editor cannot approve their own submission: Wagtail says so and changes nothing
    assert live_title(module) == "Payment basics"
    client.force_login(in_group("lea", "Lead editors"))
    client.post(approve)
    assert live_title(module) == "Payment basics, for review"
