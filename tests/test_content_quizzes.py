"""Quizzes in the shipped curriculum test understanding, not test-taking (issue 17 §4), and the facts corrected in
§3 stay corrected.

A learner who guesses from where the right answer sits, from which choice carries "because" or "always", or who
recalls the worked example's result instead of applying its method, should gain nothing.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

from learning.authoring.curriculum import read
from tests.conftest import ROOT

CONTENT = ROOT / "content"
PADDING = re.compile(r"\b(because|always|never|only|all|every)\b", re.IGNORECASE)
EXAMPLE_BLOCK = re.compile(r"^:::example[^\n]*\n(.*?)^:::[ \t]*$", re.MULTILINE | re.DOTALL)
# Figures a learner could recall rather than calculate: grouped thousands, decimals, three digits or more.
FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,}")
YEAR = re.compile(r"^(19|20)\d\d$")
# "the period starts on the day the consumer receives them": the day of delivery does not count (Art. 9 CRD with
# Regulation 1182/71), so any wording that starts the period on that day is wrong.
WITHDRAWAL_FROM_DELIVERY_DAY = re.compile(
    r"\bstarts?\s+(?:on the day|when)\b[^.]{0,60}\b(?:receives?|receipt)\b", re.IGNORECASE
)
# Directive -> (its ELI path, its CELEX number): all three were amended by the Omnibus Directive (EU) 2019/2161,
# so a link to the original text shows rules that no longer apply.
AMENDED_CONSUMER_DIRECTIVES = {
    "2011/83/EU": ("eli/dir/2011/83/", "2011L0083"),
    "98/6/EC": ("eli/dir/1998/6/", "1998L0006"),
    "2005/29/EC": ("eli/dir/2005/29/", "2005L0029"),
}


@pytest.fixture(scope="module")
def curriculum():
    return read(CONTENT)  # raises with every problem as file:line if any file is invalid


def single_choice(module):
    return [q for q in module.data.get("quiz") or [] if q.get("type", "single") == "single"]


def right_position(question):
    return next(i for i, choice in enumerate(question["choices"]) if choice.get("correct"))


def module_text(module):
    return Path(ROOT / module.file).read_text(encoding="utf-8")


def figures(text):
    return {f for f in FIGURE.findall(text) if not YEAR.match(f)}


def test_no_position_holds_the_right_answer_in_more_than_half_of_a_modules_single_choice_questions(curriculum):
    problems = []
    for m in curriculum.modules:
        positions = Counter(right_position(q) for q in single_choice(m))
        if positions and max(positions.values()) > sum(positions.values()) / 2:
            where = ", ".join(f"choice {p + 1}: {n}" for p, n in sorted(positions.items()))
            problems.append(f"{m.file}: right answers by position ({where})")
    assert not problems, "\n".join(problems)


def test_distractors_carry_padding_words_no_more_often_than_right_answers(curriculum):
    words = {True: 0, False: 0}
    choices = {True: 0, False: 0}
    padded_distractors = []
    for m in curriculum.modules:
        for q in m.data.get("quiz") or []:
            for choice in q["choices"]:
                right, found = bool(choice.get("correct")), PADDING.findall(str(choice["text"]))
                words[right] += len(found)
                choices[right] += 1
                if found and not right:
                    padded_distractors.append(f"{m.file}: {q['key']}: {choice['text']}")
    distractor_rate, right_rate = words[False] / choices[False], words[True] / choices[True]
    assert distractor_rate <= right_rate, (
        f"padding words per distractor {distractor_rate:.3f} > per right answer {right_rate:.3f}:\n"
        + "\n".join(padded_distractors)
    )


def test_questions_apply_a_worked_example_to_new_numbers(curriculum):
    problems = []
    for m in curriculum.modules:
        example_figures = figures(" ".join(EXAMPLE_BLOCK.findall(module_text(m).split("\n---\n", 1)[1])))
        for q in m.data.get("quiz") or []:
            shared = figures(q["prompt"]) & example_figures
            if len(shared) >= 2:
                problems.append(f"{m.file}: {q['key']} reuses the worked example's {sorted(shared)}")
    assert not problems, "\n".join(problems)


def test_no_module_starts_the_withdrawal_period_on_the_day_of_delivery(curriculum):
    problems = [
        f"{m.file}: {match.group(0)!r}"
        for m in curriculum.modules
        for match in WITHDRAWAL_FROM_DELIVERY_DAY.finditer(module_text(m))
    ]
    assert not problems, "\n".join(problems)


def test_readings_of_the_amended_consumer_directives_link_consolidated_texts(curriculum):
    problems, linked = [], set()
    for m in curriculum.modules:
        for reading in m.data.get("readings") or []:
            url = reading["url"]
            for name, (eli, celex) in AMENDED_CONSUMER_DIRECTIVES.items():
                if eli not in url and celex not in url:
                    continue
                linked.add(name)
                if not re.search(rf"CELEX(?::|%3A)0{celex}-\d{{8}}", url):
                    problems.append(f"{m.file}: Directive {name} links the original text: {url}")
    assert linked == set(AMENDED_CONSUMER_DIRECTIVES), f"only {sorted(linked)} are linked as readings"
    assert not problems, "\n".join(problems)


def test_the_digital_omnibus_is_presented_as_a_proposal(curriculum):
    # Only the Commission's November 2025 proposal can be confirmed; until an act is in the Official Journal, every
    # paragraph that mentions it must say it is proposed.
    problems = []
    for m in curriculum.modules:
        for paragraph in re.split(r"\n\s*\n", module_text(m)):
            if "Digital Omnibus" in paragraph and "propos" not in paragraph.lower():
                problems.append(f"{m.file}: {' '.join(paragraph.split())[:160]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "slug, phrases, why",
    [
        (
            "tracking-kpis-and-dashboards",
            ["ad_user_data", "ad_personalization"],
            "Consent Mode v2 signals Google has required for EEA traffic since March 2024",
        ),
        (
            "warehousing-inventory-and-shipping",
            ["BDO", "stiftung ear", "batteries", "WEEE"],
            "LUCID is Germany only; Poland needs BDO, and batteries and electrical goods have their own registers",
        ),
        (
            "payment-methods-and-providers",
            ["Wero", "Klarna", "2024/886"],
            "giropay ended in 2024; Wero, Klarna and the Instant Payments Regulation shape German payments",
        ),
        (
            "gdpr-consent-and-cookies",
            ["§ 26 TDDDG", "EinwV"],
            "German consent management services and their 2025 ordinance",
        ),
    ],
)
def test_corrected_modules_cover_what_the_review_found_missing(curriculum, slug, phrases, why):
    module = next(m for m in curriculum.modules if m.slug == slug)
    text = module_text(module)
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{module.file} lacks {missing}: {why}"
