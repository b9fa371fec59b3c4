"""GIFT (Moodle's quiz text format) <-> quiz questions in the curriculum format.

Pure functions, no database. A question is a dict as in a module file's `quiz:` list:
{key, type: single|multiple, prompt, choices: [{text, correct, feedback}], explanation}.

We import the subset our quizzes can hold: multiple choice (one `=` answer -> single; `~%N%`
weights -> multiple, a positive weight marks a right answer) and true/false (two choices,
"True" and "False"). Every other GIFT type (short answer, numerical, matching, essay,
description) is reported with its line and never imported: a question is imported whole or not
at all. export() then parse() gives back the same questions.
"""
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

# Escaped characters are swapped for private-use code points while the structure is read, then
# swapped back in each text, so `\~` or `\{` never acts as syntax.
ESCAPES = {
    "\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003",
    "{": "\ue004", "}": "\ue005", ":": "\ue006", "n": "\ue007",
}
RESTORE = {code: char for char, code in ESCAPES.items()} | {ESCAPES["n"]: "\n"}
ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
BLANK = "_____"
KEY_LENGTH = 50


@dataclass
class GiftResult:
    questions: list = field(default_factory=list)
    unsupported: list = field(default_factory=list)  # (line, question type, first words)
    errors: list = field(default_factory=list)  # (line, reason): a question we could not read
    warnings: list = field(default_factory=list)  # (line, reason): imported, but something was lost


class _Skip(Exception):
    """A question that is not imported: unsupported type (kind set) or an error (kind None)."""

    def __init__(self, reason, kind=None):
        super().__init__(reason)
        self.reason, self.kind = reason, kind


def _protect(text):
    def swap(match):
        char = match.group(1)
        return ESCAPES.get(char, match.group(0))  # an unknown escape stays as written, like Moodle

    return ESCAPE_RE.sub(swap, text)


def _clean(text):
    """Format marker off, source lines joined with spaces, placeholders back to characters.

    A line break in the source only wraps the text; an escaped `\\n` is a real line break.
    """
    text = " ".join(line.strip() for line in FORMAT_RE.sub("", text, count=1).split("\n") if line.strip())
    return "".join(RESTORE.get(char, char) for char in text).strip()


def _first_words(text, count=8):
    words = _clean(text).split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _blocks(text):
    """(first line number, text) for each question: blank-line separated, comment lines dropped.

    A block whose `{` is still open at a blank line runs on into the next one.
    """
    blocks, lines, start, depth = [], [], None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped and depth <= 0:
            if lines:
                blocks.append((start, "\n".join(lines)))
            lines, start, depth = [], None, 0
            continue
        if start is None:
            start = number
        lines.append(line)
        protected = _protect(line)
        depth += protected.count("{") - protected.count("}")
    if lines:
        blocks.append((start, "\n".join(lines)))
    return blocks


def _choices(answer):
    """`~a#fb =b ~%50%c` -> [(marker, weight or None, text, feedback)]."""
    found = []
    for piece in re.split(r"(?=[~=])", answer):
        piece = piece.strip()
        if not piece:
            continue
        if piece[0] not in "~=":
            raise _Skip(f"text before the first answer: '{_first_words(piece, 5)}'")
        marker, rest = piece[0], piece[1:]
        weight = WEIGHT_RE.match(rest)
        if weight:
            rest = rest[weight.end():]
        text, _, feedback = rest.partition("#")
        found.append((marker, float(weight.group(1)) if weight else None, _clean(text), _clean(feedback)))
    return found


def _multiple_choice(answer, warn):
    found = _choices(answer)
    if len(found) < 2:
        raise _Skip("a multiple-choice question needs at least two answers")
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
        if not any(right):
            raise _Skip("no right answer: mark one with '=' or give it a positive '%N%' weight")
    texts = [text for _, _, text, _ in found]
    if not all(texts):
        raise _Skip("an answer has no text")
    if len(set(texts)) < len(texts):
        raise _Skip("two answers read the same")
    choices = [
        {"text": text, "correct": is_right, "feedback": feedback}
        for (_, _, text, feedback), is_right in zip(found, right)
    ]
    return kind, choices


