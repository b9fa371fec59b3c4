from .accounts import User
from .curriculum import CurriculumSource
from .pages import (
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
from .progress import BrokenLinkReport, Certificate, Enrolment, ModuleProgress, QuizAnswer, QuizAttempt, ReadingVisit
from .teams import Reminder, Team

__all__ = [
    "AcademyHomePage", "AreaIndexPage", "BrokenLinkReport", "AreaPage", "Certificate", "CurriculumSource", "Enrolment",
    "ModulePage", "ModulePageTag", "ModuleProgress", "PathIndexPage", "PathPage", "PathStep",
    "QuizAnswer", "QuizAttempt", "ReadingLink", "ReadingVisit", "Reminder", "Team", "User",
]
