"""What learning.records does on the catalogue's pages, registered with learning.catalogue.learner_hooks
when the app is ready (the pages call these by name and never import records)."""

from learning.catalogue import learner_hooks
from learning.records import events, practice, selectors, views


def register():
    learner_hooks.register(
        module_page=views.module_page,
        module_complete=views.module_complete,
        quiz_submit=views.quiz_submit,
        quiz_result=views.quiz_result,
        path_enrol=views.path_enrol,
        home_context=selectors.learner_home,
        path_context=selectors.path_for_viewer,
    )
    # A completed module's questions become the learner's review cards, in the completion's transaction.
    events.module_completed.connect(practice.cards_for_completion, dispatch_uid="practice.cards_for_completion")
