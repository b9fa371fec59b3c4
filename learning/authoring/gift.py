"""GIFT (Moodle's quiz text format) <-> quiz questions in the curriculum format.

Pure functions, no database. A question is a dict as in a module file's `quiz:` list:
{key, type: single|multiple, prompt, choices: [{text, correct, feedback}], explanation}.

We import the subset our quizzes can hold: multiple choice (one `=` answer -> single; `~%N%`
weights -> multiple, a positive weight marks a right answer) and true/false (two choices,
"True" and "False"). Every other GIFT type (short answer, numerical, matching, essay,
description) is reported with its line and never imported: a question is imported whole or not
at all, and only if it passes learning.catalogue.quiz's rule, the one the quiz editor and module files
are held to. export() then parse() gives back the same questions. GIFT's escapes and text formats are
in gift_text.

Moodle (question/format/gift/format.php) is the reference, and where we read differently the result
says so with the line, never silently: a blank line ends a question as in Moodle, so a missing `}`
costs that one question; `[html]` text becomes Markdown, HTML with media we cannot show is refused;
`$CATEGORY:` lines are listed as ignored; `{true}`, an unclosed `::title` and text before the first
answer are errors where Moodle would guess.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from learning.authoring.gift_text import (
    MEDIA_RE,
    escape,
    first_words,
    markdown_from_html,
    plain,
    protect,
    restore,
    split_format,
)
from learning.catalogue import quiz

WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}  # Moodle's exact, capital spellings
BLANK = "_____"
KEY_LENGTH = 50
# A `";` after the closing brace is a copy-and-paste artefact (Moodle's own test fixture has two); any
# other text after `}` is the rest of a missing-word sentence.
STRAY_AFTER_RE = re.compile(r"""^["']*;+$""")


@dataclass
class GiftResult:
    questions: list = field(default_factory=list)
    unsupported: list = field(default_factory=list)  # (line, question type, first words)
    errors: list = field(default_factory=list)  # (line, reason): a question we could not read
    warnings: list = field(default_factory=list)  # (line, reason): imported, but something was lost
    ignored: list = field(default_factory=list)  # (line, reason): lines that are not questions, e.g. $CATEGORY


class _Skip(Exception):
    """A question that is not imported: unsupported type (kind set) or an error (kind None)."""

    def __init__(self, reason, kind=None):
        super().__init__(reason)
        self.reason, self.kind = reason, kind


class _Ignored(Exception):
    """A block that is not a question and is left out on purpose (a category switch)."""


class _Texts:
    """Cleans the texts of one question; each defaults to the question's format, as in Moodle.

    HTML with media is refused (our quizzes show text only); `converted` tells the editor HTML was rewritten.
    """

    def __init__(self, question_format):
        self.question_format, self.converted = question_format, False

    def __call__(self, text):
        text_format, body = split_format(text, self.question_format)
        if text_format != "html":
            return plain(body)
        media = MEDIA_RE.search(restore(body))
        if media:
            raise _Skip(f"[html] text with <{media.group(1).lower()}>: our quizzes show text only; put it in words")
        self.converted = True
        return markdown_from_html(body)


def _blocks(text):
    """(first line number, text) for each question, split as Moodle splits them.

    A blank line ends a question, even inside braces: a missing `}` then costs that one question, which
    is reported, instead of swallowing the questions after it. Comment lines are dropped; a
    `$CATEGORY:` line at the start of a question is a block of its own.
    """
    blocks, lines, start = [], [], None

    def flush():
        if lines:
            blocks.append((start, "\n".join(lines)))
        lines.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            flush()
        elif not lines and stripped.startswith("$CATEGORY:"):
            blocks.append((number, stripped))
        else:
            if not lines:
                start = number
            lines.append(line)
    flush()
    return blocks


def _choices(answer, texts):
    """`~a#fb =b ~%50%c` -> [(marker, weight or None, text, feedback)]."""
    found = []
    for piece in re.split(r"(?=[~=])", answer):
        piece = piece.strip()
        if not piece:
            continue
        if piece[0] not in "~=":
            # Moodle would turn this text into a wrong answer; a typo is likelier, so we ask.
            raise _Skip(f"text before the first answer: '{first_words(piece, 5)}' (start each answer with '~' or '=')")
        marker, rest = piece[0], piece[1:]
        weight = WEIGHT_RE.match(rest)
        if weight:
            rest = rest[weight.end() :]
        text, _, feedback = rest.partition("#")
        found.append((marker, float(weight.group(1)) if weight else None, texts(text), texts(feedback)))
    return found


