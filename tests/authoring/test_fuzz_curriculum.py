"""Fuzzing the curriculum reader: a mutated file is either harmless or reported as file:line.

Each example copies the fixture curriculum, mutates one file (bytes, YAML structure, body blocks
or its name) and reads the folder. `read` may succeed or raise CurriculumError; every problem must
name a file of the folder and a line inside it. Any other exception (KeyError, TypeError,
UnicodeDecodeError, a yaml error, RecursionError ...) fails the test with its traceback.
derandomize=True makes the 500 examples the same on every run, so CI failures reproduce.
"""

import contextlib
import io
import re
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.authoring.helpers import page_counts, read_outcome
from tests.conftest import FIXTURE_CURRICULUM

FILES = sorted(str(p.relative_to(FIXTURE_CURRICULUM)) for p in FIXTURE_CURRICULUM.rglob("*") if p.is_file())
KEY_LINE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_]+):(.*)$")

# Values that keep the YAML well-formed but give a field the wrong type, size or meaning.
VALUES = [
    b"",
    b"~",
    b"null",
    b"42",
    b"-5",
    b"0",
    b"3.5",
    b"1e999",
    b"9" * 5000,
    b"true",
    b"[a, b]",
    b"[]",
    b"{x: 1}",
    b"{}",
    b"2026-02-30",
    b"2026-13-01",
    b"'2026-11-01'",
    b"x" * 100_000,
    b'"\\0 nul"',
    b'"\\ud800"',
    b'"\\U0001F600"',
    b"&r [*r]",
    b"&m {k: *m}",
    b"*nowhere",
    b"!!binary aGVsbG8=",
    b"!!set {a, b}",
    b"!!omap [a: 1]",
    b"!!python/object/apply:os.system [echo]",
    b"!!timestamp nonsense",
    b"!!int x",
    b"!!float x",
    b"|\n  block\n  text",
    b"'unterminated",
    b"[unclosed",
    b"{[a]: b}",
    b"{? [a, b] : c}",
    b"javascript:alert(1)",
    b"ftp://example.org",
    b"\t\ttabbed",
    b"\xc3\x28",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xf0\x9f\x98",
    "\u202eright-to-left".encode(),
]
# A small "billion laughs": anchors that expand exponentially if anything walks through aliases.
LAUGHS = b"".join(b"l%d: &l%d [%s]\n" % (n, n, b", ".join([b"*l%d" % (n - 1) if n else b"lol"] * 9)) for n in range(7))
JUNK = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\t", b"\r", b"\r\n", b"---\n", b":::\n", b":::terms\n", b"\n  - x"]
    ),
)


def _line(data, n):
    lines = data.split(b"\n")
    return lines, n % len(lines)


def _key_lines(data):
    return [i for i, line in enumerate(data.split(b"\n")) if KEY_LINE.match(line)]


def mutate(data, op, n, m, extra, value):
    """One mutation of `data` (bytes): `n`, `m` pick positions, `extra` is junk, `value` a YAML value."""
    size = len(data)
    if op == "delete":
        start = n % (size + 1)
        return data[:start] + data[start + m % 200 :]
    if op == "insert":
        start = n % (size + 1)
        return data[:start] + extra + data[start:]
    if op == "replace":
        start = n % (size + 1)
        return data[:start] + extra + data[start + 1 + m % 50 :]
    if op == "truncate":
        return data[: n % (size + 1)]
    if op == "bom":
        return b"\xef\xbb\xbf" + data
    if op == "invalid-utf8":
        start = n % (size + 1)
        return data[:start] + b"\xff\xc3" + data[start:]
    lines, i = _line(data, n)
    keys = _key_lines(data) or [i]
    k = keys[n % len(keys)]
    if op == "drop-line":
        del lines[i]
    elif op == "drop-key":
        del lines[k]
    elif op == "duplicate-line":
        lines.insert(i, lines[i])
    elif op == "duplicate-key":
        lines.insert(k + 1 + m % 3, lines[k])
    elif op == "set-value":
        indent, key, _ = KEY_LINE.match(lines[k]).groups() if KEY_LINE.match(lines[k]) else (b"", b"title", b"")
        lines[k] = indent + key + b": " + value
    elif op == "unknown-key":
        indent = KEY_LINE.match(lines[k]).group(1).replace(b"-", b" ") if KEY_LINE.match(lines[k]) else b""
        lines.insert(k, indent + b"surprise: " + value)
    elif op == "tab-indent":
        lines[i] = b"\t" + lines[i].lstrip(b" ")
    elif op == "indent":
        lines[i] = b" " * (1 + m % 5) + lines[i]
    elif op == "dedent":
        lines[i] = lines[i].lstrip()
    elif op == "laughs":
        fence = 1 if lines[0] == b"---" else 0
        lines[fence:fence] = LAUGHS.rstrip(b"\n").split(b"\n")
        indent, key, _ = KEY_LINE.match(lines[k + 7]).groups() if KEY_LINE.match(lines[k + 7]) else (b"", b"title", b"")
        lines[k + 7] = indent + key + b": *l6"
    elif op == "no-correct-choice":
        return data.replace(b"correct: true", b"correct: false")
    elif op == "all-correct":
        return data.replace(b"feedback: No.", b"correct: true")
    elif op == "missing-module":
        return re.sub(rb"^(\s*- (?:slug: )?)[a-z-]+$", rb"\1no-such-module", data, count=1 + m % 3, flags=re.M)
    elif op == "unclose-block":
        closes = [j for j, line in enumerate(lines) if line.strip() == b":::"] or [i]
        del lines[closes[m % len(closes)]]
    elif op == "drop-fence":
        fences = [j for j, line in enumerate(lines) if line.strip() == b"---"] or [i]
        del lines[fences[m % len(fences)]]
    elif op == "crlf":
        return data.replace(b"\n", b"\r\n")
    elif op == "empty":
        return b""
    return b"\n".join(lines)


