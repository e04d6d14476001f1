"""``python -m derive`` is the ``eqnn`` command line."""

import sys

from derive.cli import main

sys.exit(main())
