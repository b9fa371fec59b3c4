"""The commerce calculator as a body block: the editor's fields, the words for learning.catalogue.calculators'
codes, and the form's state for the page.

A calculator is a plain GET form computed on the server (no script). It starts with the module's worked
example; a learner's submission names its block (`calc=<block id>`) so only that calculator reads the
query string, and the body is then rendered afresh rather than from the page's cached fragment
(module_page.html, includes/module.html). No query: everything comes from the block's value.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

from learning.catalogue import calculators

KIND_LABELS = {
    "margin": _("Contribution margin per order"),
    "roas": _("Break-even ROAS"),
    "clv": _("Customer lifetime value against acquisition cost"),
    "funnel": _("Funnel conversion step by step"),
    "return": _("Cost of a return"),
}
FORMULAS = {
    "margin": _(
        "Contribution margin = order value − product cost − shipping − payment fee (order value × fee %) − other costs"
    ),
    "roas": _("Break-even ROAS = order value ÷ (order value − variable costs per order)"),
    "clv": _("Lifetime value = order value × margin % × orders a year × years; compared with the acquisition cost"),
    "funnel": _("Each step's conversion = people at this step ÷ people at the step before"),
    "return": _("Cost of a return = outbound shipping + return shipping + handling + product cost × share written off"),
}
FIELD_LABELS = {
    "order_value": _("Order value (net)"),
    "product_cost": _("Product cost"),
    "shipping_cost": _("Shipping cost"),
    "payment_fee": _("Payment fee (%)"),
    "other_costs": _("Other costs per order (packaging, marketing)"),
    "variable_costs": _("Variable costs per order (product, shipping, fees)"),
    "actual_roas": _("Your current ROAS"),
    "margin_percent": _("Contribution margin (%)"),
    "orders_per_year": _("Orders per customer a year"),
    "years": _("Years a customer stays"),
    "cac": _("Customer acquisition cost"),
    "visitors": _("Visitors"),
    "product_views": _("Product page views"),
    "carts": _("Added to cart"),
    "checkouts": _("Started checkout"),
    "orders": _("Orders"),
    "outbound_shipping": _("Outbound shipping"),
    "return_shipping": _("Return shipping"),
    "handling": _("Handling and inspection"),
    "write_off": _("Share of product value written off (%)"),
    "return_rate": _("Return rate (%)"),
}
STEP_LABELS = {
    "payment_fee_amount": _("Payment fee"),
    "contribution_margin": _("Contribution margin per order"),
    "margin_share": _("Contribution margin as a share of the order value"),
    "margin_before_ads": _("Margin per order before advertising"),
    "break_even_roas": _("Break-even ROAS"),
    "profit_per_ad_unit": _("Profit per unit of ad spend at your ROAS"),
    "margin_per_order": _("Margin per order"),
    "lifetime_value": _("Customer lifetime value (margin)"),
    "clv_to_cac": _("Lifetime value ÷ acquisition cost"),
    "rate_product_views": _("Visitors → product page"),
    "rate_carts": _("Product page → cart"),
    "rate_checkouts": _("Cart → checkout"),
    "rate_orders": _("Checkout → order"),
    "overall_conversion": _("Overall conversion rate"),
    "written_off": _("Product value written off"),
    "cost_per_return": _("Cost of one return"),
    "cost_per_order": _("Return cost per order sold"),
}
NOTE_LABELS = {
    calculators.ZERO_ORDER_VALUE: _("Not computable: an order value of zero has no share."),
    calculators.NO_MARGIN: _("No ROAS breaks even: every order loses money before any advertising."),
    calculators.ZERO_CAC: _("Not computable: with no acquisition cost there is nothing to compare with."),
    calculators.NOBODY_REACHED: _("Not computable: nobody reached the step before."),
}
VERDICT_LABELS = {
    "profit": _("Each order earns money."),
    "break_even": _("Each order breaks even: nothing is left over."),
    "loss": _("Each order loses money: the margin is negative."),
    "no_break_even": _("Fix the margin before spending on ads: no ROAS can pay for them."),
    "healthy": _("Healthy: a customer brings at least three times what winning them cost."),
    "thin": _("Thin: a customer pays back their acquisition cost, but less than three times."),
    "no_visitors": _("No visitors yet: there is nothing to convert."),
    "weakest_rate_product_views": _("The weakest step: from visit to product page."),
    "weakest_rate_carts": _("The weakest step: from product page to cart."),
    "weakest_rate_checkouts": _("The weakest step: from cart to checkout."),
    "weakest_rate_orders": _("The weakest step: from checkout to order."),
    "cost": _("Every return costs this much; spread over every order sold it is the last figure."),
}
PROBLEM_LABELS = {
    calculators.MISSING: _("Enter a number here."),
    calculators.NOT_A_NUMBER: _("Enter a number, e.g. 49.90."),
    calculators.NEGATIVE: _("Enter zero or more."),
    calculators.OVER_100: _("Enter a percentage between 0 and 100."),
    calculators.MORE_THAN_BEFORE: _("This step cannot have more people than the one before."),
    calculators.UNKNOWN_KIND: _("This calculator does not use this input."),
}


def shown(token):
    """A Number or an operator as the page shows it, in the reader's language ("1.234,50", "41,0 %")."""
    if not isinstance(token, calculators.Number):
        return token
    if token.unit == calculators.PERCENT:
        return f"{number_format(token.value)} %"
    if token.unit == calculators.RATIO and token.value == token.value.to_integral():
        return number_format(token.value.to_integral())
    return number_format(token.value, force_grouping=True)


