"""The documentation lists every public name and every page.

Plain text checks of the Sphinx sources in ``docs/`` (no Sphinx needed), so a
public name added to ``__all__`` without an entry in the API reference, or a
page left out of the table of contents, fails here rather than in the docs
build.
"""

import re
from pathlib import Path

import pytest

import sklearn_rnn
from sklearn_rnn import aeon, datasets, exceptions, sktime

DOCS = Path(__file__).resolve().parents[1] / "docs"
API_PAGE = DOCS / "api.rst"
ROOT_PAGE = DOCS / "contents.md"


def _autosummary_entries(text):
    """The fully qualified names the autosummary tables of ``text`` list."""
    entries = []
    module = None
    in_table = False
    for line in text.splitlines():
        directive = re.match(r"\.\. (?:current)?module:: *(\S+)", line)
        if directive:
            module, in_table = directive.group(1), False
        elif line.startswith(".. autosummary::"):
            in_table = True
        elif in_table and line.strip() and not line[0].isspace():
            in_table = False
        elif in_table and line.strip() and not line.strip().startswith(":"):
            name = line.strip().lstrip("~")
            entries.append(
                name if name.startswith("sklearn_rnn.") else f"{module}.{name}"
            )
    return entries


def _toctree_entries(text):
    """The documents the toctrees of the MyST page ``text`` list."""
    entries = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                entries.append(line)
    return entries


@pytest.fixture(scope="module")
def api_entries():
    return _autosummary_entries(API_PAGE.read_text(encoding="utf-8"))


# The modules whose public names the API reference lists.
DOCUMENTED_MODULES = [sklearn_rnn, exceptions, datasets, sktime, aeon]


@pytest.mark.parametrize(
    "module", DOCUMENTED_MODULES, ids=lambda module: module.__name__
)
def test_api_reference_lists_every_public_name(api_entries, module):
    missing = sorted(
        f"{module.__name__}.{name}"
        for name in module.__all__
        if f"{module.__name__}.{name}" not in api_entries
    )
    assert not missing, (
        f"{API_PAGE.name} does not list {missing}: add each to an autosummary "
        f"table under '.. currentmodule:: {module.__name__}'."
    )


def test_api_reference_lists_only_public_names(api_entries):
    public = {
        f"{module.__name__}.{name}"
        for module in DOCUMENTED_MODULES
        for name in module.__all__
    }
    stale = sorted(set(api_entries) - public)
    assert not stale, f"{API_PAGE.name} lists names that are not public: {stale}."
    duplicated = sorted({name for name in api_entries if api_entries.count(name) > 1})
    assert not duplicated, f"{API_PAGE.name} lists {duplicated} more than once."


def test_table_of_contents_lists_every_page():
    listed = set(_toctree_entries(ROOT_PAGE.read_text(encoding="utf-8")))
    pages = {
        path.stem
        for pattern in ("*.md", "*.rst")
        for path in DOCS.glob(pattern)
        if path != ROOT_PAGE
        and not path.read_text(encoding="utf-8").startswith("---\norphan: true")
    }
    missing = sorted(pages - listed)
    assert not missing, f"{ROOT_PAGE.name}'s toctrees do not list {missing}."
    absent = sorted(entry for entry in listed if entry not in pages)
    assert not absent, f"{ROOT_PAGE.name}'s toctrees list missing pages {absent}."


def test_parsers_read_what_they_should():
    page = """
.. currentmodule:: sklearn_rnn

.. autosummary::
   :toctree: api/generated

   RNNClassifier
   ~sklearn_rnn.datasets.load_gunpoint

Text after the table.

.. currentmodule:: sklearn_rnn.datasets

.. autosummary::

   load_plaid
"""
    assert _autosummary_entries(page) == [
        "sklearn_rnn.RNNClassifier",
        "sklearn_rnn.datasets.load_gunpoint",
        "sklearn_rnn.datasets.load_plaid",
    ]
    markdown = "# Title\n\n```{toctree}\n:maxdepth: 2\n\nindex\napi\n```\n"
    assert _toctree_entries(markdown) == ["index", "api"]