OPS = [
    "delete",
    "insert",
    "replace",
    "truncate",
    "bom",
    "invalid-utf8",
    "drop-line",
    "drop-key",
    "duplicate-line",
    "duplicate-key",
    "set-value",
    "set-value",
    "set-value",
    "unknown-key",
    "tab-indent",
    "indent",
    "dedent",
    "laughs",
    "no-correct-choice",
    "all-correct",
    "missing-module",
    "unclose-block",
    "drop-fence",
    "crlf",
    "empty",
]
MUTATIONS = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(OPS),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    JUNK,
    st.sampled_from(VALUES),
)
NAMES = st.sampled_from(["Bad Name", "UPPER", "ümlaut", "a--b", "-lead", "x" * 200, "new-one", "tab\tname"])


def write_mutation(root, mutation, rename=None):
    file, *args = mutation
    target = root / file
    target.write_bytes(mutate(target.read_bytes(), *args))
    if rename:
        target.rename(target.with_name(rename + target.suffix))
    return file


def needed_files(file):
    """The files a mutated `file` is read with: a path needs every module, a module its area."""
    if file.startswith("paths/"):
        return FILES
    return sorted({f for f in FILES if f.startswith("areas/")} | {file})


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One trimmed copy of the fixture curriculum per file; examples mutate a file and restore it.

    Reading only what the mutated file needs keeps 500 examples near 20 seconds.
    """
    base = tmp_path_factory.mktemp("fuzz")
    roots = {}
    for index, file in enumerate(FILES):
        roots[file] = base / str(index) / "content"
        for needed in needed_files(file):
            (roots[file] / needed).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FIXTURE_CURRICULUM / needed, roots[file] / needed)
    return roots


@contextlib.contextmanager
def mutated(workspace, mutation, rename=None):
    """The folder for `mutation`'s file, with that file mutated (and renamed) until the block ends."""
    root = workspace[mutation[0]]
    folder = (root / mutation[0]).parent
    try:
        write_mutation(root, mutation, rename)
        yield root
    finally:
        for path in folder.iterdir():
            path.unlink()
        for needed in needed_files(mutation[0]):
            if (root / needed).parent == folder:
                shutil.copyfile(FIXTURE_CURRICULUM / needed, root / needed)


# `workspace` is module-scoped and every example puts its file back, so examples share nothing.
@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=MUTATIONS, rename=st.none() | st.none() | st.none() | NAMES)
def test_mutated_curriculum_reads_or_reports_file_and_line(workspace, mutation, rename):
    with mutated(workspace, mutation, rename) as root:
        read_outcome(root)


# Function-scoped `academy`/`db`: each example runs in a savepoint that is rolled back, so an
# import that succeeds does not carry over into the next example.
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=MUTATIONS)
def test_load_curriculum_refuses_bad_folders_with_command_error_and_imports_nothing(academy, workspace, mutation):
    with mutated(workspace, mutation) as root, transaction.atomic():
        invalid = read_outcome(root)
        before = page_counts()
        try:
            call_command("load_curriculum", str(root), stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError:
            assert page_counts() == before
        else:
            assert invalid is None, "the command imported a folder that read() refuses"
        transaction.set_rollback(True)
