"""The TinCanSchema validator the statement tests rely on gives TinCanValidator's verdict on all 261 of its
labelled cases (../shared/external/xapi/tincanvalidator-testdata/), so a statement it passes is valid xAPI."""

import json

from tests.interop import tincan


def test_the_validator_agrees_with_every_labelled_case():
    cases = list(tincan.labelled_cases())
    wrong = [
        f"{name}/{path.name}"
        for name, path, good in cases
        if (not tincan.problems(json.loads(path.read_text()), name)) != good
    ]
    assert len(cases) == 261 and sum(good for _n, _p, good in cases) == 117
    assert wrong == []


def test_the_validator_refuses_what_xapi_refuses():
    statement = json.loads((tincan.SHARED / "spec-examples" / "xAPI-Data_L285_statement.json").read_text())
    assert tincan.problems(statement) == []
    assert tincan.problems({**statement, "verb": {"id": "not an IRI"}})
    assert tincan.problems({**statement, "actor": {"mbox": "lena@example.com"}})  # no mailto:
    assert tincan.problems({**statement, "id": "not-a-uuid"})
