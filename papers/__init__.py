r"""The document of the verified chain (LaTeX, PDF) and the source papers as data: the public API.

Loaded on first use:

(``papers.document`` and ``papers.export`` are the modules of those names.)

* :func:`latex_document`: the LaTeX document of verdicts (``steps=`` to choose the steps);
* :func:`export_document`: write the document (and the PDF where TeX is installed) into a folder;
* :mod:`papers.bibliography`: the source papers;
* :func:`user_document`: a document of your own steps alone (see its docstring for what it omits).

>>> import papers
>>> "user_document" in papers.__all__
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS: dict[str, tuple[str, str]] = {
    "latex_document": ("papers.document", "document"),
    "export_document": ("papers.export", "export"),
    "compile_pdf": ("papers.export", "compile_pdf"),
    "TexError": ("papers.export", "TexError"),
    "user_document": ("papers.user", "user_document"),
    "escape": ("papers.tex", "escape"),
    "math_tex": ("papers.tex", "math_tex"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'papers' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # explicit re-exports for type checkers and IDEs
    from papers.document import document as latex_document
    from papers.export import TexError, compile_pdf
    from papers.export import export as export_document
    from papers.tex import escape, math_tex
    from papers.user import user_document