def _multiple_choice(answer, warn, texts):
    """Which answers are right, as GIFT marks them; whether that makes a valid question is _check's."""
    found = _choices(answer, texts)
    right = [marker == "=" for marker, *_ in found]
    if any(right):
        kind = "single"
        if sum(right) > 1:
            # Moodle gives full marks for any one of them; our single answer has one right choice.
            kind = "multiple"
            warn(f"{sum(right)} answers marked '=': imported as a multiple-answer question (learners pick all of them)")
        for marker, weight, text, _ in found:
            if marker == "~" and weight and weight > 0:
                warn(f"partial credit {weight:g}% for '{text}' dropped: it counts as a wrong answer")
    else:
        kind = "multiple"
        right = [bool(weight and weight > 0) for _, weight, *_ in found]
    choices = [
        {"text": text, "correct": is_right, "feedback": feedback}
        for (_, _, text, feedback), is_right in zip(found, right)
    ]
    return kind, choices


def _true_false(answer, texts):
    head, *feedback = answer.split("#", 2)
    is_true = TRUE_FALSE[head.strip()]
    wrong = texts(feedback[0]) if feedback else ""
    right = texts(feedback[1]) if len(feedback) > 1 else ""
    return "single", [
        {"text": "True", "correct": is_true, "feedback": right if is_true else wrong},
        {"text": "False", "correct": not is_true, "feedback": wrong if is_true else right},
    ]


def _question_type(answer):
    """Moodle's order of tests (question/format/gift/format.php), on the escape-protected text."""
    if not answer:
        return "essay"
    if answer.startswith("#"):
        return "numerical"
    if "~" in answer:
        return "multiple choice"
    if "=" in answer and "->" in answer:
        return "matching"
    if answer.split("#")[0].strip() in TRUE_FALSE:  # case-sensitive, as in Moodle: `{true}` is a short answer
        return "true/false"
    return "short answer"  # `{=a =b}`, or a bare `{answer}`


def _title(text):
    """`::title::rest` -> (title, rest). Moodle would read an unclosed title as question text; we ask."""
    if not text.startswith("::"):
        return "", text
    title, separator, rest = text[2:].partition("::")
    if not separator:
        raise _Skip("a title opened with '::' is not closed with '::'")
    return plain(title), rest.strip()


def _answer_block(text):
    """(start, end) of the one `{...}`; a question with none is a description. Raises _Skip on bad braces."""
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise _Skip("description", kind="description")
    if end < 0:
        raise _Skip("no closing '}': a blank line ends a question, as in Moodle")
    if start < 0 or end < start:
        raise _Skip("a '}' closes no '{' (did a blank line split this question?)")
    if "{" in text[start + 1 : end] or "{" in text[end + 1 :] or "}" in text[end + 1 :]:
        raise _Skip("more than one '{…}' answer block (write \\{ and \\} for braces in the text)")
    return start, end


def _blank(after, warn):
    """Moodle's missing-word rule: text after the closing brace means the answers fill a blank."""
    if not after.strip():
        return ""
    if STRAY_AFTER_RE.match(after.strip()):
        warn(f"text after the closing brace ignored: '{plain(after)}'")
        return ""
    return BLANK + after


def _read(block, warn):
    """One protected block -> (title, question dict without key). Raises _Skip or _Ignored."""
    text = block.strip()
    if text.startswith("$CATEGORY:"):
        raise _Ignored(f"category '{plain(text[len('$CATEGORY:') :])}' ignored: questions go into this module's quiz")
    title, text = _title(text)
    start, end = _answer_block(text)
    inside, _, general = text[start + 1 : end].partition("####")
    answer = inside.strip()
    kind = _question_type(answer)
    if kind == "short answer" and answer.split("#")[0].strip().upper() in TRUE_FALSE:
        written = plain(answer.split("#")[0])
        raise _Skip(f"'{{{written}}}' is a short answer in Moodle: true/false is written T, TRUE, F or FALSE")
    if kind not in ("multiple choice", "true/false"):
        raise _Skip(kind, kind=kind)
    texts = _Texts(split_format(text)[0])
    prompt = texts(text[:start] + _blank(text[end + 1 :], warn))
    if kind == "true/false":
        kind, choices = _true_false(answer, texts)
    else:
        kind, choices = _multiple_choice(answer, warn, texts)
    _check(kind, prompt, choices)
    explanation = texts(general)
    if texts.converted:
        warn("[html] text converted to Markdown")
    return title, {"type": kind, "prompt": prompt, "choices": choices, "explanation": explanation}


