"""The page factories build pages the site serves and the rules read like imported ones, so a unit
test built on them tests the real thing."""

from learning.catalogue.models import AreaIndexPage, ModulePage
from learning.catalogue.quiz import questions_from_quiz
from learning.records import progress
from tests.factories import ModulePageFactory, PathPageFactory, question, quiz_data, work_through


def test_a_factory_module_sits_in_the_academy_and_serves_its_quiz(client, academy, make_user):
    module = ModulePageFactory(title="Refunds", quiz=quiz_data(question("q1"), question("q2", right=("A", "B"))))
    other = ModulePageFactory()
    # Both areas went under the academy's one (English) index; the German one is its translation.
    assert AreaIndexPage.objects.filter(locale__language_code="en").count() == 1
    assert module.get_parent().get_parent().specific == academy["areas"] == other.get_parent().get_parent().specific
    stored = questions_from_quiz(ModulePage.objects.get(pk=module.pk).quiz)
    assert stored == [question("q1"), question("q2", right=("A", "B"))] and stored[1].kind == "multiple"

    client.force_login(make_user())
    html = client.get(module.url).content.decode()
    assert "Refunds" in html and "Which one is right?" in html


def test_a_factory_path_counts_its_required_steps_and_offers_the_elective_last(academy, make_user):
    learner, module = make_user(), ModulePageFactory()
    path = PathPageFactory(steps=[module, {"module": academy["shipping"], "required": False, "stage": "Extra"}])
    summary = progress.path_progress(user=learner, path=path)
    assert (summary.required, summary.electives, summary.next_module) == (1, 1, module)

    work_through(learner, [module])
    summary = progress.path_progress(user=learner, path=path)
    assert (summary.complete, summary.next_module) == (True, academy["shipping"])
