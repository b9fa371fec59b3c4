"""Test data: generated curricula of any size (through the real importer) and learners' progress."""

import datetime

import yaml

from learning.authoring.curriculum import read
from learning.authoring.curriculum_pages import import_curriculum
from learning.records import grading, progress, services

BODY = "Text **here**.\n\n:::example A shop\nNumbers.\n:::\n"


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
    answers = grading.model_answers(grading.questions_from_quiz(module.quiz))
    return services.quiz_attempt_submit(user=user, module=module, answers=answers)


def work_through(user, modules, *, failed_attempts=0):
    for module in modules:
        progress.module_open(user=user, module=module)
        for _ in range(failed_attempts):
            services.quiz_attempt_submit(user=user, module=module, answers={})
        if module.quiz:
            pass_quiz(user, module)
        progress.module_complete(user=user, module=module)
