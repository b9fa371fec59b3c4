"""Reading a curriculum folder: every problem named as file:line: field: reason, sizes and field limits."""

import shutil
import tracemalloc

import pytest

from learning.authoring.curriculum import CurriculumError, read
from tests.authoring.helpers import CHARGEBACKS, edit


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "paths/starter.yaml",
            "- returns",
            "- retruns",
            "content/paths/starter.yaml:11: stages[0].modules[1]: unknown module slug 'retruns'",
        ),
        (
            "modules/payments/chargebacks.md",
            "key: chargebacks-q2",
            "key: chargebacks-q1",
            "content/modules/payments/chargebacks.md:35: quiz[1].key: duplicate question key 'chargebacks-q1'",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: The right one\n    correct: true",
            "  - text: The right one\n    correct: false",
            "content/modules/payments/chargebacks.md:27: quiz[0].choices: no choice is marked correct",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: A wrong one",
            "  - text: A wrong one\n    correct: true",
            "content/modules/payments/chargebacks.md:27: quiz[0].choices: "
            "a single-answer question has exactly one correct choice, not 2",
        ),
        (
            "modules/payments/chargebacks.md",
            "url: https://example.org/chargebacks",
            "url: javascript:alert(1)",
            "content/modules/payments/chargebacks.md:16: readings[0].url: must be an http(s) URL",
        ),
        (
            "modules/payments/chargebacks.md",
            "summary: What a new hire",
            "sumary: What a new hire",
            "content/modules/payments/chargebacks.md:3: sumary: unknown field",
        ),
        (
            "modules/payments/chargebacks.md",
            "minutes: 20\n",
            "",
            "content/modules/payments/chargebacks.md:2: minutes: missing required field",
        ),
        (
            "areas/logistics.yaml",
            "title: Logistics",
            "title: [Logistics",
            "content/areas/logistics.yaml:2: yaml: malformed YAML",
        ),
        (
            "modules/payments/chargebacks.md",
            ":::terms",
            ":::glossary",
            "content/modules/payments/chargebacks.md:67: body: unknown block ':::glossary'",
        ),
        (
            "modules/payments/chargebacks.md",
            "level: beginner",
            "level: expert",
            "content/modules/payments/chargebacks.md:5: level: must be one of",
        ),
    ],
)
def test_each_problem_names_file_line_field_and_reason(academy, curriculum, file, old, new, expected):
    edit(curriculum / file, old, new)
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(message.startswith(expected) for message in messages), messages


def test_duplicate_module_slug_across_areas_is_refused(academy, curriculum):
    shutil.copy(curriculum / "modules/payments/chargebacks.md", curriculum / "modules/law/chargebacks.md")
    with pytest.raises(CurriculumError, match="duplicate module slug 'chargebacks'"):
        read(curriculum)


def test_every_problem_is_reported_at_once(academy, curriculum):
    edit(curriculum / "paths/starter.yaml", "- returns", "- retruns")
    edit(curriculum / "modules/law/consent.md", "level: beginner", "level: expert")
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    assert len(caught.value.problems) == 2


def peak_memory(action):
    """The most memory Python held at once while `action()` ran, and what it returned or raised."""
    tracemalloc.start()
    try:
        try:
            outcome = action()
        except CurriculumError as error:
            outcome = error
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def test_a_file_over_the_size_limit_is_refused_without_being_read(curriculum):
    """A 50 MB module took 41 s and 1.4 GB to import. Now its size is checked before its bytes are read."""
    without, _ = peak_memory(lambda: read(curriculum))
    front = (curriculum / "modules/payments/chargebacks.md").read_text().replace("chargebacks-q", "huge-q")
    huge = curriculum / "modules/payments/huge.md"
    huge.write_text(front + "x" * (2_000_000 - len(front.encode())))
    assert huge.stat().st_size == 2_000_000

    peak, error = peak_memory(lambda: read(curriculum))
    assert [str(problem) for problem in getattr(error, "problems", [])] == [
        "content/modules/payments/huge.md:1: (file): "
        "too large: 2,000,000 bytes (a curriculum file may have at most 1,000,000)"
    ]
    assert peak - without < 200_000, f"the 2 MB file added {peak - without:,} bytes to the peak"


