"""The learner's state version (User.progress_version): bumped by every write that changes what the
learner sees, in the same transaction, so a cache keyed on (user, progress_version, curriculum
version) can never serve a state from before the write (learning/operations/learner_cache.py).

The version is read with the user row, which every signed-in request loads anyway: the key costs no
query. Writes reach it two ways, and every write to a learner's records takes one of them:
- saving or deleting a record through the ORM (ModuleProgress, QuizAttempt, Enrolment, Certificate,
  ReadingVisit; team and group membership) sends Django's signals, connected below;
- a queryset `.update()` sends none, so the services and rules that use one call `changed()` after
  it, inside the same atomic block.
The bump always follows the write: a request that read the new version sees the new records.
"""

from django.contrib.auth import get_user_model
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save

from learning.records.models import Certificate, Enrolment, ModuleProgress, QuizAttempt, ReadingVisit
from learning.records.practice_models import ReviewCard, TestOutTry
from learning.records.revision_models import ModuleReRead

USER_RECORDS = (ModuleProgress, QuizAttempt, Enrolment, ReadingVisit, ModuleReRead, ReviewCard, TestOutTry)


def changed(*users):
    """Bump the version of these learners (users, ids, or one queryset of user ids)."""
    if len(users) == 1 and hasattr(users[0], "query"):
        ids = Subquery(users[0])
        return get_user_model().objects.filter(pk__in=ids).update(progress_version=F("progress_version") + 1)
    ids = {getattr(user, "pk", user) for user in users}
    return get_user_model().objects.filter(pk__in=ids).update(progress_version=F("progress_version") + 1)


def _record_written(sender, instance, **kwargs):
    changed(instance.user_id)


def _certificate_written(sender, instance, **kwargs):
    changed(Enrolment.objects.filter(pk=instance.enrolment_id).values("user_id"))


def members_changed(sender, instance, action, pk_set, **kwargs):
    """For a many-to-many between users and something they see (groups; teams connect it too): bump
    the users whose set changed, from whichever side the change was made. Django runs the change and
    its signals in one atomic block, so a bump before a clear commits with it."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, get_user_model()):  # user.groups.add(...), user.teams.remove(...)
        changed(instance.pk)
    elif action == "pre_clear":  # team.members.clear(): the users still in it
        changed(sender.objects.filter(**{_key_to(sender, instance): instance.pk}).values("user_id"))
    elif pk_set:  # team.members.add(a, b)
        changed(*pk_set)


def _key_to(through, instance):
    """The through model's foreign key to `instance`'s model."""
    for field in through._meta.get_fields():
        if field.many_to_one and field.related_model is type(instance):
            return field.attname
    raise LookupError(f"{through} has no key to {type(instance)}")


def connect(*, memberships=()):
    """Called once when the app is ready; `memberships` are the through models of many-to-manys between
    users and what they see (the team rows, which records may not import)."""
    for through in memberships:
        m2m_changed.connect(members_changed, sender=through, dispatch_uid=f"learner_state.{through.__name__}.m2m")
    for model in (*USER_RECORDS, *memberships):
        post_save.connect(_record_written, sender=model, dispatch_uid=f"learner_state.{model.__name__}.save")
        post_delete.connect(_record_written, sender=model, dispatch_uid=f"learner_state.{model.__name__}.delete")
    post_save.connect(_certificate_written, sender=Certificate, dispatch_uid="learner_state.Certificate.save")
    post_delete.connect(_certificate_written, sender=Certificate, dispatch_uid="learner_state.Certificate.delete")
    groups = get_user_model().groups.through
    m2m_changed.connect(members_changed, sender=groups, dispatch_uid="learner_state.groups")
