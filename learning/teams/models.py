from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Team(ClusterableModel):
    """A team: its managers see its members' progress at /team/. Clusterable so the admin edits managers
    and members as rows with a user chooser each (TeamManager, TeamMember), however many users exist."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True, through="TeamManager"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True, through="TeamMember")

    class Meta:
        ordering = ["name"]
        # Granted by an admin (Wagtail: Settings > Groups, or a user's permissions); superusers
        # have it implicitly. Checked by learning.teams.permissions.sees_all_teams.
        permissions = [("view_all_teams", _("Can see every team's members, progress and exports"))]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    """One member of a team: a row of Team.members, in the table Django made for the plain many-to-many
    field (migration 0012 changed the models, not the tables); team.members.add() works as before."""

    team = ParentalKey(Team, related_name="member_rows", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE, verbose_name=_("member")
    )

    class Meta:
        db_table = "learning_team_members"
        unique_together = [("team", "user")]
        verbose_name = _("team member")

    def __str__(self):
        return str(self.user)


class TeamManager(models.Model):
    """One manager of a team: a row of Team.managers (table as Django made it for the plain field)."""

    team = ParentalKey(Team, related_name="manager_rows", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE, verbose_name=_("manager")
    )

    class Meta:
        db_table = "learning_team_managers"
        unique_together = [("team", "user")]
        verbose_name = _("team manager")

    def __str__(self):
        return str(self.user)


class Reminder(models.Model):
    """One row per e-mail sent, claimed before sending, so however often send_reminders runs a learner
    hears once when a due date is near, once when it passes, then at most weekly; a manager's digest
    goes out at most once per week, and a manager's "remind now" at most once per assignment per day."""

    DUE_SOON, OVERDUE, WEEKLY = "due_soon", "overdue", "overdue_weekly"
    DIGEST, MANUAL = "digest", "manual"
    # Rows written before the schedule (one mail a day while due) keep their kind.
    DUE = "due"
    KINDS = [
        (DUE_SOON, _("Due date near")),
        (OVERDUE, _("Due date passed")),
        (WEEKLY, _("Still overdue (weekly)")),
        (DIGEST, _("Weekly digest")),
        (MANUAL, _("Sent by a manager")),
        (DUE, _("Due or overdue")),
    ]
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=KINDS)
    enrolment = models.ForeignKey(
        "learning.Enrolment", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    period = models.CharField(
        max_length=16,
        help_text=_("The due date (near, passed), the day (weekly, by a manager) or ISO week (digest) it covers."),
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "enrolment", "period"], name="one_reminder_per_period"
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"],
                condition=models.Q(enrolment__isnull=True),
                name="one_digest_per_week",
            ),
        ]
