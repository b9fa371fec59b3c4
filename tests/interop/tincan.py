"""TinCanSchema 1.0.1 (../shared/external/xapi/tincanschema-1.0.1/, Apache-2.0, read in place, never copied) as a
jsonschema draft-04 validator, the way RusticiSoftware's TinCanValidator loads it: every file is one subschema
named by its "id" ("#statement", "#mbox!core"), all under one root, and formats.json's regular expressions
checked as the formats they name (jsonschema's own formats are not used: the schema means these)."""

import json
import re
from functools import cache

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.interop.lrs import SHARED

SCHEMA_DIR = SHARED / "tincanschema-1.0.1"
CASES_DIR = SHARED / "tincanvalidator-testdata"
ROOT = "https://tincanschema.invalid/1.0.1"  # any absolute base: the files refer to each other as "#name"


def _format_checker():
    checker = FormatChecker(formats=())
    for name, pattern in json.loads((SCHEMA_DIR / "formats" / "formats.json").read_text()).items():
        compiled = re.compile(pattern)

        def check(value, compiled=compiled):
            return not isinstance(value, str) or compiled.search(value) is not None

        checker.checks(name)(check)
    return checker


@cache
def _registry():
    parts = {path.stem: json.loads(path.read_text()) for path in sorted(SCHEMA_DIR.glob("*.json"))}
    root = {"$schema": "http://json-schema.org/draft-04/schema#", "id": ROOT, "definitions": parts}
    return Registry().with_resource(ROOT, Resource.from_contents(root, default_specification=DRAFT4))


def validator(name="statement"):
    """A validator for one TinCan object ("statement", "agent", "mbox!core", ...)."""
    return Draft4Validator({"$ref": f"{ROOT}#{name}"}, registry=_registry(), format_checker=_format_checker())


def problems(instance, name="statement"):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(instance)]


def labelled_cases():
    """(object name, file, whether it should validate) for every TinCanValidator test file: the folder names
    the object, "good" or "bad" in the file name the verdict."""
    for path in sorted(CASES_DIR.glob("*/*.json")):
        yield path.parent.name, path, path.stem.split("-")[1] == "good"
