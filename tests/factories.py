"""Test data: pages built by factories (wagtail-factories) for unit tests, generated curricula of any
size (through the real importer) for scale tests, and learners' progress.

Integration tests use the fixture curriculum (the `academy` fixture); a unit test that needs a page of
a particular shape builds it here: `ModulePageFactory(quiz=quiz_data(question("q1", right=())))`,
`PathPageFactory(steps=[module, {"module": other, "required": False}])`.
"""

import datetime

import factory
import wagtail_factories
import yaml
from wagtail.models import Page

from learning.authoring.curriculum import read
from learning.authoring.curriculum_pages import import_curriculum
from learning.catalogue import quiz
from learning.catalogue.models import (
    AcademyHomePage,
    AreaIndexPage,
    AreaPage,
    ModulePage,
    PathIndexPage,
    PathPage,
    PathStep,
)
from learning.catalogue.quiz import Choice, Question, questions_from_quiz
from learning.records import grading, progress, services

BODY = "Text **here**.\n\n:::example A shop\nNumbers.\n:::\n"


def question(key="q1", *, prompt="Which one is right?", right=("Right",), wrong=("Wrong",), kind=None, **text):
    """A quiz question as learning.catalogue.quiz shapes it; choice ids are `<key>-right-<n>` and
    `<key>-wrong-<n>`. `feedback` (every choice's) and `explanation` are empty unless given."""
    choices = [
        Choice(id=f"{key}-{side}-{n}", text=choice, correct=side == "right", feedback=text.get("feedback", ""))
        for side, texts in (("right", right), ("wrong", wrong))
        for n, choice in enumerate(texts)
    ]
    kind = kind or ("multiple" if len(right) > 1 else "single")
    return Question(key, kind, prompt, tuple(choices), text.get("explanation", ""))


def quiz_data(*questions):
    """The quiz StreamField's stored form of `questions` (the importers' own mapping); questions_from_quiz
    reads them back as given."""
    return quiz.stream_data(questions, seed="factory")


class AcademyHomePageFactory(wagtail_factories.PageFactory):
    """The home the fixture curriculum made (or, after a transactional test's flush, a new one)."""

    title = "E-Commerce Academy"
    slug = "academy"
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = AcademyHomePage
        django_get_or_create = ("slug", "parent")


class AreaIndexPageFactory(wagtail_factories.PageFactory):
    title = "Knowledge areas"
    slug = "areas"
    parent = factory.SubFactory(AcademyHomePageFactory)

    class Meta:
        model = AreaIndexPage
        django_get_or_create = ("slug", "parent")


class PathIndexPageFactory(wagtail_factories.PageFactory):
    title = "Learning paths"
    slug = "paths"
    parent = factory.SubFactory(AcademyHomePageFactory)

    class Meta:
        model = PathIndexPage
        django_get_or_create = ("slug", "parent")


class AreaPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Area {n}")
    summary = "What this area covers."
    parent = factory.SubFactory(AreaIndexPageFactory)

    class Meta:
        model = AreaPage


class ModulePageFactory(wagtail_factories.PageFactory):
    """A live module in a new area with a one-question quiz (right choice `q1-right-0`)."""

    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "One sentence."
    objectives = "Explain it\nApply it"
    minutes = 20
    quiz = factory.LazyFunction(lambda: quiz_data(question()))
    parent = factory.SubFactory(AreaPageFactory)

    class Meta:
        model = ModulePage


class PathPageFactory(wagtail_factories.PageFactory):
    """A live path; `steps` lists its modules in order, each a page (a required step of "Stage one")
    or a dict of PathStep fields."""

    title = factory.Sequence(lambda n: f"Path {n}")
    role = "Runs the shop"
    audience = "New staff."
    outcomes = "Do the job"
    parent = factory.SubFactory(PathIndexPageFactory)

    class Meta:
        model = PathPage
        skip_postgeneration_save = True  # steps are rows of their own; the page needs no second save

    @factory.post_generation
    def steps(path, create, steps, **kwargs):
        for order, step in enumerate(steps or []):
            fields = step if isinstance(step, dict) else {"module": step}
            PathStep.objects.create(path=path, sort_order=order, **{"stage": "Stage one", **fields})


def write_curriculum(root, *, modules, paths, prefix="gen"):
    """`modules` modules in one area with a two-question quiz each, and `paths` paths over all of them."""
    (root / "areas").mkdir(parents=True)
    (root / "modules" / f"{prefix}-area").mkdir(parents=True)
    (root / "paths").mkdir()
    (root / "areas" / f"{prefix}-area.yaml").write_text(
        yaml.safe_dump({"title": "Generated", "summary": "Generated.", "order": 99})
    )
    slugs = [f"{prefix}-module-{i}" for i in range(modules)]
    for i, slug in enumerate(slugs):
        front = {
            "title": f"Generated module {i}",
            "summary": "S.",
            "minutes": 10,
            "level": "beginner",
            "last_reviewed": datetime.date(2026, 1, 1),
            "objectives": ["Do it"],
            "pass_mark": 50,
            "readings": [{"title": f"R{i}", "url": f"https://example.org/{i}", "publisher": "P", "why": "W"}],
            "quiz": [
                {
                    "key": "q1",
                    "type": "single",
                    "prompt": "Q1",
                    "choices": [{"text": "A", "correct": True}, {"text": "B"}],
                },
                {
                    "key": "q2",
                    "type": "multiple",
                    "prompt": "Q2",
                    "choices": [{"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C"}],
                },
            ],
        }
        (root / "modules" / f"{prefix}-area" / f"{slug}.md").write_text(f"---\n{yaml.safe_dump(front)}---\n{BODY}")
    for p in range(paths):
        data = {
            "title": f"Generated path {p}",
            "role": "R",
            "audience": "A",
            "outcomes": ["O"],
            "order": 50 + p,
            "stages": [
                {"label": "Stage one", "modules": slugs[: len(slugs) // 2] or slugs},
                {"label": "Stage two", "modules": slugs[len(slugs) // 2 :]},
            ]
            if len(slugs) > 1
            else [{"label": "Stage one", "modules": slugs}],
        }
        (root / "paths" / f"{prefix}-path-{p}.yaml").write_text(yaml.safe_dump(data))
    return slugs


def import_generated(root, **sizes):
    write_curriculum(root, **sizes)
    import_curriculum(read(root))


def pass_quiz(user, module):
    answers = grading.model_answers(questions_from_quiz(module.quiz))
    return services.quiz_attempt_submit(user=user, module=module, answers=answers)


def work_through(user, modules, *, failed_attempts=0):
    for module in modules:
        progress.module_open(user=user, module=module)
        for _ in range(failed_attempts):
            services.quiz_attempt_submit(user=user, module=module, answers={})
        if module.quiz:
            pass_quiz(user, module)
        progress.module_complete(user=user, module=module)


def translation_of(page, language, **fields):
    """Publish `page`'s translation in `language` as Wagtail's admin makes one (copy_for_translation:
    the same slug, untranslated parents copied as aliases) with `fields` (title, summary...) set. A
    translation that exists already (the fixture curriculum's, or an alias made for a child) is reused."""
    from wagtail.actions.convert_alias import ConvertAliasPageAction
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    copy = page.get_translation_or_none(locale) or page.copy_for_translation(locale, copy_parents=True)
    if copy.alias_of_id:
        copy = ConvertAliasPageAction(copy.specific).execute(skip_permission_checks=True)
    copy = copy.specific
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy
