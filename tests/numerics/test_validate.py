"""Tests of numerics.validate: every error is one line naming the value and what is allowed."""

import numpy as np
import pytest

from derive.errors import InputError
from numerics.validate import check_choice, check_generator, check_int, check_positive, check_real, check_text


@pytest.mark.parametrize("call,name", [
    (lambda: check_real("mu", "x"), "mu"),
    (lambda: check_real("mu", float("nan")), "mu"),
    (lambda: check_positive("beta", 0.0), "beta"),
    (lambda: check_positive("beta", None), "beta"),
    (lambda: check_int("n", 0, 1), "n"),
    (lambda: check_int("n", 5, 1, 4), "n"),
    (lambda: check_int("n", True, 0), "n"),
    (lambda: check_choice("arm", "sgd", ("minibatch", "isotropic")), "arm"),
    (lambda: check_text("identity", " "), "identity"),
    (lambda: check_generator(-1), "seed"),
])
def test_errors_are_one_line_naming_the_value(call, name):
    with pytest.raises(InputError) as info:
        call()
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(name)


def test_values_pass_through():
    assert check_int("n", np.int64(3), 1) == 3 and type(check_int("n", np.int64(3), 1)) is int
    assert check_positive("x", 2) == 2.0 and check_real("x", -1) == -1.0
    g = np.random.default_rng(0)
    assert check_generator(g) is g
    assert check_generator(np.random.SeedSequence(4)).normal() == np.random.default_rng(4).normal()
