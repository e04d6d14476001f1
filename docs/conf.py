"""Sphinx configuration: the API reference, built offline with warnings as errors (tests/test_docs.py)."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "emergent-quantumness"
author = "emergent-quantumness developers"
release = "0.1.0"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]
# MathJax is loaded by the reader's browser; building needs no network
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_default_options = {"members": False}
suppress_warnings = ["ref.python"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
