"""A document of your own steps alone: their sections, their bibliography (``papers.user_document``).

    python examples/my_document.py > mine.tex
"""

import derive
import papers
from hydrogen import MADELUNG_3, hydrogen, E_nl, Z

if __name__ == "__main__":
    verdicts = [derive.check(hydrogen(n, l, E_nl(n, Z)), MADELUNG_3) for n, l in [(1, 0), (2, 1)]]
    print(papers.user_document(verdicts, title="Hydrogen states in the Madelung picture", author="A. User",
                               sections={"hydrogen": "Hydrogen in K = 3"},
                               bibliography={"user": "A. User, notes on hydrogen (2024)."}))
