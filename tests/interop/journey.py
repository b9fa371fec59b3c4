"""A learner's whole journey through the Starter path, as steps a test can run one by one (and stop the LRS
between): enrol, open a module twice, open its reading, fail then pass its quiz, do the second module in German,
the third in English: the path completes. What each step should make the outbox write is listed beside it."""

from wagtail.models import Page

from learning.catalogue.quiz import questions_from_quiz
from learning.records import grading


def german(page):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code="de").specific


def submit(client, page, *, right):
    """Answer the page's quiz as the learner does: open the page, read the form, post it."""
    form = client.get(page.url).context["quiz_form"]
    data = {"token": form["token"]}
    if right:
        model = grading.model_answers(questions_from_quiz(page.quiz))
        data.update({f"q-{key}": ids for key, ids in model.items()})
    else:
        first = form["questions"][0]
        data[f"q-{first['key']}"] = next(c["id"] for c in first["choices"] if c["text"] == "A wrong one")
    response = client.post(page.url + "quiz/", data)
    assert response.status_code == 302, response.content[:500]


def steps(client, academy):
    """[(what happens, the verbs the outbox gains, run)] in the order a learner goes."""
    path, basics, returns, consent = (academy[slug] for slug in ("starter", "payment-basics", "returns", "consent"))
    reading = basics.readings.first()
    questions = len(questions_from_quiz(basics.quiz))
    return [
        ("enrol", ["registered"], lambda: client.post(path.url + "enrol/")),
        ("open a module", ["experienced"], lambda: client.get(basics.url)),
        ("open it again", [], lambda: client.get(basics.url)),
        ("open a reading", ["experienced"], lambda: client.get(f"/go/{reading.pk}/")),
        ("fail the quiz", ["answered"] * questions + ["attempted", "failed"], lambda: submit(client, basics, right=0)),
        (
            "pass the quiz",
            ["answered"] * questions + ["attempted", "passed", "completed"],
            lambda: submit(client, basics, right=True),
        ),
        (
            "a module in German",
            ["experienced", *["answered"] * len(questions_from_quiz(returns.quiz)), "attempted", "passed", "completed"],
            lambda: submit(client, german(returns), right=True),
        ),
        (
            "the last required module: the path is complete",
            ["experienced"]
            + ["answered"] * len(questions_from_quiz(consent.quiz))
            + ["attempted", "passed", "completed", "completed"],
            lambda: submit(client, consent, right=True),
        ),
    ]


def walk(client, academy, *, committed=None):
    """Run every step, then `committed` (what a commit runs: tests/interop/conftest.py `commits`); returns the
    verbs expected, in order."""
    expected = []
    for _what, verbs, run in steps(client, academy):
        run()
        if committed:
            committed()
        expected += verbs
    return expected