MORE_READINGS = "".join(
    f"- title: More {n}\n  url: https://example.org/{n}\n  publisher: Example\n  why: More.\n" for n in range(50)
)
MORE_QUESTIONS = "".join(
    f"- key: extra-{n}\n  prompt: Extra?\n  choices:\n  - text: 'Yes'\n    correct: true\n  - text: 'No'\n"
    for n in range(99)
)
MORE_CHOICES = "".join(f"  - text: Wrong {n}\n" for n in range(10))


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "modules/payments/chargebacks.md",
            "Try it on your own shop.",
            "x" * 200_001,
            f"{CHARGEBACKS}:47: body: must be at most 200,000 characters, not 200,",
        ),
        (
            "modules/payments/chargebacks.md",
            "summary: What a new hire",
            "summary: " + "s" * 1_001,
            f"{CHARGEBACKS}:3: summary: must be at most 1,000 characters",
        ),
        (
            "modules/payments/chargebacks.md",
            "- Explain chargebacks",
            "- " + "o" * 501,
            f"{CHARGEBACKS}:11: objectives[0]: must be at most 500 characters, not 501",
        ),
        (
            "modules/payments/chargebacks.md",
            "readings:\n",
            "readings:\n" + MORE_READINGS,
            f"{CHARGEBACKS}:15: readings: must have at most 50 items, not 51",
        ),
        (
            "modules/payments/chargebacks.md",
            "quiz:\n",
            "quiz:\n" + MORE_QUESTIONS,
            f"{CHARGEBACKS}:23: quiz: must have at most 100 items, not 101",
        ),
        (
            "modules/payments/chargebacks.md",
            "prompt: Which statement about chargebacks is right?",
            "prompt: " + "p" * 2_001,
            f"{CHARGEBACKS}:25: quiz[0].prompt: must be at most 2,000 characters, not 2,001",
        ),
        (
            "modules/payments/chargebacks.md",
            "- text: The right one",
            "- text: " + "c" * 501,
            f"{CHARGEBACKS}:27: quiz[0].choices[0].text: must be at most 500 characters",
        ),
        (
            "modules/payments/chargebacks.md",
            "  - text: Wrong C\n",
            MORE_CHOICES + "  - text: Wrong C\n",
            f"{CHARGEBACKS}:39: quiz[1].choices: must have at most 12 items, not 13",
        ),
        (
            "modules/payments/chargebacks.md",
            "feedback: Not this one.",
            "feedback: " + "f" * 2_001,
            f"{CHARGEBACKS}:44: quiz[1].choices[2].feedback: must be at most 2,000",
        ),
        (
            "modules/payments/chargebacks.md",
            "explanation: A and B.",
            "explanation: " + "e" * 4_001,
            f"{CHARGEBACKS}:45: quiz[1].explanation: must be at most 4,000",
        ),
        (
            "areas/law.yaml",
            "summary: ",
            "summary: " + "s" * 1_001,
            "content/areas/law.yaml:2: summary: must be at most 1,000 characters",
        ),
        (
            "paths/starter.yaml",
            "audience: Everyone.",
            "audience: " + "a" * 2_001,
            "content/paths/starter.yaml:3: audience: must be at most 2,000",
        ),
        (
            "paths/starter.yaml",
            "- Know the basics",
            "- " + "o" * 501,
            "content/paths/starter.yaml:5: outcomes[0]: must be at most 500 characters",
        ),
        (
            "paths/starter.yaml",
            "- label: First week",
            "- label: " + "l" * 101,
            "content/paths/starter.yaml:8: stages[0].label: must be at most 100 characters, not 101",
        ),
    ],
)
def test_fields_over_their_limit_are_reported_as_file_line_field_reason(curriculum, file, old, new, expected):
    edit(curriculum / file, old, new)
    with pytest.raises(CurriculumError) as caught:
        read(curriculum)
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == 1 and messages[0].startswith(expected), messages
