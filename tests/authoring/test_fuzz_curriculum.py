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
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, Revision

from learning.authoring.curriculum import CurriculumError, read
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


def assert_every_problem_names_file_and_line(root, error):
    assert error.problems, "CurriculumError without problems"
    for problem in error.problems:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.file.startswith(f"{root.name}/"), problem
        path = root.parent / problem.file
        assert path.is_file(), f"{problem}: names no file of the folder"
        assert problem.line <= path.read_bytes().count(b"\n") + 1, f"{problem}: line beyond the end of the file"
        assert str(problem).startswith(f"{problem.file}:{problem.line}: "), problem
        assert problem.reason and problem.field, problem


def read_outcome(root):
    """None when the folder is valid, else the CurriculumError (any other exception propagates)."""
    try:
        read(root)
    except CurriculumError as error:
        assert_every_problem_names_file_and_line(root, error)
        return error
    return None


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


def snapshot():
    return Page.objects.count(), Revision.objects.count()


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
        before = snapshot()
        try:
            call_command("load_curriculum", str(root), stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError:
            assert snapshot() == before
        else:
            assert invalid is None, "the command imported a folder that read() refuses"
        transaction.set_rollback(True)


# Regular tests for what the fuzzer and its targeted cases found; each crashed or was misreported.

CHARGEBACKS = "modules/payments/chargebacks.md"


@pytest.fixture
def copy(tmp_path):
    return Path(shutil.copytree(FIXTURE_CURRICULUM, tmp_path / "content"))


def problems_after(root, file, old, new):
    path = root / file
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {file}"
    path.write_bytes(data.replace(old, new, 1))
    error = read_outcome(root)
    assert error is not None, "the mutation was accepted"
    return [str(problem) for problem in error.problems]


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "areas/law.yaml",
            b"title:",
            b"\xff\xc3title:",
            "content/areas/law.yaml:1: (file): not UTF-8 text (byte 0xff)",
        ),
        (CHARGEBACKS, b"Right B", b"Right \xe9B", "content/modules/payments/chargebacks.md:41: (file): not UTF-8 text"),
        (
            CHARGEBACKS,
            b"title: Chargebacks",
            b"title: Charge\x00backs",
            "content/modules/payments/chargebacks.md:2: (file): contains a NUL",
        ),
        (
            CHARGEBACKS,
            b"Customers care",
            b"Customers\x00care",
            "content/modules/payments/chargebacks.md:51: (file): contains a NUL",
        ),
    ],
)
def test_invalid_utf8_and_nul_bytes_are_reported_with_file_and_line(copy, file, old, new, expected):
    assert any(message.startswith(expected) for message in problems_after(copy, file, old, new))


def test_nul_byte_in_front_matter_is_reported_with_file_and_line(copy):
    """Written as a YAML escape, a NUL passed validation and broke the import on PostgreSQL."""
    messages = problems_after(copy, CHARGEBACKS, b"title: Chargebacks", b'title: "Charge\\0backs"')
    assert messages == [
        "content/modules/payments/chargebacks.md:2: yaml: "
        "malformed YAML: a NUL or lone surrogate character cannot be stored"
    ]


@pytest.mark.parametrize(
    "value, reason",
    [
        (b"2026-02-30", "cannot read '2026-02-30': day is out of range for month"),  # was ValueError
        (b"!!timestamp nonsense", "cannot read 'nonsense'"),  # was AttributeError
        (b"!!int x", "cannot read 'x'"),  # was ValueError
        (b"9" * 5000, "cannot read '9999"),  # int() refuses 4,300+ digits: was ValueError
    ],
)
def test_values_yaml_cannot_construct_are_reported_at_their_line(copy, value, reason):
    messages = problems_after(copy, CHARGEBACKS, b"2026-11-01", value)
    assert len(messages) == 1 and messages[0].startswith(
        f"content/modules/payments/chargebacks.md:6: yaml: malformed YAML: {reason}"
    )


def test_a_self_referencing_alias_is_reported_not_a_recursion_error(copy):
    messages = problems_after(copy, CHARGEBACKS, b"tags:\n- chargebacks\n- payments", b"tags: &r [*r]")
    assert messages == ["content/modules/payments/chargebacks.md:7: tags[0]: must be a line of text"]


