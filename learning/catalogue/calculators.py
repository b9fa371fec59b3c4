"""The shop's everyday numbers, computed step by step: pure Python, no Django, no database.

Each calculator names its inputs (FIELDS) and turns the texts a learner typed into an Outcome: the
problems with the inputs (codes, worded by catalogue/calculator_block.py), or the steps of the
computation, each with its expression as tokens (numbers and operators) so the page can show the
working, and a verdict code on the final figure. Money has no currency: the shop's own.

Used by the calculator block (catalogue/calculator_block.py), the Markdown body syntax
(catalogue/bodytext.py checks a worked example's inputs with parse_number) and the tests.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONEY, PERCENT, COUNT, RATIO = "money", "percent", "count", "ratio"

# Problems with an input, and notes on a figure that cannot be computed.
MISSING, NOT_A_NUMBER, NEGATIVE, OVER_100, MORE_THAN_BEFORE, UNKNOWN_KIND = (
    "missing",
    "not_a_number",
    "negative",
    "over_100",
    "more_than_before",
    "unknown_kind",
)
ZERO_ORDER_VALUE, NO_MARGIN, ZERO_CAC, NOBODY_REACHED = "zero_order_value", "no_margin", "zero_cac", "nobody_reached"

FIELDS = {
    "margin": (
        ("order_value", MONEY),
        ("product_cost", MONEY),
        ("shipping_cost", MONEY),
        ("payment_fee", PERCENT),
        ("other_costs", MONEY),
    ),
    "roas": (("order_value", MONEY), ("variable_costs", MONEY), ("actual_roas", RATIO)),
    "clv": (
        ("order_value", MONEY),
        ("margin_percent", PERCENT),
        ("orders_per_year", RATIO),
        ("years", RATIO),
        ("cac", MONEY),
    ),
    "funnel": (
        ("visitors", COUNT),
        ("product_views", COUNT),
        ("carts", COUNT),
        ("checkouts", COUNT),
        ("orders", COUNT),
    ),
    "return": (
        ("outbound_shipping", MONEY),
        ("return_shipping", MONEY),
        ("handling", MONEY),
        ("product_cost", MONEY),
        ("write_off", PERCENT),
        ("return_rate", PERCENT),
    ),
}
KINDS = tuple(FIELDS)
ALL_FIELDS = tuple(dict.fromkeys(name for fields in FIELDS.values() for name, _unit in fields))
HUNDRED = Decimal(100)
# A healthy customer brings at least three times what winning them cost: the common rule of thumb.
HEALTHY_CLV_RATIO = Decimal(3)


@dataclass(frozen=True)
class Number:
    value: Decimal
    unit: str


@dataclass
class Step:
    """One line of the working: `name` = expression = value. value None: not computable (see note)."""

    name: str
    expression: list = field(default_factory=list)  # Number and operator strings
    value: Number | None = None
    note: str = ""


@dataclass
class Outcome:
    kind: str
    problems: dict = field(default_factory=dict)  # {field name: problem code}
    steps: list = field(default_factory=list)
    verdict: str = ""

    @property
    def result(self):
        return self.steps[-1] if self.steps else None


NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(text):
    """A number as a learner types it, in any of the site's languages: '49.90', '49,90', '1 200', '1.200,50'.
    Returns a Decimal, or raises ValueError."""
    cleaned = re.sub(r"[\s\u00a0\u202f'_]", "", str(text or ""))
    if "," in cleaned and "." in cleaned:  # the last one is the decimal separator
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_mark == "," else ",", "")
    if not NUMBER.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from error


def _parsed(kind, raw):
    values, problems = {}, {}
    for name, unit in FIELDS[kind]:
        text = str(raw.get(name) or "").strip()
        if not text:
            problems[name] = MISSING
            continue
        try:
            number = parse_number(text)
        except ValueError:
            problems[name] = NOT_A_NUMBER
            continue
        if number < 0:
            problems[name] = NEGATIVE
        elif unit == PERCENT and number > HUNDRED:
            problems[name] = OVER_100
        else:
            values[name] = number
    return values, problems


def calculate(kind, raw):
    """{field name: text} -> Outcome. Problems with any input stop the computation."""
    if kind not in FIELDS:
        return Outcome(kind, problems={"": UNKNOWN_KIND})
    values, problems = _parsed(kind, raw)
    outcome = Outcome(kind, problems=problems)
    if not problems:
        COMPUTE[kind](outcome, values)
    return outcome


def rounded(value, places=2):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value):
    return Number(rounded(value), MONEY)


def percent(value):
    return Number(rounded(value, 1), PERCENT)


def ratio(value):
    return Number(rounded(value), RATIO)


def _input(values, name):
    unit = dict(FIELDS_BY_NAME)[name]
    return Number(values[name], unit)


def _margin(outcome, v):
    fee = v["order_value"] * v["payment_fee"] / HUNDRED
    outcome.steps.append(
        Step("payment_fee_amount", [_input(v, "order_value"), "×", _input(v, "payment_fee"), "="], money(fee))
    )
    margin = v["order_value"] - v["product_cost"] - v["shipping_cost"] - fee - v["other_costs"]
    terms = [money(v["order_value"]), "−", money(v["product_cost"]), "−", money(v["shipping_cost"])]
    terms += ["−", money(fee), "−", money(v["other_costs"]), "="]
    outcome.steps.append(Step("contribution_margin", terms, money(margin)))
    if v["order_value"] == 0:
        outcome.steps.append(Step("margin_share", note=ZERO_ORDER_VALUE))
    else:
        share = margin / v["order_value"] * HUNDRED
        outcome.steps.append(Step("margin_share", [money(margin), "÷", money(v["order_value"]), "="], percent(share)))
    outcome.verdict = "loss" if margin < 0 else ("break_even" if margin == 0 else "profit")


def _roas(outcome, v):
    margin = v["order_value"] - v["variable_costs"]
    outcome.steps.append(
        Step("margin_before_ads", [money(v["order_value"]), "−", money(v["variable_costs"]), "="], money(margin))
    )
    if margin <= 0:
        outcome.steps.append(Step("break_even_roas", note=NO_MARGIN))
        outcome.verdict = "no_break_even"
        return
    break_even = v["order_value"] / margin
    outcome.steps.append(Step("break_even_roas", [money(v["order_value"]), "÷", money(margin), "="], ratio(break_even)))
    profit = v["actual_roas"] * margin / v["order_value"] - 1
    terms = [ratio(v["actual_roas"]), "×", money(margin), "÷", money(v["order_value"]), "−", "1", "="]
    outcome.steps.append(Step("profit_per_ad_unit", terms, money(profit)))
    outcome.verdict = "profit" if profit > 0 else ("break_even" if profit == 0 else "loss")


def _clv(outcome, v):
    per_order = v["order_value"] * v["margin_percent"] / HUNDRED
    outcome.steps.append(
        Step("margin_per_order", [money(v["order_value"]), "×", _input(v, "margin_percent"), "="], money(per_order))
    )
    clv = per_order * v["orders_per_year"] * v["years"]
    terms = [money(per_order), "×", ratio(v["orders_per_year"]), "×", ratio(v["years"]), "="]
    outcome.steps.append(Step("lifetime_value", terms, money(clv)))
    if v["cac"] == 0:
        outcome.steps.append(Step("clv_to_cac", note=ZERO_CAC))
        outcome.verdict = "healthy" if clv > 0 else "loss"
        return
    share = clv / v["cac"]
    outcome.steps.append(Step("clv_to_cac", [money(clv), "÷", money(v["cac"]), "="], ratio(share)))
    outcome.verdict = "healthy" if share >= HEALTHY_CLV_RATIO else ("thin" if share >= 1 else "loss")


def _funnel(outcome, v):
    names = [name for name, _unit in FIELDS["funnel"]]
    for before, after in zip(names, names[1:]):
        if v[after] > v[before]:
            outcome.problems[after] = MORE_THAN_BEFORE
    if outcome.problems:
        return
    for before, after in zip(names, names[1:]):
        if v[before] == 0:
            outcome.steps.append(Step(f"rate_{after}", note=NOBODY_REACHED))
            continue
        rate = v[after] / v[before] * HUNDRED
        outcome.steps.append(Step(f"rate_{after}", [_input(v, after), "÷", _input(v, before), "="], percent(rate)))
    if v["visitors"] == 0:
        outcome.steps.append(Step("overall_conversion", note=NOBODY_REACHED))
        outcome.verdict = "no_visitors"
        return
    overall = v["orders"] / v["visitors"] * HUNDRED
    steps_with_rates = [step for step in outcome.steps if step.value is not None]
    weakest = min(steps_with_rates, key=lambda step: step.value.value)
    outcome.verdict = f"weakest_{weakest.name}"
    outcome.steps.append(
        Step("overall_conversion", [_input(v, "orders"), "÷", _input(v, "visitors"), "="], percent(overall))
    )


def _return(outcome, v):
    lost = v["product_cost"] * v["write_off"] / HUNDRED
    outcome.steps.append(Step("written_off", [money(v["product_cost"]), "×", _input(v, "write_off"), "="], money(lost)))
    cost = v["outbound_shipping"] + v["return_shipping"] + v["handling"] + lost
    terms = [money(v["outbound_shipping"]), "+", money(v["return_shipping"]), "+", money(v["handling"])]
    outcome.steps.append(Step("cost_per_return", [*terms, "+", money(lost), "="], money(cost)))
    per_order = cost * v["return_rate"] / HUNDRED
    outcome.steps.append(Step("cost_per_order", [money(cost), "×", _input(v, "return_rate"), "="], money(per_order)))
    outcome.verdict = "cost"


COMPUTE = {"margin": _margin, "roas": _roas, "clv": _clv, "funnel": _funnel, "return": _return}
FIELDS_BY_NAME = tuple((name, unit) for fields in FIELDS.values() for name, unit in fields)


def example_problems(kind, inputs):
    """What is wrong with a worked example's inputs ({name: text}) for `kind`: [(name, code)], where an
    unknown name's code is UNKNOWN_KIND. A worked example may leave inputs out (the learner fills them)."""
    if kind not in FIELDS:
        return [("", UNKNOWN_KIND)]
    known = dict(FIELDS[kind])
    problems = [(name, UNKNOWN_KIND) for name in inputs if name not in known]
    for name, text in inputs.items():
        if name in known:
            try:
                parse_number(text)
            except ValueError:
                problems.append((name, NOT_A_NUMBER))
    return problems
