"""One curriculum file at a time: read it (size, encoding, YAML with line numbers, the module body) and
check its fields, collecting every problem as `file:line: field: reason`. Nothing is written.

read_file reads a file into a Source; check_area, check_module and check_path hold the rules for an
area, a module and a path file (English or translated alike). Format and limits: content/README.md; the
limits are in curriculum_limits, the YAML reader in curriculum_yaml, the quiz rule in
learning.catalogue.quiz (shared with the quiz editor and the GIFT reader). curriculum.read() reads a
whole folder; curriculum_locales adds what a translation must keep of its English file.
"""

import datetime
import hashlib
import re
import reprlib
from dataclasses import dataclass, field

import yaml
from yaml.reader import ReaderError

from learning.authoring import curriculum_limits as limits
from learning.authoring.curriculum_yaml import load_yaml
from learning.catalogue import bodytext, quiz
from learning.catalogue import models as catalogue

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What a file may say is what the models accept: one list each, from the models.
LEVELS = tuple(value for value, _label in catalogue.LEVELS)
KINDS = tuple(value for value, _label in catalogue.ReadingLink.KINDS)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n?(.*)\Z", re.S)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


class CurriculumError(Exception):
    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class Source:
    """One file: its data, a map from field paths to line numbers, and its hash."""

    file: str
    slug: str
    data: dict
    lines: dict
    digest: str
    body: list = field(default_factory=list)
    area: str = ""
    key: str = ""  # the path under the curriculum folder ("modules/law/consent.md"), which translations share

    def line(self, path=()):
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def field_name(path):
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(file)"


class Checker:
    """Collects problems for one file while reading typed fields out of its data."""

    def __init__(self, source, problems):
        self.source, self.problems = source, problems

    def problem(self, path, reason):
        self.problems.append(Problem(self.source.file, self.source.line(path), field_name(path), reason))

    def get(self, data, path, kind, required=True, default=None, most=None, least=None):
        """data[path[-1]] if it is of `kind`; text longer than `most` characters, a list of more than
        `most` items, or a number outside least..most is reported too (curriculum_limits says why)."""
        key = path[-1]
        if not isinstance(data, dict) or key not in data or data[key] is None or data[key] == "":
            if required:
                self.problem(path, "missing required field")
            return default
        value = data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(path, f"must be a whole number, not {reprlib.repr(value)}")  # short even for aliases
            return default
        if kind is str and not isinstance(value, str):
            value = str(value) if isinstance(value, (int, float)) else None
            if value is None:
                self.problem(path, "must be text")
                return default
        if kind is list and not isinstance(value, list):
            self.problem(path, "must be a list")
            return default
        if kind is dict and not isinstance(value, dict):
            self.problem(path, "must be a mapping of fields")
            return default
        if kind is bool and not isinstance(value, bool):
            self.problem(path, "must be true or false")
            return default
        if kind is str and most is not None and len(value.strip()) > most:
            self.problem(path, f"must be at most {most:,} characters, not {len(value.strip()):,}")
        if kind is list and most is not None and len(value) > most:
            self.problem(path, f"must have at most {most} items, not {len(value):,}")
        if kind is int and ((least is not None and value < least) or (most is not None and value > most)):
            self.problem(path, f"must be between {least} and {most}")
        return value.strip() if isinstance(value, str) else value

    def only(self, data, path, allowed):
        for key in data if isinstance(data, dict) else ():
            if key not in allowed:
                self.problem(path + (key,), f"unknown field (expected one of: {', '.join(allowed)})")

    def texts(self, data, path, *, most, items, required=True):
        """A list of at most `items` lines of text, each at most `most` characters."""
        values = self.get(data, path, list, required=required, default=[], most=items)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.problem(path + (index,), "must be a line of text")
            elif len(value.strip()) > most:
                self.problem(path + (index,), f"must be at most {most:,} characters, not {len(value.strip()):,}")
        return [str(value).strip() for value in values if isinstance(value, str) and value.strip()]


