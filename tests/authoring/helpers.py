"""Helpers shared by the authoring tests: edit a copied curriculum, read it, compare the page tree; parse
one GIFT question and name its right answers."""

from wagtail.models import Page, Revision

from learning.authoring import gift
from learning.authoring.curriculum import CurriculumError, read

CHARGEBACKS = "content/modules/payments/chargebacks.md"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def snapshot():
    return Page.objects.count(), Revision.objects.count(), sorted(Page.objects.values_list("title", flat=True))


def page_counts():
    return Page.objects.count(), Revision.objects.count()


def assert_every_problem_names_file_and_line(root, error):
    assert error.problems, "CurriculumError without problems"
    for problem in error.problems:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.file.startswith(f"{root.name}/"), problem
        path = root.parent / problem.file
        assert path.is_file(), f"{problem}: names no file of the folder"
        assert problem.line <= path.read_bytes().count(b"\n") + 1, f"{problem}: line beyond the end of the file"
        assert str(problem).startswith(f"{problem.file}:{problem.line}: "), problem
        assert problem.reason and problem.field, problem


def read_outcome(root):
    """None when the folder is valid, else the CurriculumError (any other exception propagates)."""
    try:
        read(root)
    except CurriculumError as error:
        assert_every_problem_names_file_and_line(root, error)
        return error
    return None


def only(text):
    result = gift.parse(text)
    assert not result.errors and not result.unsupported, (result.errors, result.unsupported)
    assert len(result.questions) == 1
    return result.questions[0]


def right(question):
    return [choice["text"] for choice in question["choices"] if choice["correct"]]
