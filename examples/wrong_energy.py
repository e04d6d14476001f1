"""A wrong energy fails, with its counterexample: ψ₂ with E = 2ħω instead of (2 + 1)ħω.

    python examples/wrong_energy.py
"""

import derive
from harmonic_oscillator import oscillator  # examples/harmonic_oscillator.py, beside this file

if __name__ == "__main__":
    table = derive.extend([oscillator(2, 3), oscillator(1, 1)]).verify()
    right, wrong = table["oscillator.state-2"], table["oscillator.state-1"]
    print(table)
    print("counterexample:", dict(wrong.numeric.counterexample))
    assert right.status is derive.Status.VERIFIED, right.reason
    assert wrong.status is derive.Status.FAILED and wrong.numeric.counterexample, wrong.reason