class CalculatorInputBlock(blocks.StructBlock):
    name = blocks.ChoiceBlock(choices=[(name, FIELD_LABELS[name]) for name in calculators.ALL_FIELDS])
    value = blocks.CharBlock(max_length=32, help_text=_("The worked example's figure, e.g. 49.90."))


class CalculatorBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[(kind, KIND_LABELS[kind]) for kind in calculators.KINDS], default="margin")
    title = blocks.CharBlock(required=False, help_text=_("e.g. 'The sample order from this module'."))
    inputs = blocks.ListBlock(CalculatorInputBlock(), label=_("Worked example"))

    class Meta:
        icon = "table"
        label = _("Calculator")
        template = "learning/blocks/calculator.html"

    def clean(self, value):
        value = super().clean(value)
        example = {item["name"]: item["value"] for item in value["inputs"]}
        problems = calculators.example_problems(value["kind"], example)
        if problems:
            messages = [f"{FIELD_LABELS.get(name, name)}: {PROBLEM_LABELS[code]}" for name, code in problems]
            raise StructBlockValidationError(block_errors={"inputs": ValidationError(messages)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        block_id = (parent_context or {}).get("block_id") or value["kind"]
        context.update(calculator_state(value, block_id, request.GET if request else {}))
        return context


def calculator_state(value, block_id, query):
    """The form's fields, the working and the verdict: from the query string where it names this
    calculator (`calc`), else from the worked example."""
    kind = value["kind"]
    submitted = query.get("calc") == str(block_id)
    example = {item["name"]: item["value"] for item in value["inputs"]}
    raw = {name: query.get(name, "") for name, _unit in calculators.FIELDS.get(kind, ())} if submitted else example
    outcome = calculators.calculate(kind, raw)
    fields = [
        {
            "name": name,
            "label": FIELD_LABELS[name],
            "value": raw.get(name, ""),
            "percent": unit == calculators.PERCENT,
            "problem": PROBLEM_LABELS[outcome.problems[name]] if name in outcome.problems else "",
        }
        for name, unit in calculators.FIELDS.get(kind, ())
    ]
    steps = [
        {
            "label": STEP_LABELS[step.name],
            "expression": " ".join(shown(token) for token in step.expression),
            "value": shown(step.value) if step.value else "",
            "note": NOTE_LABELS.get(step.note, ""),
        }
        for step in ([] if outcome.problems else outcome.steps)
    ]
    return {
        "calculator_id": f"calculator-{block_id}",
        "block_id": block_id,
        "kind_label": KIND_LABELS.get(kind, kind),
        "formula": FORMULAS.get(kind, ""),
        "fields": fields,
        "steps": steps,
        "verdict": VERDICT_LABELS.get(outcome.verdict, "") if not outcome.problems else "",
        "has_problems": bool(outcome.problems),
        "submitted": submitted,
        "path_slug": query.get("path", ""),
    }
