"""Translations of the curriculum (content/locales/<lang>/): read them and check them against their English files.

A translation sits at its English file's path under locales/<lang>/ and is held to the English file's
rules (curriculum_files), plus what keeps one learning record across languages:

- its English file exists;
- a module keeps the quiz: the same questions in the same order with the same key and type, each with
  the same number of choices and the same `correct` flags (choice i is choice i of the English file),
  and the same pass mark. Answers are stored against the keys and the choice ids, and the importer
  gives a translated quiz the English page's ids position by position, so a German answer is an
  English answer;
- a path has the English stages with exactly the English modules (only the labels are translated);
- an area has a title and a summary; home.yaml titles the home page and the two index pages.

Areas and paths take their `order` from the English file. Nothing here touches the database.
"""

from dataclasses import dataclass

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant

from learning.authoring import curriculum_limits as limits
from learning.authoring.curriculum_files import Checker, Problem, Source, check_module, check_path, read_file
from learning.catalogue.models import ModulePage

FOLDER = "locales"
HOME_FIELDS = ("title", "intro", "paths_title", "areas_title")
KINDS = (("area", "areas/*.yaml", False), ("module", "modules/*/*.md", True), ("path", "paths/*.yaml", False))


@dataclass
class Translation:
    language: str
    kind: str  # "home", "area", "module" or "path"
    source: Source
    english: Source | None  # the English file as read; None for home.yaml, or when it has problems of its own

    @property
    def slug(self):
        return self.source.slug


def content_languages():
    """The languages a translation may be written in: the site's content languages but the default."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != default]


def read_translations(root, english, problems):
    """Every translation under root/locales/, checked; `english` are the English Sources as read."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    # An English file with problems of its own is reported there, not again in each of its translations.
    broken = {problem.file for problem in problems}
    by_key = {source.key: source for source in english if source.file not in broken}
    languages, translations = content_languages(), []
    module_slugs = {file.stem for file in (root / "modules").glob("*/*.md")}
    for language_dir in sorted(path for path in folder.iterdir() if path.is_dir()):
        if language_dir.name not in languages:
            name = (
                str(language_dir.relative_to(root.parent)) if root.parent in language_dir.parents else str(language_dir)
            )
            reason = f"'{language_dir.name}' is not a content language of the site (one of: {', '.join(languages)})"
            problems.append(Problem(name, 1, "(folder)", reason))
            continue
        translations += _read_language(root, language_dir, by_key, module_slugs, problems)
    return translations


def _read_language(root, language_dir, by_key, module_slugs, problems):
    language, found = language_dir.name, []
    home = language_dir / "home.yaml"
    if home.is_file() and (source := read_file(home, root, problems)):
        _check_home(source, problems)
        found.append(Translation(language, "home", source, None))
    for kind, pattern, front_matter in KINDS:
        for file in sorted(language_dir.glob(pattern)):
            source = read_file(file, root, problems, front_matter=front_matter)
            if source is None:
                continue
            english_key = file.relative_to(language_dir).as_posix()
            english = by_key.get(english_key)
            if kind == "module":
                source.area = file.parent.name
            if not (root / english_key).is_file():
                reason = f"no English file {root.name}/{english_key} (a translation has its English file's path)"
                problems.append(Problem(source.file, 1, "(file)", reason))
            if kind == "area":
                _check_area(source, english, problems)
            elif kind == "module":
                _check_module(source, english, problems)
            else:
                _check_path(source, english, problems, module_slugs)
            found.append(Translation(language, kind, source, english))
    return found


def _check_home(source, problems):
    check = Checker(source, problems)
    check.only(source.data, (), HOME_FIELDS)
    for name in HOME_FIELDS:
        check.get(source.data, (name,), str, most=limits.AUDIENCE if name == "intro" else limits.TITLE)


def _check_area(source, english, problems):
    check = Checker(source, problems)
    check.only(source.data, (), ("title", "summary"))  # the order is the English file's
    check.get(source.data, ("title",), str, most=limits.TITLE)
    check.get(source.data, ("summary",), str, most=limits.SUMMARY)


def _check_module(source, english, problems):
    check_module(source, problems)
    if english is None:
        return
    check, data = Checker(source, problems), source.data
    if _pass_mark(data) != _pass_mark(english.data):
        check.problem(("pass_mark",), f"must be {_pass_mark(english.data)} as in the English file")
    mine, theirs = _list(data.get("quiz")), _list(english.data.get("quiz"))
    for index, question in enumerate(mine):
        if index < len(theirs):
            _same_question(check, ("quiz", index), question, theirs[index])
        else:
            reason = f"the English file has {len(theirs)} question(s): a translation cannot add one"
            check.problem(("quiz", index), reason)
    if len(mine) < len(theirs):
        missing = ", ".join(f"'{_get(question, 'key')}'" for question in theirs[len(mine) :])
        check.problem(("quiz",), f"question(s) {missing} of the English file are missing")


def _same_question(check, path, mine, theirs):
    """Problems where a translated question differs from the English one in what answers are stored by."""
    key, english_key = _get(mine, "key"), _get(theirs, "key")
    if key != english_key:
        reason = f"must be '{english_key}', the key of question {path[-1] + 1} in the English file"
        check.problem(path + ("key",), reason + " (keys are never renamed; questions keep the English order)")
    kind, english_kind = _get(mine, "type") or "single", _get(theirs, "type") or "single"
    if kind != english_kind:
        check.problem(path + ("type",), f"must be '{english_kind}' as in the English file")
    choices, english_choices = _get(mine, "choices"), _get(theirs, "choices")
    if not isinstance(choices, list) or not isinstance(english_choices, list):
        return  # reported by the quiz rule already
    if len(choices) != len(english_choices):
        reason = f"must have the English file's {len(english_choices)} choices in the same order, not {len(choices)}"
        check.problem(path + ("choices",), reason)
        return
    for index, (choice, english_choice) in enumerate(zip(choices, english_choices, strict=True)):
        correct = _get(english_choice, "correct") is True
        if (_get(choice, "correct") is True) != correct:
            said = "true" if correct else "false (or left out)"
            reason = f"must be {said} as in choice {index + 1} of the English file"
            check.problem(path + ("choices", index, "correct"), reason)


def _check_path(source, english, problems, module_slugs):
    check_path(source, problems, module_slugs)
    check, data = Checker(source, problems), source.data
    if "order" in data:
        check.problem(("order",), "a translation is listed where its English file is: leave the order out")
    if english is None:
        return
    mine, theirs = _list(data.get("stages")), _list(english.data.get("stages"))
    if len(mine) != len(theirs):
        check.problem(("stages",), f"must have the English file's {len(theirs)} stage(s), not {len(mine)}")
    for index, (stage, english_stage) in enumerate(zip(mine, theirs, strict=False)):
        steps, english_steps = _steps(_get(stage, "modules")), _steps(_get(english_stage, "modules"))
        if steps != english_steps:
            listed = ", ".join(slug if required else f"{slug} (elective)" for slug, required in english_steps)
            check.problem(("stages", index, "modules"), f"must be the English stage's modules, in order: {listed}")


def _steps(modules):
    """A stage's modules as (slug, required) pairs, however each is written."""
    steps = []
    for step in _list(modules):
        if isinstance(step, dict):
            steps.append((step.get("slug"), step.get("required", True)))
        else:
            steps.append((step, True))
    return steps


def _pass_mark(data):
    return data.get("pass_mark") or ModulePage._meta.get_field("pass_mark").default


def _list(value):
    return value if isinstance(value, list) else []


def _get(data, name):
    return data.get(name) if isinstance(data, dict) else None
