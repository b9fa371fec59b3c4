"""Reading the curriculum folder (content/): parse and validate, write nothing.

read() parses and validates every file, the English ones and their translations under locales/<lang>/,
and returns a Curriculum, or raises CurriculumError with every problem as `file:line: field: reason`.
One file's rules are curriculum_files'; what a translation keeps of its English file is
curriculum_locales'. Writing pages from a Curriculum and exporting pages back to files is
curriculum_pages'.
"""

from dataclasses import dataclass, field
from pathlib import Path

from learning.authoring.curriculum_files import (
    CurriculumError,
    Problem,
    Source,
    check_area,
    check_module,
    check_path,
    read_file,
)
from learning.authoring.curriculum_locales import read_translations

__all__ = ["Curriculum", "CurriculumError", "Problem", "Source", "read"]


@dataclass
class Curriculum:
    areas: list
    modules: list
    paths: list
    translations: list = field(default_factory=list)  # curriculum_locales.Translation, home files first


def read(root):
    """Parse and validate every file under `root`; return a Curriculum or raise CurriculumError."""
    root, problems = Path(root), []
    if not root.is_dir():
        raise CurriculumError([Problem(str(root), 1, "(folder)", "curriculum folder not found")])
    areas = [s for f in sorted((root / "areas").glob("*.yaml")) if (s := read_file(f, root, problems))]
    for source in areas:
        check_area(source, problems)
    area_slugs = {file.stem for file in (root / "areas").glob("*.yaml")}  # a broken area is reported once
    modules, by_slug, module_files = [], {}, sorted((root / "modules").glob("*/*.md"))
    for file in module_files:
        source = read_file(file, root, problems, front_matter=True)
        if source is None:
            continue
        source.area = file.parent.name
        if source.area not in area_slugs:
            problems.append(Problem(source.file, 1, "area", f"no area file areas/{source.area}.yaml for this folder"))
        if source.slug in by_slug:
            problems.append(
                Problem(
                    source.file, 1, "slug", f"duplicate module slug '{source.slug}' (also {by_slug[source.slug].file})"
                )
            )
        by_slug[source.slug] = source
        check_module(source, problems)
        modules.append(source)
    paths = [s for f in sorted((root / "paths").glob("*.yaml")) if (s := read_file(f, root, problems))]
    for source in paths:
        # A module that failed to parse is reported in its own file, not as unknown in every path.
        check_path(source, problems, {file.stem for file in module_files})
    translations = read_translations(root, areas + modules + paths, problems)
    if problems:
        raise CurriculumError(problems)
    return Curriculum(areas=areas, modules=modules, paths=paths, translations=translations)
