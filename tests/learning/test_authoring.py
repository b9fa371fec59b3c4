"""Editors: quiz rules at the field, stable keys, http(s)-only readings, the two preview modes,
the Editors group and the Lead editors workflow."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.models import Workflow

from learning.models import ModuleProgress, ReadingLink
from learning.models.blocks import QuestionBlock, QuizBlock


def question(**overrides):
    value = {"key": "k1", "kind": "single", "prompt": "Which?", "explanation": "",
             "choices": [{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}]}
    value.update(overrides)
    block = QuestionBlock()
    return block, block.to_python(value)


@pytest.mark.parametrize("choices, message", [
    ([{"text": "A", "correct": True, "feedback": ""}], "at least two choices"),
    ([{"text": "A", "correct": False, "feedback": ""}, {"text": "B", "correct": False, "feedback": ""}], "at least one choice as correct"),
    ([{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}], "exactly one correct choice"),
])
def test_a_broken_question_is_refused_with_a_message_at_the_choices(choices, message):
    block, value = question(choices=choices)
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert message in str(caught.value.block_errors["choices"])


def test_two_right_choices_are_fine_for_a_multiple_answer_question():
    block, value = question(kind="multiple", choices=[{"text": "A", "correct": True, "feedback": ""}, {"text": "B", "correct": True, "feedback": ""}])
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
    workflow = Workflow.objects.get(name="Lead editors approval")
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Lead editors"]
    assert workflow.workflow_pages.filter(page__depth=1).exists()
