from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    reminders_opt_out = models.BooleanField(
        _("no reminder e-mails"), default=False, help_text=_("Do not e-mail me about due or overdue paths.")
    )
    # Off until the learner says so: their digital badges then name them; otherwise a badge identifies them
    # only by a salted hash (learning/interop/badges.py).
    badge_shows_name = models.BooleanField(
        _("my name on my badges"),
        default=False,
        help_text=_("Show my name in the digital badges (Open Badges) of my certificates."),
    )
    # Bumped in the same transaction as every write that changes what this learner sees (progress,
    # attempts, enrolments, visits, certificates, teams): the user row is read on every signed-in
    # request anyway, so caches keyed on it cost no query and can never serve a stale state.
    progress_version = models.PositiveBigIntegerField(default=0, editable=False)

    def save(self, *args, update_fields=None, **kwargs):
        # A full save writes back the version read with the row; a learner's write in another request
        # may have bumped it since, and going back would revive cached pages from before that write.
        if update_fields is None and not self._state.adding:
            update_fields = [f.name for f in self._meta.concrete_fields if not f.primary_key and f.editable]
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def name(self):
        return self.display_name or self.get_full_name() or self.username

    def __str__(self):
        return self.name
