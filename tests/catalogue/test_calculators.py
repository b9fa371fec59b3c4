"""The commerce calculators against hand-computed values, with their edge cases, and as a form on a module."""

from decimal import Decimal

import pytest

from learning.catalogue import bodytext, calculators
from learning.catalogue.calculators import calculate, parse_number


def values(outcome):
    return {step.name: (step.value.value if step.value else step.note) for step in outcome.steps}


def test_contribution_margin_per_order():
    # 60 - 24 - 5.90 - 60 x 2.5 % (1.50) - 4 = 24.60; 24.60 / 60 = 41.0 %
    outcome = calculate(
        "margin",
        {"order_value": "60", "product_cost": "24", "shipping_cost": "5,90", "payment_fee": "2.5", "other_costs": "4"},
    )
    assert values(outcome) == {
        "payment_fee_amount": Decimal("1.50"),
        "contribution_margin": Decimal("24.60"),
        "margin_share": Decimal("41.0"),
    }
    assert outcome.verdict == "profit"


def test_a_negative_margin_and_a_zero_order_value():
    outcome = calculate(
        "margin",
        {"order_value": "20", "product_cost": "18", "shipping_cost": "4.5", "payment_fee": "0", "other_costs": "0"},
    )
    assert values(outcome)["contribution_margin"] == Decimal("-2.50") and outcome.verdict == "loss"
    assert values(outcome)["margin_share"] == Decimal("-12.5")
    zero = calculate(
        "margin",
        {"order_value": "0", "product_cost": "0", "shipping_cost": "0", "payment_fee": "0", "other_costs": "0"},
    )
    assert values(zero)["margin_share"] == calculators.ZERO_ORDER_VALUE and zero.verdict == "break_even"


def test_break_even_roas():
    # margin before ads 60 - 36 = 24; break-even 60 / 24 = 2.5; at ROAS 3: 3 x 24 / 60 - 1 = 0.20 per unit spent
    outcome = calculate("roas", {"order_value": "60", "variable_costs": "36", "actual_roas": "3"})
    assert values(outcome) == {
        "margin_before_ads": Decimal("24.00"),
        "break_even_roas": Decimal("2.50"),
        "profit_per_ad_unit": Decimal("0.20"),
    }
    assert outcome.verdict == "profit"
    below = calculate("roas", {"order_value": "60", "variable_costs": "36", "actual_roas": "2"})
    assert values(below)["profit_per_ad_unit"] == Decimal("-0.20") and below.verdict == "loss"
    # Costs above the price: no ROAS breaks even.
    none = calculate("roas", {"order_value": "30", "variable_costs": "32", "actual_roas": "8"})
    assert values(none)["break_even_roas"] == calculators.NO_MARGIN and none.verdict == "no_break_even"


def test_customer_lifetime_value_against_acquisition_cost():
    # 50 x 30 % = 15 a order; x 3 a year x 2 years = 90; 90 / 30 = 3.0: healthy
    raw = {"order_value": "50", "margin_percent": "30", "orders_per_year": "3", "years": "2", "cac": "30"}
    outcome = calculate("clv", raw)
    assert values(outcome) == {
        "margin_per_order": Decimal("15.00"),
        "lifetime_value": Decimal("90.00"),
        "clv_to_cac": Decimal("3.00"),
    }
    assert outcome.verdict == "healthy"
    assert calculate("clv", {**raw, "cac": "45"}).verdict == "thin"  # 2.0
    assert calculate("clv", {**raw, "cac": "100"}).verdict == "loss"  # 0.9
    assert values(calculate("clv", {**raw, "cac": "0"}))["clv_to_cac"] == calculators.ZERO_CAC


def test_funnel_conversion_step_by_step():
    raw = {"visitors": "10000", "product_views": "4000", "carts": "800", "checkouts": "400", "orders": "250"}
    outcome = calculate("funnel", raw)
    assert values(outcome) == {
        "rate_product_views": Decimal("40.0"),
        "rate_carts": Decimal("20.0"),
        "rate_checkouts": Decimal("50.0"),
        "rate_orders": Decimal("62.5"),
        "overall_conversion": Decimal("2.5"),
    }
    assert outcome.verdict == "weakest_rate_carts"
    empty = calculate("funnel", dict.fromkeys(raw, "0"))
    assert values(empty)["overall_conversion"] == calculators.NOBODY_REACHED and empty.verdict == "no_visitors"
    assert calculate("funnel", {**raw, "orders": "500"}).problems == {"orders": calculators.MORE_THAN_BEFORE}


def test_cost_of_a_return():
    # 20 x 15 % = 3 written off; 4.90 + 5.50 + 3 + 3 = 16.40 a return; x 30 % returned = 4.92 an order
    raw = {
        "outbound_shipping": "4.90",
        "return_shipping": "5.50",
        "handling": "3",
        "product_cost": "20",
        "write_off": "15",
        "return_rate": "30",
    }
    assert values(calculate("return", raw)) == {
        "written_off": Decimal("3.00"),
        "cost_per_return": Decimal("16.40"),
        "cost_per_order": Decimal("4.92"),
    }


