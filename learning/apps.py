from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The catalogue's pages reach the learner's views and context through this registry, so the
        # page models never import learning.records (which imports them).
        from learning.operations import site_roots
        from learning.records import learner_state, routes
        from learning.teams.models import TeamManager, TeamMember

        routes.register()
        # Every write a learner would see bumps their state version (learner_state explains why); team
        # rows are written by team.members.add() (m2m signals) and by the admin's chooser (row signals).
        learner_state.connect(memberships=(TeamMember, TeamManager))
        # xAPI: the outbox listens to the records' events (learning/records/events.py), which never import it.
        from learning.interop import outbox

        outbox.connect()
        # Wagtail's cached site root paths, cleared in every worker when a site's home pages change.
        site_roots.connect()
        # What changed: a published module's change note into its history (learning/catalogue/revisions.py).
        from learning.catalogue import revisions
        from learning.catalogue.models import ModulePage

        revisions.connect(ModulePage)