def _true_false(answer):
    head, *feedback = answer.split("#")
    is_true = TRUE_FALSE[head.strip().upper()]
    wrong = _clean(feedback[0]) if feedback else ""
    right = _clean(feedback[1]) if len(feedback) > 1 else ""
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
    if answer.split("#")[0].strip().upper() in TRUE_FALSE:
        return "true/false"
    return "short answer"  # `{=a =b}`, or a bare `{answer}`


def _read(block, warn):
    """One protected block -> (title, question dict without key). Raises _Skip."""
    text = block.strip()
    if text.startswith("$CATEGORY:"):
        text = text.partition("\n")[2].strip()
        if not text:
            return None
    title = ""
    if text.startswith("::"):
        title, separator, rest = text[2:].partition("::")
        if not separator:
            raise _Skip("a title opened with '::' is not closed")
        title, text = _clean(title), rest.strip()
    start = text.find("{")
    if start < 0:
        raise _Skip("description", kind="description")
    end = text.find("}", start)
    if end < 0:
        raise _Skip("no closing '}'")
    before, inside, after = text[:start], text[start + 1:end], text[end + 1:].strip()
    inside, _, general = inside.partition("####")
    answer = inside.strip()
    kind = _question_type(answer)
    if kind not in ("multiple choice", "true/false"):
        raise _Skip(kind, kind=kind)
    prompt = before
    if re.search(r"\w", after) or re.fullmatch(r"[.?!,;:]", after):
        prompt = f"{before.rstrip()} {BLANK}{'' if after[0] in '.?!,;:' else ' '}{after}"
    elif after:
        warn(f"text after the closing brace ignored: '{_first_words(after, 5)}'")
    prompt = _clean(prompt)
    if not prompt:
        raise _Skip("the question has no text")
    if kind == "true/false":
        kind, choices = _true_false(answer)
    else:
        kind, choices = _multiple_choice(answer, warn)
    return title, {"type": kind, "prompt": prompt, "choices": choices, "explanation": _clean(general)}


def _key(title, prompt, taken):
    words = " ".join(prompt.replace(BLANK, " ").split()[:8])
    base = slugify(title)[:KEY_LENGTH].strip("-") or slugify(words)[:KEY_LENGTH].strip("-") or "question"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def parse(text, *, taken=()):
    """GIFT text -> GiftResult. `taken`: keys already in the quiz; new keys avoid them."""
    result, taken = GiftResult(), set(taken)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for line, block in _blocks(text):
        protected = _protect(block)

        def warn(reason, line=line):
            result.warnings.append((line, reason))

        try:
            read = _read(protected, warn)
        except _Skip as skip:
            if skip.kind:
                result.unsupported.append((line, skip.kind, _first_words(_question_text(protected))))
            else:
                result.errors.append((line, skip.reason))
            continue
        if read is None:
            continue
        title, question = read
        result.questions.append({"key": _key(title, question["prompt"], taken), **question})
    return result


def _question_text(protected):
    text = protected.strip()
    if text.startswith("::") and "::" in text[2:]:
        text = text[2:].partition("::")[2]
    return text.split("{")[0]


def _escape(text):
    text = str(text or "").strip()
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _weight(value):
    return f"{value:.5f}".rstrip("0").rstrip(".")


def export(questions):
    """Quiz questions -> GIFT text, one question per paragraph, titled with its key."""
    out = []
    for question in questions:
        kind = question.get("type") or question.get("kind") or "single"
        choices = question["choices"]
        right = sum(1 for choice in choices if choice.get("correct"))
        lines = [f"::{_escape(question['key'])}::{_escape(question['prompt'])} {{"]
        for choice in choices:
            text = _escape(choice["text"])
            if kind == "multiple":
                marker = f"~%{_weight(100 / right)}%" if choice.get("correct") else "~%-100%"
            else:
                marker = "=" if choice.get("correct") else "~"
                if text.startswith("%"):  # keep a leading %N% in the text from reading as a weight
                    marker += "%100%" if choice.get("correct") else "%0%"
            feedback = f"#{_escape(choice['feedback'])}" if choice.get("feedback") else ""
            lines.append(f"\t{marker}{text}{feedback}")
        if question.get("explanation"):
            lines.append(f"\t####{_escape(question['explanation'])}")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n" if out else ""
