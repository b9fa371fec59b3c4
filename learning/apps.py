from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The catalogue's pages reach the learner's views and context through this registry, so the
        # page models never import learning.records (which imports them).
        from django.db.models.signals import m2m_changed

        from learning.records import learner_state, routes
        from learning.teams.models import Team

        routes.register()
        # Every write a learner would see bumps their state version (learner_state explains why).
        learner_state.connect()
        for relation in (Team.members, Team.managers):
            m2m_changed.connect(learner_state.members_changed, sender=relation.through, dispatch_uid=str(relation))
