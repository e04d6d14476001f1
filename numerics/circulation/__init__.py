r"""Does learning quantize circulation?  The experiment of issue 8, measured.

The reconstructed steps multivalued.postulate and quantization.single-valued predict that the circulation of
the learned phase around loops in trainable space comes in multiples of the chemical potential μ (∮∇S·dq = nμ,
ħ = μ/2π). On an ensemble of SGD-trained grand-canonical networks (:mod:`numerics.exchange_network`) the only
observable with that meaning is the circulation of the current velocity,

    Γ(R) = (1/η) ∮_{|q|=R} v·dl      (free-energy units, the units of μ),

estimated by :mod:`numerics.circulation_estimator`.  The experiment is split into

* :mod:`~numerics.circulation.results`: sizes, constants and result types (measurements, calibration,
  controls, verdict, the whole result and its JSON);
* :mod:`~numerics.circulation.design`: the arms as values (:data:`DESIGN`: mini-batch B = 1, 4 ×
  exchange kex = 1, 10 and N frozen at R = 0.03, 0.05, 0.08; a μ-sweep at R = 0.05; isotropic-noise arms;
  the φ = 0 and mirror controls), the calibration on the exact linear-Gaussian chain against the
  Brownian-gyrator formula, and the run on the executor (:mod:`derive.executor`);
* :mod:`~numerics.circulation.verdict`: quantization against a classical current against neither,
  decided by stated criteria (:func:`decide_verdict`);
* :mod:`~numerics.circulation.report`: the tables, the plot and ``eqnn experiment circulation``.

Statistical semantics: a check passes when |z| < 4.5; the power of each check is shown
by a planted error (calibration) or by the φ = 35° value being significant (mirror control).  Every
arm draws from its own keyed stream of the seed (:mod:`derive.seeds`; default 20201209; the recorded
full run used 20120505 and says so in its JSON).

The radii of the isotropic T_q = T arms are not fixed by the experiment's design (issue 8); this module
uses R = 0.3, 0.6 (the spread is half that at T_q = 4T, whose loops are R = 0.6, 0.9; R = 0.9 lies outside
the T_q = T support).  Loops outside the sampled support (an angular bin with < 50 samples, e.g. B = 4 at
R = 0.08, which lies ≈ 4.7σ out along the minor axis) are reported with ``gamma = null`` and a note instead
of a number.

>>> cal = calibrate(radii=(0.05,), n_walkers=2000, n_steps=500, burn_in=100, seed=1)
>>> round(cal[0].formula, 5), abs(cal[0].z) < THRESHOLD
(-0.12077, True)
"""

from numerics.circulation.design import DEFAULT_SEED, DESIGN, Arm, calibrate, controls, measure_network, run_experiment
from numerics.circulation.report import COMMAND, format_table, plot_result
from numerics.circulation.results import (ARMS, ESTIMATORS, FULL, MU_DEFAULT, OUTCOMES, QUICK, THRESHOLD, Calibration,
                                          Control, ExperimentResult, Measurement, Sizes, Verdict)
from numerics.circulation.verdict import decide_verdict, verdict_from_json

__all__ = ["DEFAULT_SEED", "MU_DEFAULT", "THRESHOLD", "ARMS", "ESTIMATORS", "OUTCOMES", "Sizes", "QUICK", "FULL",
           "Measurement", "Calibration", "Control", "Verdict", "ExperimentResult", "Arm", "DESIGN", "calibrate",
           "measure_network", "controls", "run_experiment", "decide_verdict", "verdict_from_json", "format_table",
           "plot_result", "COMMAND"]
