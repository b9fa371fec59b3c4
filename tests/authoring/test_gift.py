"""GIFT import and export: the parser's subset, the round trip, and the two-step admin import.

Moodle's behaviour is the reference; tests/authoring/test_gift_moodle.py runs its own fixtures."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles import finders
from django.urls import reverse

from learning.authoring import gift
from learning.catalogue.quiz import file_question, questions_from_quiz
from learning.models import ModulePage
from tests.authoring.helpers import only, right

# --- parse: what we import ------------------------------------------------------------------------


def test_single_answer_with_one_equals():
    question = only("Which currency does Poland use?{=Zloty ~Euro ~Krone}")
    assert question["type"] == "single"
    assert question["prompt"] == "Which currency does Poland use?"
    assert [c["text"] for c in question["choices"]] == ["Zloty", "Euro", "Krone"]
    assert right(question) == ["Zloty"]


def test_positive_weights_make_a_multiple_answer_question():
    question = only("Pick the card schemes. {~%50%Visa ~%50%Mastercard ~%-100%PayPal ~Klarna}")
    assert question["type"] == "multiple"
    assert right(question) == ["Visa", "Mastercard"]


def test_fractional_weights_and_one_positive_weight_still_mean_multiple():
    question = only("Continents? {~%33.33333%Asia ~%33.33333%Africa ~%33.33334%Europe ~%-100%Spain}")
    assert right(question) == ["Asia", "Africa", "Europe"]
    assert only("Only one? {~%100%Yes ~%-50%No ~%-50%Maybe}")["type"] == "multiple"


def test_partial_credit_in_a_single_answer_question_counts_as_wrong_with_a_warning():
    result = gift.parse("Best?{~bad ~%50%half =full}")
    assert right(result.questions[0]) == ["full"]
    assert result.warnings == [(1, "partial credit 50% for 'half' dropped: it counts as a wrong answer")]


@pytest.mark.parametrize("answer, truth", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_becomes_a_single_question_with_two_choices(answer, truth):
    question = only(f"Refunds are free of charge.{{{answer}}}")
    assert question["type"] == "single"
    assert [c["text"] for c in question["choices"]] == ["True", "False"]
    assert right(question) == ["True" if truth else "False"]


def test_several_equals_with_a_tilde_become_multiple_with_a_warning():
    result = gift.parse("Seasons?{=spring =summer ~easter}")
    assert result.questions[0]["type"] == "multiple" and right(result.questions[0]) == ["spring", "summer"]
    assert "imported as a multiple-answer question" in result.warnings[0][1]


def test_true_false_feedback_is_for_the_wrong_then_the_right_answer():
    question = only("Chargebacks cost nothing.{FALSE#They carry a fee.#Right, they carry a fee.}")
    true, false = question["choices"]
    assert true["feedback"] == "They carry a fee." and not true["correct"]
    assert false["feedback"] == "Right, they carry a fee." and false["correct"]
    true, false = only("Cards expire.{TRUE#No, they do.}")["choices"]
    assert (true["feedback"], false["feedback"]) == ("", "No, they do.")


def test_choice_feedback_and_general_feedback():
    question = only(
        "What is 3-D Secure?{\n"
        "  =Customer authentication #Yes: it shifts liability.\n"
        "  ~A card design # No.\n"
        "  ####It is required by PSD2 for most payments.\n"
        "}"
    )
    assert [c["feedback"] for c in question["choices"]] == ["Yes: it shifts liability.", "No."]
    assert question["explanation"] == "It is required by PSD2 for most payments."


@pytest.mark.parametrize(
    "escaped, plain",
    [(r"\~", "~"), (r"\=", "="), (r"\#", "#"), (r"\{", "{"), (r"\}", "}"), (r"\:", ":"), ("\\\\", "\\")],
)
def test_each_escape_reads_as_the_plain_character(escaped, plain):
    question = only(f"::t::Is a{escaped}b text?{{=yes a{escaped}b #fb {escaped} ~no}}")
    assert question["prompt"] == f"Is a{plain}b text?"
    assert question["choices"][0]["text"] == f"yes a{plain}b"
    assert question["choices"][0]["feedback"] == f"fb {plain}"


def test_an_escaped_newline_is_a_line_break_and_a_wrapped_line_is_not():
    question = only("First line\\nsecond line,\nwrapped.{=a ~b}")
    assert question["prompt"] == "First line\nsecond line, wrapped."


def test_titles_make_keys_and_keys_are_unique():
    result = gift.parse(
        "::Card fees::What do cards cost?{=Fees ~Nothing}\n\n"
        "::Card fees::And now?{=More ~Less}\n\n"
        "What do wallets cost, roughly, in most European shops today?{=Fees ~Nothing}\n"
    )
    assert [q["key"] for q in result.questions] == [
        "card-fees",
        "card-fees-2",
        "what-do-wallets-cost-roughly-in-most-european",
    ]
    assert gift.parse("::Card fees::Q?{=a ~b}", taken={"card-fees"}).questions[0]["key"] == "card-fees-2"


def test_key_making_is_linear_however_often_a_title_repeats():
    # Counting from 2 for every repeat made 8,000 questions with one title take 6 s (quadratic).
    keys = gift.QuestionKeys(taken={"card-fees", "card-fees-2"})
    made = [keys.new("Card fees", "What do cards cost?") for _ in range(20_000)]
    assert made[:2] == ["card-fees-3", "card-fees-4"] and len(set(made)) == 20_000
    assert keys.lookups <= 2 * 20_000 + 2  # the base, then the next free number: two look-ups a question


def test_twenty_thousand_questions_with_one_title_get_unique_keys_in_linear_work(monkeypatch):
    made = []

    class CountingKeys(gift.QuestionKeys):
        def __init__(self, taken=()):
            super().__init__(taken)
            made.append(self)

    monkeypatch.setattr(gift, "QuestionKeys", CountingKeys)
    result = gift.parse("\n\n".join(["::Card fees::What do cards cost?{=Fees ~Nothing}"] * 20_000))
    keys = [question["key"] for question in result.questions]
    assert len(keys) == 20_000 and len(set(keys)) == 20_000
    assert made[0].lookups <= 2 * 20_000


def test_comments_and_format_markers_are_left_out():
    question = only(
        "// a comment [tag:x]\n\n"
        "// question: 12\n::Q::[markdown]Is **this** bold?{\n  // inside too\n  =[plain]yes#[moodle]ok\n  ~no\n}"
    )
    assert question["prompt"] == "Is **this** bold?"
    assert question["choices"][0] == {"text": "yes", "correct": True, "feedback": "ok"}


def test_a_stray_semicolon_after_the_closing_brace_is_ignored_with_a_warning():
    # Moodle's own fixture (questions.gift.txt) carries two `";` left over from PHP strings.
    result = gift.parse('Is this stray?{TRUE}";')
    assert result.questions[0]["prompt"] == "Is this stray?"
    assert result.warnings == [(1, "text after the closing brace ignored: '\";'")]


# --- parse: what we report and leave out -----------------------------------------------------------

UNSUPPORTED = """// a quiz with every type we do not hold
Who paid?{=no one =nobody}

