"""What the curriculum fuzzer and its targeted cases found: bad bytes, NULs, YAML tricks, database limits.

Each case crashed the reader or the import, or was reported at the wrong place, before it was fixed.
"""

import io
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from learning.authoring.curriculum import CurriculumError, read
from tests.authoring.helpers import page_counts, read_outcome
from tests.conftest import FIXTURE_CURRICULUM

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
    before = page_counts()
    with pytest.raises(CommandError):
        call_command("load_curriculum", str(copy), stdout=io.StringIO(), stderr=io.StringIO())
    assert page_counts() == before