# The quiz rule is learning.catalogue.quiz's; these are its words for someone writing GIFT.
REASONS = {
    quiz.TOO_FEW_CHOICES: "a multiple-choice question needs at least two answers",
    quiz.NO_RIGHT_CHOICE: "no right answer: mark one with '=' or give it a positive '%N%' weight",
    quiz.EMPTY_PROMPT: "the question has no text",
    quiz.EMPTY_CHOICE: "an answer has no text",
    quiz.SAME_CHOICE: "two answers read the same",
}


def _check(kind, prompt, choices):
    """Skips a question the quiz rule refuses, with the first problem: it is imported whole or not at all."""
    pairs = [(choice["text"], choice["correct"]) for choice in choices]
    problems = quiz.question_problems(kind, pairs, prompt=prompt)
    if problems:
        raise _Skip(REASONS.get(problems[0].code, problems[0].reason))


class QuestionKeys:
    """Unique question keys from titles (or a prompt's first words), avoiding the keys already taken.

    Linear in the number of questions: the next number to try is remembered per base, so the n-th
    question titled alike costs two look-ups, not n (counting from 2 each time made 8,000 repeats
    of one title take 6 s). `lookups` counts them, for the test that pins this.
    """

    def __init__(self, taken=()):
        self.taken, self.next_number, self.lookups = set(taken), {}, 0

    def _is_taken(self, key):
        self.lookups += 1
        return key in self.taken

    def new(self, title, prompt):
        words = " ".join(prompt.replace(BLANK, " ").split()[:8])
        base = slugify(title)[:KEY_LENGTH].strip("-") or slugify(words)[:KEY_LENGTH].strip("-") or "question"
        key, number = base, self.next_number.get(base, 2)
        while self._is_taken(key):
            key, number = f"{base}-{number}", number + 1
        self.next_number[base] = number
        self.taken.add(key)
        return key


def parse(text, *, taken=()):
    """GIFT text -> GiftResult. `taken`: keys already in the quiz; new keys avoid them."""
    result, keys = GiftResult(), QuestionKeys(taken)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for line, block in _blocks(text):
        protected, warnings = protect(block), []

        def warn(reason, line=line, warnings=warnings):
            warnings.append((line, reason))

        try:
            title, question = _read(protected, warn)
        except _Ignored as ignored:
            result.ignored.append((line, str(ignored)))
            continue
        except _Skip as skip:
            if skip.kind:
                result.unsupported.append((line, skip.kind, first_words(_question_text(protected))))
            else:
                result.errors.append((line, skip.reason))
            continue
        result.warnings.extend(warnings)  # only for questions that are imported
        result.questions.append({"key": keys.new(title, question["prompt"]), **question})
    return result


def _question_text(protected):
    text = protected.strip()
    if text.startswith("::") and "::" in text[2:]:
        text = text[2:].partition("::")[2]
    return text.split("{")[0]


def _weight(value):
    return f"{value:.5f}".rstrip("0").rstrip(".")


def export(questions):
    """Quiz questions -> GIFT text, one question per paragraph, titled with its key."""
    out = []
    for question in questions:
        kind = question.get("type") or question.get("kind") or "single"
        choices = question["choices"]
        right = sum(1 for choice in choices if choice.get("correct"))
        lines = [f"::{escape(question['key'])}::{escape(question['prompt'])} {{"]
        for choice in choices:
            text = escape(choice["text"])
            if kind == "multiple":
                marker = f"~%{_weight(100 / right)}%" if choice.get("correct") else "~%-100%"
            else:
                marker = "=" if choice.get("correct") else "~"
                if text.startswith("%"):  # keep a leading %N% in the text from reading as a weight
                    marker += "%100%" if choice.get("correct") else "%0%"
            feedback = f"#{escape(choice['feedback'])}" if choice.get("feedback") else ""
            lines.append(f"\t{marker}{text}{feedback}")
        if question.get("explanation"):
            lines.append(f"\t####{escape(question['explanation'])}")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n" if out else ""
