"""A step whose displayed statement disagrees with what its author checked is reported failed.

The author typed d/dq (q³ e^q) = 3q² e^q on the display but "checked" the right derivative
(3q² + q³) e^q in the derivation.  The verifier reads the claim from the display, both sides, so
the derivation cannot check something else: the step fails with a counterexample.

    python examples/display_disagrees.py
"""

import sympy as sp

import derive

q = sp.Symbol("q", real=True)
f = sp.Function("f", real=True)
source = derive.Source("user", "", "(1)", "reconstructed")


def product_rule(displayed_rhs) -> derive.Step:
    # the derivation realises f(q) = q^3 e^q; what is compared is the *display*, realised
    return derive.Step(label="mine.product-rule", title="d/dq (q^3 e^q)", kind=derive.Kind.IDENTITY,
                       statement=(sp.Eq(sp.Derivative(f(q), q), displayed_rhs, evaluate=False),),
                       source=source, derive=lambda ctx: [derive.Show(0, {f(q): q**3 * sp.exp(q)})])


if __name__ == "__main__":
    checked = sp.diff(q**3 * sp.exp(q), q)  # what the author computed: (3q² + q³) e^q
    right = derive.check(product_rule(checked))
    wrong = derive.check(product_rule(3 * q**2 * sp.exp(q)))  # what the author displayed
    print(right.status.value, "|", wrong.status.value, wrong.reason)
    print("counterexample:", dict(wrong.numeric.counterexample))
    assert right.status is derive.Status.VERIFIED
    assert wrong.status is derive.Status.FAILED and wrong.numeric.counterexample
