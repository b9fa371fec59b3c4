"""Django's entry to the app's models: each subpackage owns its own, and this module only gathers
them so Django (and migrations, the shell, tests) find every model under one app label. Code inside
the subpackages imports models from their owner, never from here (import-linter checks it)."""

from learning.accounts.models import User
from learning.authoring.models import CurriculumSource
from learning.catalogue.models import (
    AcademyHomePage,
    AreaIndexPage,
    AreaPage,
    ModulePage,
    ModulePageTag,
    PathIndexPage,
    PathPage,
    PathStep,
    ReadingLink,
)
from learning.catalogue.revision_models import RevisionNote
from learning.interop.badge_models import BadgeSigningKey
from learning.interop.models import LearnerAccount, OutboxStatement
from learning.records.models import (
    BrokenLinkReport,
    Certificate,
    Enrolment,
    ModuleProgress,
    QuizAnswer,
    QuizAttempt,
    ReadingVisit,
)
from learning.records.practice_models import ReviewCard, TestOutTry
from learning.records.revision_models import ModuleReRead
from learning.teams.models import Reminder, Team, TeamManager, TeamMember

__all__ = [
    "AcademyHomePage",
    "AreaIndexPage",
    "AreaPage",
    "BadgeSigningKey",
    "BrokenLinkReport",
    "Certificate",
    "CurriculumSource",
    "Enrolment",
    "LearnerAccount",
    "ModuleReRead",
    "ModulePage",
    "ModulePageTag",
    "ModuleProgress",
    "OutboxStatement",
    "PathIndexPage",
    "PathPage",
    "PathStep",
    "QuizAnswer",
    "QuizAttempt",
    "ReadingLink",
    "RevisionNote",
    "ReadingVisit",
    "Reminder",
    "ReviewCard",
    "Team",
    "TeamManager",
    "TeamMember",
    "TestOutTry",
    "User",
]