def test_missing_wrong_and_negative_inputs_are_named_and_nothing_is_computed():
    outcome = calculate("roas", {"order_value": "", "variable_costs": "abc", "actual_roas": "-1"})
    assert outcome.problems == {
        "order_value": calculators.MISSING,
        "variable_costs": calculators.NOT_A_NUMBER,
        "actual_roas": calculators.NEGATIVE,
    }
    assert outcome.steps == []
    assert calculate("return", {"write_off": "120"}).problems["write_off"] == calculators.OVER_100
    assert calculate("nonsense", {}).problems == {"": calculators.UNKNOWN_KIND}


@pytest.mark.parametrize(
    "text, number",
    [("49.90", "49.90"), ("49,90", "49.90"), ("1 200", "1200"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50")],
)
def test_numbers_as_typed_in_every_language(text, number):
    assert parse_number(text) == Decimal(number)


def test_the_body_syntax_reads_and_writes_a_calculator():
    body = ":::calculator margin The sample order\norder_value: 60\nproduct_cost: 24\n:::\n"
    blocks = bodytext.parse(body, seed="m")
    assert blocks[0]["type"] == "calculator"
    assert blocks[0]["value"]["kind"] == "margin" and [item["value"] for item in blocks[0]["value"]["inputs"]] == [
        {"name": "order_value", "value": "60"},
        {"name": "product_cost", "value": "24"},
    ]
    with pytest.raises(bodytext.BodyError, match="calculator kind"):
        bodytext.parse(":::calculator profit\n:::\n", seed="m")
    with pytest.raises(bodytext.BodyError, match="needs a number"):
        bodytext.parse(":::calculator margin\norder_value: sixty\n:::\n", seed="m")
    with pytest.raises(bodytext.BodyError, match="name: value"):
        bodytext.parse(":::calculator margin\ncolour: 3\n:::\n", seed="m")


def calculator_module(academy):
    module = academy["returns"]
    body = ":::calculator return What one return costs\noutbound_shipping: 4.90\nreturn_shipping: 5.50\nhandling: 3\n"
    body += "product_cost: 20\nwrite_off: 15\nreturn_rate: 30\n:::\n"
    module.body = bodytext.parse(body, seed="returns")
    module.save_revision().publish()
    return type(module).objects.get(pk=module.pk), module.body.raw_data[0]["id"]


@pytest.mark.django_db
def test_the_calculator_starts_with_the_worked_example_and_computes_a_submission(client, academy, make_user):
    module, block_id = calculator_module(academy)
    html = client.get(module.url).content.decode()
    assert "What one return costs" in html and "16.40" in html and "4.92" in html
    assert "outbound shipping + return shipping" in html  # the formula
    # A learner's figures (German decimal comma), computed on the server, for anonymous and signed-in readers.
    query = {"calc": block_id, "outbound_shipping": "4,90", "return_shipping": "5.50", "handling": "3"}
    query |= {"product_cost": "20", "write_off": "15", "return_rate": "50"}
    lena = make_user("lena")
    for reader in (None, lena):
        if reader:
            client.force_login(reader)
        submitted = client.get(module.url, query).content.decode()
        assert "8.20" in submitted and "4.92" not in submitted and "With your figures" in submitted
    # The worked example again without the query; a missing figure is named at its field.
    assert "4.92" in client.get(module.url).content.decode()
    broken = client.get(module.url, {**query, "handling": ""}).content.decode()
    assert 'aria-invalid="true"' in broken and "Enter a number here." in broken and "8.20" not in broken


# The curriculum's calculators start with their module's worked example: the figures the example's text arrives at.
CURRICULUM_CALCULATORS = [
    ("logistics/returns-management", {"en": "10.45", "de": "10.45", "pl": "38.60"}),
    ("analytics/tracking-kpis-and-dashboards", {"en": "135.00", "de": "135.00", "pl": "540.00"}),
    ("marketing/online-marketing-channels", {"en": "2.86", "de": "2.86", "pl": "2.86"}),
]


@pytest.mark.parametrize("module, figures", CURRICULUM_CALCULATORS)
def test_curriculum_modules_carry_a_calculator_in_every_language(module, figures):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "content"
    for language, figure in figures.items():
        file = root / "modules" if language == "en" else root / "locales" / language / "modules"
        text = (file / f"{module}.md").read_text()
        body = text.split("\n---\n", 1)[1]
        [block] = [block for block in bodytext.parse(body, seed=module) if block["type"] == "calculator"]
        inputs = {item["value"]["name"]: item["value"]["value"] for item in block["value"]["inputs"]}
        outcome = calculate(block["value"]["kind"], inputs)
        assert not outcome.problems, (language, outcome.problems)
        assert figure in {str(step.value.value) for step in outcome.steps if step.value}, (language, module)