def test_billion_laughs_aliases_are_read_once(copy):
    laughs = b"".join(
        b"l%d: &l%d [%s]\n" % (n, n, b", ".join([b"*l%d" % (n - 1) if n else b"lol"] * 9)) for n in range(10)
    )
    started = time.monotonic()
    messages = problems_after(copy, "areas/law.yaml", b"title: Data protection and law\n", laughs + b"title: *l9\n")
    assert time.monotonic() - started < 5  # 9**10 items if anything expanded the aliases
    assert "content/areas/law.yaml:11: title: must be text" in messages


def test_a_mapping_used_as_a_key_is_reported_not_a_type_error(copy):
    messages = problems_after(copy, "areas/law.yaml", b"order: 3", b"? [a, b]\n: 3")
    assert messages == ["content/areas/law.yaml:3: yaml: malformed YAML: found unhashable key"]


def test_a_duplicate_field_is_reported_with_both_lines(copy):
    messages = problems_after(copy, "areas/law.yaml", b"order: 3", b"order: 3\ntitle: Law")
    assert messages == ["content/areas/law.yaml:4: yaml: malformed YAML: duplicate field 'title' (also on line 1)"]


def test_a_character_yaml_refuses_is_reported_at_its_line(copy):
    messages = problems_after(copy, "paths/starter.yaml", b"- returns", b"- ret\x01urns")
    assert messages == ["content/paths/starter.yaml:11: yaml: malformed YAML: character U+0001 is not allowed"]


def test_a_module_that_fails_to_parse_is_not_also_unknown_in_every_path(copy):
    messages = problems_after(copy, "modules/logistics/returns.md", b"title:", b"title: [")
    assert len(messages) == 1 and messages[0].startswith("content/modules/logistics/returns.md:")


def test_windows_line_ends_and_a_byte_order_mark_are_read(copy):
    for path in copy.rglob("*.*"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert read_outcome(copy) is None


def test_a_folder_named_like_a_file_is_reported(copy):
    (copy / "areas" / "odd.yaml").mkdir()
    with pytest.raises(CurriculumError) as caught:
        read(copy)
    assert [str(p) for p in caught.value.problems] == [
        "content/areas/odd.yaml:1: (file): cannot be read: Is a directory"
    ]


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "areas/law.yaml",
            b"order: 3",
            b"order: -5",
            "content/areas/law.yaml:3: order: must be between 0 and 2147483647",
        ),
        (
            "paths/starter.yaml",
            b"order: 1",
            b"order: 99999999999",
            "content/paths/starter.yaml:6: order: must be between 0",
        ),
        (
            "areas/law.yaml",
            b"title: Data protection and law",
            b"title: " + b"x" * 256,
            "content/areas/law.yaml:1: title: must be at most 255 characters, not 256",
        ),
        (
            "paths/starter.yaml",
            b"role: Anyone new",
            b"role: " + b"r" * 300,
            "content/paths/starter.yaml:2: role: must be at most 255",
        ),
        (
            CHARGEBACKS,
            b"  language: en",
            b"  language: english-uk",
            "content/modules/payments/chargebacks.md:19: readings[0].language: must be at most 8",
        ),
        (
            CHARGEBACKS,
            b"  minutes: 10",
            b"  minutes: -3",
            "content/modules/payments/chargebacks.md:20: readings[0].minutes: must be between 1 and 600",
        ),
        (
            CHARGEBACKS,
            b"  why: A clear overview.",
            b"  why: " + b"w" * 301,
            "content/modules/payments/chargebacks.md:21: readings[0].why: must be at most 300",
        ),
        (
            CHARGEBACKS,
            b"- chargebacks\n",
            b"- " + b"t" * 101 + b"\n",
            "content/modules/payments/chargebacks.md:8: tags[0]: must be at most 100",
        ),
        (
            CHARGEBACKS,
            b"title: Chargebacks",
            b'title: "a\\ud800b"',
            "content/modules/payments/chargebacks.md:2: yaml: malformed YAML: a NUL or lone surrogate",
        ),
    ],
)
def test_values_the_database_cannot_store_are_refused_before_importing(academy, copy, file, old, new, expected):
    """Each of these passed validation and then failed inside the import with a database error."""
    assert any(message.startswith(expected) for message in problems_after(copy, file, old, new))
    before = snapshot()
    with pytest.raises(CommandError):
        call_command("load_curriculum", str(copy), stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == before
