"""StreamField blocks: the module body and the quiz."""

import secrets

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "code"]
INLINE_FEATURES = ["bold", "italic", "ol", "ul", "link", "code"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))], default="tip"
    )
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


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False, help_text=_("Shown after submitting: why this choice is right or wrong.")
    )


class QuestionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        required=False,
        max_length=64,
        help_text=_("Stable identifier; answers are stored against it. Filled in on save if empty; do not change it."),
    )
    kind = blocks.ChoiceBlock(
        choices=[("single", _("Single answer")), ("multiple", _("Multiple answers"))], default="single"
    )
    prompt = blocks.TextBlock()
    choices = blocks.ListBlock(ChoiceBlock())
    explanation = blocks.TextBlock(required=False, help_text=_("Shown after submitting, whatever the answer."))

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        choices = list(value["choices"])
        correct = sum(1 for choice in choices if choice["correct"])
        errors = {}
        if len(choices) < 2:
            errors["choices"] = ErrorList([_("A question needs at least two choices.")])
        elif correct == 0:
            errors["choices"] = ErrorList([_("Mark at least one choice as correct.")])
        elif value["kind"] == "single" and correct > 1:
            errors["choices"] = ErrorList([_("A single-answer question has exactly one correct choice.")])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        if not value["key"]:
            value["key"] = f"{slugify(value['prompt'])[:40].strip('-') or 'q'}-{secrets.token_hex(3)}"
        return value


class QuizBlock(blocks.StreamBlock):
    question = QuestionBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        for index, child in enumerate(value):
            key = child.value["key"]
            if key in seen:
                raise StreamBlockValidationError(
                    block_errors={index: ValidationError(_("Question key '%(key)s' is used twice.") % {"key": key})}
                )
            seen[key] = index
        return value
