"""Demo people, teams and progress from a small description (fixtures/demo.yaml), built through the services."""

import datetime
import random

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from learning.catalogue.models import PathPage
from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading, progress, services
from learning.records.models import Enrolment, ModuleProgress, QuizAttempt
from learning.teams.models import Team

# Demo roles that work in the admin, and their group: editors write and submit, lead editors approve and publish.
EDITOR_GROUPS = {"editor": "Editors", "lead-editor": "Lead editors"}


class DemoError(Exception):
    pass


def _user(spec, password):
    User = get_user_model()
    first, _, last = spec["name"].partition(" ")
    role = spec.get("role", "learner")
    user, _ = User.objects.update_or_create(
        username=spec["username"],
        defaults={
            "first_name": first,
            "last_name": last,
            "display_name": spec["name"],
            "email": f"{spec['username']}@academy.example",
            "is_staff": role in ("admin", *EDITOR_GROUPS),
            "is_superuser": role == "admin",
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    if role in EDITOR_GROUPS:
        user.groups.add(Group.objects.get(name=EDITOR_GROUPS[role]))
    return user


def _work_through(user, path, share, rng):
    """Complete the first `share` of the path's required modules, as a learner would, over past weeks."""
    steps = [step for step in progress.path_steps(path) if step.required]
    target = round(share * len(steps))
    now = timezone.now()
    for index, step in enumerate(steps[:target]):
        module = step.module
        at = now - datetime.timedelta(days=3 * (target - index) + rng.randint(0, 2), hours=rng.randint(0, 8))
        progress.module_open(user=user, module=module)
        if module.quiz and not QuizAttempt.objects.filter(user=user, module=module, passed=True).exists():
            questions = questions_from_quiz(module.quiz)
            if rng.random() < 0.3:  # some learners need a second try
                services.quiz_attempt_submit(user=user, module=module, answers={}, at=at - datetime.timedelta(hours=1))
            services.quiz_attempt_submit(user=user, module=module, answers=grading.model_answers(questions), at=at)
        progress.module_complete(user=user, module=module, at=at)
        # Opening stamps "now"; the demo's history is spread over the past weeks instead.
        ModuleProgress.objects.filter(user=user, module=module).update(
            started_at=at - datetime.timedelta(hours=2), last_seen_at=at
        )
    if target < len(steps):
        progress.module_open(user=user, module=steps[target].module)
        ModuleProgress.objects.filter(user=user, module=steps[target].module, state=progress.STARTED).update(
            last_seen_at=now - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8))
        )


def load(file):
    """Build the demo described in `file`; returns (password, [(username, role)])."""
    with open(file, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    rng = random.Random(spec.get("seed", 0))
    # Records are kept on the English pages; a German or Polish path shares its slug.
    paths = {page.slug: page for page in PathPage.objects.live().filter(locale=Locale.get_default())}
    missing = sorted({e["path"] for e in spec["enrolments"]} - set(paths))
    if missing:
        raise DemoError(f"paths not in the CMS (run load_curriculum first): {', '.join(missing)}")
    with transaction.atomic():
        users = {u["username"]: _user(u, spec["password"]) for u in spec["users"]}
        for team_spec in spec.get("teams", []):
            team, _ = Team.objects.get_or_create(name=team_spec["name"])
            team.managers.add(*(users[name] for name in team_spec["managers"]))
            team.members.add(*(users[name] for name in team_spec["members"]))
        today = timezone.localdate()
        for item in spec["enrolments"]:
            user, path = users[item["user"]], paths[item["path"]]
            assigned_by = users.get(item.get("assigned_by"))
            due = today + datetime.timedelta(days=item["due_in_days"]) if "due_in_days" in item else None
            if not Enrolment.objects.filter(user=user, path=path).exists():
                services.enrolment_create(
                    user=user,
                    path=path,
                    source=Enrolment.ASSIGNED if assigned_by else Enrolment.SELF,
                    assigned_by=assigned_by,
                    due_date=due,
                )
            _work_through(user, path, item.get("done", 0), rng)
    return spec["password"], [(u["username"], u.get("role", "learner")) for u in spec["users"]]