What is 2+2?{#4}

::Match:: Match the schemes.{
  =Visa -> card
  =SEPA -> bank
}

Describe your checkout.{}

Just some text, no question.

Two plus two equals {=four}.

Write one in words.{One}

Real one?{=yes ~no}
"""


def test_unsupported_types_are_reported_with_their_line_and_none_imported():
    result = gift.parse(UNSUPPORTED)
    assert result.unsupported == [
        (2, "short answer", "Who paid?"),
        (4, "numerical", "What is 2+2?"),
        (6, "matching", "Match the schemes."),
        (11, "essay", "Describe your checkout."),
        (13, "description", "Just some text, no question."),
        (15, "short answer", "Two plus two equals"),
        (17, "short answer", "Write one in words."),
    ]
    assert [q["prompt"] for q in result.questions] == ["Real one?"]
    assert result.errors == []


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Q?{~a ~b}", "no right answer"),
        ("Q?{=a ~b ~a}", "two answers read the same"),
        ("Q?{=a ~b", "no closing '}'"),
        ("Q?{=only ~}", "an answer has no text"),
    ],
)
def test_questions_we_cannot_read_are_errors_with_their_line(text, reason):
    result = gift.parse(f"// first\n\n{text}")
    assert result.questions == []
    assert result.errors[0][0] == 3 and reason in result.errors[0][1]


# --- export -----------------------------------------------------------------------------------------


def test_export_writes_moodle_weights_and_escapes():
    text = gift.export(
        [
            {
                "key": "k",
                "type": "multiple",
                "prompt": "a {b} = c?",
                "explanation": "why #1",
                "choices": [
                    {"text": "x", "correct": True, "feedback": "ok: yes"},
                    {"text": "y", "correct": True},
                    {"text": "z~", "correct": False},
                ],
            },
        ]
    )
    assert text == "::k::a \\{b\\} \\= c? {\n\t~%50%x#ok\\: yes\n\t~%50%y\n\t~%-100%z\\~\n\t####why \\#1\n}\n"


def test_export_then_parse_gives_the_same_questions():
    questions = [
        {
            "key": "tricky",
            "type": "single",
            "prompt": "Back\\slash, {braces}, ~tilde, =, #, :: and\nlines",
            "explanation": "",
            "choices": [
                {"text": "%50% off", "correct": True, "feedback": ""},
                {"text": "[html] looks like a marker? no", "correct": False, "feedback": "a\nb"},
            ],
        },
        {
            "key": "three",
            "type": "multiple",
            "prompt": "Three right",
            "explanation": "E",
            "choices": [{"text": t, "correct": t != "d", "feedback": t} for t in "abcd"],
        },
    ]
    parsed = gift.parse(gift.export(questions))
    assert parsed.errors == [] and parsed.unsupported == [] and parsed.warnings == []
    assert parsed.questions == questions  # a text that starts like `[html]` is written as `[plain][html]…`


def test_the_fixture_module_quiz_survives_export_and_parse(academy):
    questions = [file_question(question) for question in questions_from_quiz(academy["payment-basics"].quiz)]
    assert len(questions) == 2
    assert gift.parse(gift.export(questions)).questions == questions


# --- the admin --------------------------------------------------------------------------------------

NEW_QUESTIONS = """::Fees::Who pays the interchange fee?{=The merchant's bank #Yes. ~The customer}

Klarna is a card scheme.{F#It is a payment provider.#Right.}

How long is a chargeback window?{#120}
"""


@pytest.fixture
def editor(make_user):
    user = make_user("edda")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def import_url(page):
    return reverse("academy_gift_import", args=[page.pk])


def test_the_preview_lists_questions_and_unsupported_ones_and_imports_nothing(client, academy, editor):
    module = academy["payment-basics"]
    revisions = module.revisions.count()
    client.force_login(editor)
    form = client.get(import_url(module))
    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    response = client.post(import_url(module), {"text": NEW_QUESTIONS})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who pays the interchange fee?" in html and "Klarna is a card scheme." in html
    assert "numerical" in html and "How long is a chargeback window?" in html
    assert module.revisions.count() == revisions
    assert ModulePage.objects.get(pk=module.pk).latest_revision_id == module.latest_revision_id


def test_the_preview_hides_the_right_label_on_screen_with_a_class_wagtail_8_defines(client, academy, editor):
    """Screen readers read "Right:" before the right answer; on screen the tick says it.

    The label must carry a class Wagtail's admin CSS really defines as visually hidden (Wagtail 8
    dropped `visuallyhidden` for `w-sr-only`), or sighted editors see "Right:" next to the tick.
    """
    client.force_login(editor)
    html = client.post(import_url(academy["payment-basics"]), {"text": NEW_QUESTIONS}).content.decode()
    assert "wagtailadmin/css/core" in html  # the stylesheet the rule below comes from
    labels = re.findall(r'<span class="([^"]*)">Right:</span>', html)
    assert len(labels) == 2  # one per right answer: the fees question and the Klarna one
    css = Path(finders.find("wagtailadmin/css/core.css")).read_text()
    for classes in labels:
        rules = [re.search(r"(?:^|\})\." + re.escape(name) + r"\{([^}]*)\}", css) for name in classes.split()]
        hidden = [rule.group(1) for rule in rules if rule]
        assert any(
            "position:absolute" in rule and "clip:rect(0,0,0,0)" in rule and "width:1px" in rule for rule in hidden
        ), f"no visually-hidden rule in Wagtail's CSS for class {classes!r}"


def test_the_preview_lists_ignored_category_lines(client, academy, editor):
    client.force_login(editor)
    response = client.post(import_url(academy["payment-basics"]), {"text": "$CATEGORY: $course$/Fees\n\nQ?{T}"})
    assert "Line 1: category &#x27;$course$/Fees&#x27; ignored" in response.content.decode()


def test_a_file_upload_is_previewed_too(client, academy, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile("quiz.gift", "\ufeffUpload?{=yes ~no}".encode())
    response = client.post(import_url(academy["payment-basics"]), {"file": upload})
    assert "Upload?" in response.content.decode()


def test_confirm_appends_the_questions_as_a_draft_and_leaves_the_live_page(client, academy, editor):
    module = academy["payment-basics"]
    client.force_login(editor)
    response = client.post(import_url(module), {"text": NEW_QUESTIONS, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[module.pk])
    page = ModulePage.objects.get(pk=module.pk)
    assert [b.value["key"] for b in page.quiz] == ["payment-basics-q1", "payment-basics-q2"]  # live: unchanged
    assert page.has_unpublished_changes and page.latest_revision.user == editor
    draft = page.get_latest_revision_as_object()
    keys = [block.value["key"] for block in draft.quiz]
    assert keys[:2] == ["payment-basics-q1", "payment-basics-q2"] and keys[2] == "fees" and len(keys) == 4
    klarna = questions_from_quiz(draft.quiz)[3]
    assert [(c.text, c.correct, c.feedback) for c in klarna.choices] == [
        ("True", False, "It is a payment provider."),
        ("False", True, "Right."),
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2 questions added" in m for m in messages)


def test_export_downloads_the_latest_revision(client, academy, editor):
    module = academy["payment-basics"]
    client.force_login(editor)
    client.post(import_url(module), {"text": NEW_QUESTIONS, "confirm": "1"})
    response = client.get(reverse("academy_gift_export", args=[module.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="payment-basics.gift"'
    keys = [q["key"] for q in gift.parse(response.content.decode()).questions]
    assert keys == ["payment-basics-q1", "payment-basics-q2", "fees", "klarna-is-a-card-scheme"]


def test_the_module_header_offers_the_gift_buttons(client, academy, editor):
    module = academy["payment-basics"]
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert import_url(module) in html


def test_users_who_cannot_edit_the_page_get_403(client, academy, make_user):
    module = academy["payment-basics"]
    user = make_user("adam")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(user)
    assert client.get(import_url(module)).status_code == 403
    assert client.post(import_url(module), {"text": NEW_QUESTIONS, "confirm": "1"}).status_code == 403
    assert client.get(reverse("academy_gift_export", args=[module.pk])).status_code == 403
    assert ModulePage.objects.get(pk=module.pk).latest_revision_id == module.latest_revision_id
