"""StreamField blocks: the module body and the quiz."""

import secrets
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import ListBlockValidationError, StreamBlockValidationError, StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from learning.catalogue import bodytext, quiz
from learning.catalogue.calculator_block import CalculatorBlock

TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "code"]
INLINE_FEATURES = ["bold", "italic", "ol", "ul", "link", "code"]


# The values come from where the rule lives (body text files, the quiz); only the labels are here.
CALLOUT_LABELS = {"tip": _("Tip"), "note": _("Note"), "warning": _("Warning")}
QUESTION_KIND_LABELS = {"single": _("Single answer"), "multiple": _("Multiple answers")}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[(kind, CALLOUT_LABELS[kind]) for kind in bodytext.CALLOUT_KINDS], default="tip")
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=INLINE_FEATURES)

    class Meta:
        icon = "help"
        template = "learning/blocks/callout.html"


class TitledTextBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=INLINE_FEATURES)


class ExampleBlock(TitledTextBlock):
    class Meta:
        icon = "doc-full"
        label = _("Worked example")
        template = "learning/blocks/example.html"


class ScenarioBlock(TitledTextBlock):
    class Meta:
        icon = "pick"
        label = _("Scenario or exercise")
        template = "learning/blocks/scenario.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item")), min_num=1)

    class Meta:
        icon = "tasks"
        template = "learning/blocks/checklist.html"


class TermBlock(blocks.StructBlock):
    term = blocks.CharBlock()
    definition = blocks.TextBlock()


class KeyTermsBlock(blocks.StructBlock):
    terms = blocks.ListBlock(TermBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key terms")
        template = "learning/blocks/key_terms.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(help_text=_("What the image shows, for people who cannot see it."))
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "learning/blocks/figure.html"


class BodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, icon="pilcrow")
    callout = CalloutBlock()
    example = ExampleBlock()
    checklist = ChecklistBlock()
    key_terms = KeyTermsBlock()
    scenario = ScenarioBlock()
    image = FigureBlock()
    calculator = CalculatorBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False, help_text=_("Shown after submitting: why this choice is right or wrong.")
    )


# The quiz rule is learning.catalogue.quiz's; these are its words for the editor.
QUIZ_MESSAGES = {
    quiz.TOO_FEW_CHOICES: _("A question needs at least two choices."),
    quiz.NO_RIGHT_CHOICE: _("Mark at least one choice as correct."),
    quiz.SEVERAL_RIGHT_CHOICES: _("A single-answer question has exactly one correct choice."),
    quiz.EMPTY_PROMPT: _("Write the question."),
    quiz.EMPTY_CHOICE: _("Write the choice's text."),
    quiz.SAME_CHOICE: _("Another choice of this question reads the same."),
    quiz.UNKNOWN_KIND: _("Choose single or multiple answers."),
    quiz.BAD_KEY: _("Use lower case letters, digits, hyphens and underscores (at most 64)."),
    quiz.SAME_KEY: _("Question key '%(key)s' is used twice."),
}


def question_errors(problems, key=""):
    """The quiz rule's problems as Wagtail block errors, each on the field it is about (a choice's text
    on that choice), so the editor's "go to the first error" lands there."""
    fields, items = defaultdict(list), {}
    for problem in problems:
        message = QUIZ_MESSAGES[problem.code] % {"key": key}  # only SAME_KEY's names it
        if len(problem.field) == 3:  # ("choices", index, "text")
            items[problem.field[1]] = StructBlockValidationError(block_errors={"text": ValidationError(message)})
        else:
            fields[problem.field[0]].append(message)
    errors = {name: ValidationError(messages) for name, messages in fields.items()}
    if items:
        errors["choices"] = ListBlockValidationError(block_errors=items, non_block_errors=fields.get("choices"))
    return StructBlockValidationError(block_errors=errors)


class QuestionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        required=False,
        max_length=64,
        help_text=_("Stable identifier; answers are stored against it. Filled in on save if empty; do not change it."),
    )
    kind = blocks.ChoiceBlock(choices=[(kind, QUESTION_KIND_LABELS[kind]) for kind in quiz.KINDS], default="single")
    prompt = blocks.TextBlock()
    choices = blocks.ListBlock(ChoiceBlock())
    explanation = blocks.TextBlock(required=False, help_text=_("Shown after submitting, whatever the answer."))

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        # A draft may leave texts empty (Wagtail defers "required" until publishing); the rest of the rule holds.
        texts = not self.is_deferred_validation
        problems = quiz.question_problems(
            value["kind"],
            [(choice["text"] if texts else None, choice["correct"]) for choice in value["choices"]],
            prompt=value["prompt"] if texts else None,
            key=value["key"],
        )
        if problems:
            raise question_errors(problems)
        if not value["key"]:
            value["key"] = f"{slugify(value['prompt'])[:40].strip('-') or 'q'}-{secrets.token_hex(3)}"
        return value


class QuizBlock(blocks.StreamBlock):
    question = QuestionBlock()

    def clean(self, value):
        value = super().clean(value)
        keys = [child.value["key"] for child in value]
        problems = quiz.key_problems(keys)
        if problems:
            # On the key of the question that repeats it, the later one.
            raise StreamBlockValidationError(
                block_errors={index: question_errors([problem], keys[index]) for index, problem in problems}
            )
        return value