def read_file(path, root, problems, front_matter=False):
    """The file at `path` (under the curriculum folder `root`) as a Source, or None when it cannot be read
    at all; every problem found on the way is appended to `problems`."""
    relative = str(path.relative_to(root.parent) if root.parent in path.parents else path)
    try:
        raw = limits.read_bytes(path)  # refuses a file over the limit before reading it
    except limits.FileTooLarge as error:
        problems.append(Problem(relative, 1, "(file)", str(error)))
        return None
    except OSError as error:
        problems.append(Problem(relative, 1, "(file)", f"cannot be read: {error.strerror}"))
        return None
    digest, key = hashlib.sha256(raw).hexdigest(), path.relative_to(root).as_posix() if root in path.parents else ""
    source = Source(file=relative, slug=path.stem, data={}, lines={}, digest=digest, key=key)
    text, unreadable = limits.decode(raw)
    if unreadable:
        line, reason = unreadable
        problems.append(Problem(relative, line, "(file)", reason))
        return None
    body, body_line, first_line = "", 1, 1
    if front_matter:
        match = FRONT_MATTER.match(text)
        if not match:
            problems.append(Problem(relative, 1, "front matter", "a module starts with YAML between two '---' lines"))
            return None
        text, body = match.group(1), match.group(2)
        body_line, first_line = text.count("\n") + 3, 2
    try:
        data, lines = load_yaml(text, first_line=first_line)
    except yaml.YAMLError as error:
        mark, reason = getattr(error, "problem_mark", None), getattr(error, "problem", error)
        line = mark.line + first_line if mark else first_line
        if isinstance(error, ReaderError):  # a character YAML does not allow: a position, no mark
            line, reason = (
                text[: error.position].count("\n") + first_line,
                f"character U+{error.character:04X} is not allowed",
            )
        problems.append(Problem(relative, line, "yaml", f"malformed YAML: {reason}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(relative, 1, "(file)", "expected a mapping of fields"))
        return None
    source.data, source.lines = data, lines
    if not SLUG.match(source.slug):
        problems.append(
            Problem(relative, 1, "slug", f"file name '{source.slug}' must be lower case words joined by hyphens")
        )
    if front_matter and len(body) > limits.BODY:  # not parsed: the limit is there to spare that work
        reason = f"must be at most {limits.BODY:,} characters, not {len(body):,}"
        problems.append(Problem(relative, body_line, "body", reason))
    elif front_matter:
        try:
            source.body = bodytext.parse(body, seed=source.slug, first_line=body_line)
        except bodytext.BodyError as error:
            problems.append(Problem(relative, error.line, "body", error.reason))
    return source


def check_area(source, problems):
    check = Checker(source, problems)
    check.only(source.data, (), ("title", "summary", "order"))
    check.get(source.data, ("title",), str, most=limits.TITLE)
    check.get(source.data, ("summary",), str, most=limits.SUMMARY)
    check.get(source.data, ("order",), int, required=False, least=0, most=limits.MOST)


MODULE_FIELDS = (
    "title",
    "summary",
    "minutes",
    "level",
    "last_reviewed",
    "tags",
    "objectives",
    "pass_mark",
    "readings",
    "quiz",
    "change_note",
    "significant",
)
READING_FIELDS = ("title", "url", "publisher", "kind", "language", "minutes", "why")


def check_module(source, problems):
    check, data = Checker(source, problems), source.data
    check.only(data, (), MODULE_FIELDS)
    check.get(data, ("title",), str, most=limits.TITLE)
    check.get(data, ("summary",), str, most=limits.SUMMARY)
    minutes = check.get(data, ("minutes",), int)
    if minutes is not None and not 1 <= minutes <= 600:
        check.problem(("minutes",), "must be between 1 and 600")
    level = check.get(data, ("level",), str)
    if level and level not in LEVELS:
        check.problem(("level",), f"must be one of {', '.join(LEVELS)}")
    reviewed = data.get("last_reviewed")
    if reviewed is not None and not isinstance(reviewed, datetime.date):
        check.problem(("last_reviewed",), "must be a date written YYYY-MM-DD")
    check.texts(data, ("tags",), required=False, most=limits.TAG, items=limits.TAGS)
    if not check.texts(data, ("objectives",), most=limits.ITEM, items=limits.OBJECTIVES) and "objectives" in data:
        check.problem(("objectives",), "needs at least one objective")
    # What this import's publish changed, for learners who completed the module (catalogue/revisions.py).
    check.get(data, ("change_note",), str, required=False, most=limits.SUMMARY)
    check.get(data, ("significant",), bool, required=False)
    pass_mark = check.get(data, ("pass_mark",), int, required=False)
    if pass_mark is not None and not 1 <= pass_mark <= 100:
        check.problem(("pass_mark",), "must be a percentage from 1 to 100")
    readings = check.get(data, ("readings",), list, required=False, default=[], most=limits.READINGS)
    for index, reading in enumerate(readings):
        path = ("readings", index)
        if not isinstance(reading, dict):
            check.problem(path, "must be a mapping with title, url, publisher, kind, language, minutes, why")
            continue
        check.only(reading, path, READING_FIELDS)
        for name, most in (("title", limits.TITLE), ("publisher", limits.TITLE), ("why", limits.WHY)):
            check.get(reading, path + (name,), str, most=most)
        url = check.get(reading, path + ("url",), str, most=limits.URL)
        if url and not catalogue.READING_URL.match(url):
            check.problem(path + ("url",), f"must be an http(s) URL, not '{url}'")
        kind = check.get(reading, path + ("kind",), str, required=False)
        if kind and kind not in KINDS:
            check.problem(path + ("kind",), f"must be one of {', '.join(KINDS)}")
        check.get(reading, path + ("language",), str, required=False, most=limits.LANGUAGE)
        check.get(reading, path + ("minutes",), int, required=False, least=1, most=600)
    questions = check.get(data, ("quiz",), list, required=False, default=[], most=limits.QUESTIONS)
    keys = [_check_question(check, ("quiz", index), question) for index, question in enumerate(questions)]
    for index, problem in quiz.key_problems(keys):
        check.problem(("quiz", index) + problem.field, problem.reason)


def _check_question(check, path, question):
    """Reads one question's fields (types and lengths); the quiz rule itself is learning.catalogue.quiz's.
    Returns its key, or None when it has none to compare."""
    if not isinstance(question, dict):
        check.problem(path, "must be a mapping with key, type, prompt, choices, explanation")
        return None
    check.only(question, path, ("key", "type", "prompt", "choices", "explanation"))
    key = check.get(question, path + ("key",), str)
    kind = check.get(question, path + ("type",), str, required=False, default="single")
    prompt = check.get(question, path + ("prompt",), str, most=limits.PROMPT)
    check.get(question, path + ("explanation",), str, required=False, most=limits.EXPLANATION)
    choices = check.get(question, path + ("choices",), list, most=limits.CHOICES)
    read = (
        None
        if choices is None
        else [_read_choice(check, path + ("choices", index), c) for index, c in enumerate(choices)]
    )
    for problem in quiz.question_problems(kind, read, prompt=prompt, key=key):
        check.problem(path + _file_field(problem.field), problem.reason)
    return key


def _read_choice(check, path, choice):
    """(text, correct) for the quiz rule; a text of None was reported here already."""
    if not isinstance(choice, dict):
        check.problem(path, "must be a mapping with text, correct, feedback")
        return None, False
    check.only(choice, path, ("text", "correct", "feedback"))
    text = check.get(choice, path + ("text",), str, most=limits.CHOICE)
    correct = check.get(choice, path + ("correct",), bool, required=False, default=False)
    check.get(choice, path + ("feedback",), str, required=False, most=limits.FEEDBACK)
    return text, correct


def _file_field(field):
    """The quiz rule's field names are the block's; a file calls the kind `type`."""
    return ("type",) + field[1:] if field[:1] == ("kind",) else field


def check_path(source, problems, module_slugs):
    check, data = Checker(source, problems), source.data
    check.only(data, (), ("title", "role", "audience", "outcomes", "order", "stages"))
    for name, most in (("title", limits.TITLE), ("role", limits.TITLE), ("audience", limits.AUDIENCE)):
        check.get(data, (name,), str, most=most)
    check.texts(data, ("outcomes",), most=limits.ITEM, items=limits.OBJECTIVES)
    check.get(data, ("order",), int, required=False, least=0, most=limits.MOST)
    seen = set()
    stages = check.get(data, ("stages",), list, default=[])
    if "stages" in data and not stages:
        check.problem(("stages",), "a path needs at least one stage")
    for index, stage in enumerate(stages):
        path = ("stages", index)
        if not isinstance(stage, dict):
            check.problem(path, "must be a mapping with label and modules")
            continue
        check.only(stage, path, ("label", "modules"))
        check.get(stage, path + ("label",), str, most=limits.STAGE)
        for position, step in enumerate(check.get(stage, path + ("modules",), list, default=[])):
            step_path = path + ("modules", position)
            slug = step if isinstance(step, str) else step.get("slug") if isinstance(step, dict) else None
            if isinstance(step, dict):
                check.only(step, step_path, ("slug", "required"))
                check.get(step, step_path + ("required",), bool, required=False)
            if not isinstance(slug, str):
                check.problem(step_path, "must be a module slug, or a mapping with slug and required")
            elif slug not in module_slugs:
                check.problem(step_path, f"unknown module slug '{slug}'")
            elif slug in seen:
                check.problem(step_path, f"module '{slug}' appears twice in this path")
            else:
                seen.add(slug)
