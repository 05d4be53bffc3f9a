"""Sphinx configuration of the sklearn_rnn documentation.

Build it (offline; the notebooks are rendered, not executed) with::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

import sklearn_rnn  # noqa: E402

# -- Project ------------------------------------------------------------------

project = "sklearn_rnn"
author = "sklearn_rnn developers"
copyright = "sklearn_rnn developers"
release = sklearn_rnn.__version__
version = ".".join(release.split(".")[:2])

# The landing page; index.md stays the user guide that the README links.
root_doc = "contents"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.extlinks",
    "numpydoc",
    "myst_nb",  # Markdown pages (MyST) and notebooks
    "auto_rules",  # the table of "auto" values, read from the code
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "jupyter_execute",
]

# -- API reference ------------------------------------------------------------

autosummary_generate = True  # stubs into api/generated/ (git-ignored)


def _remove_stale_stubs():
    """Delete stubs of names no longer public, which no toctree would list."""
    from sklearn_rnn import aeon, datasets, sktime

    public = {f"sklearn_rnn.{name}" for name in sklearn_rnn.__all__} | {
        f"{module.__name__}.{name}"
        for module in (datasets, sktime, aeon)
        for name in module.__all__
    }
    for stub in (DOCS / "api" / "generated").glob("*.rst"):
        if stub.stem not in public:
            stub.unlink()


_remove_stale_stubs()

# `name` in docstrings is code, as in scikit-learn's documentation.
default_role = "literal"
autodoc_typehints = "none"  # the numpydoc docstrings give the types
numpydoc_show_class_members = False  # autodoc's :members: lists them instead
numpydoc_class_members_toctree = False

# -- Links to scikit-learn, PyTorch and skorch --------------------------------
# intersphinx would fetch inventories over the network; these roles build the
# URLs offline. In Markdown: {sklearn}`sklearn.pipeline.Pipeline`,
# {torch}`torch.nn.LSTM`, and for skorch a page and anchor with a title:
# {skorch}`EarlyStopping <callbacks.html#skorch.callbacks.EarlyStopping>`.

extlinks = {
    "sklearn": ("https://scikit-learn.org/stable/modules/generated/%s.html", "%s"),
    "torch": ("https://pytorch.org/docs/stable/generated/%s.html", "%s"),
    "skorch": ("https://skorch.readthedocs.io/en/stable/%s", "%s"),
}

# -- MyST and notebooks -------------------------------------------------------

nb_execution_mode = "off"  # notebooks are shown with the outputs they hold
myst_heading_anchors = 3  # GitHub-style anchors: page.md#section-title
myst_enable_extensions = ["colon_fence", "deflist"]

# The notebooks live in examples/notebooks/, outside the source directory: copy
# them into docs/notebooks/ (git-ignored), which notebooks.md globs.
NOTEBOOKS_SOURCE = ROOT / "examples" / "notebooks"
NOTEBOOKS_COPY = DOCS / "notebooks"


def _copy_notebooks():
    NOTEBOOKS_COPY.mkdir(exist_ok=True)
    sources = sorted(NOTEBOOKS_SOURCE.glob("*.ipynb"))
    names = {source.name for source in sources}
    for stale in NOTEBOOKS_COPY.glob("*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    for source in sources:
        target = NOTEBOOKS_COPY / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)


_copy_notebooks()

# -- HTML ---------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_rnn {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_show_sourcelink = False
# The user guide is one flat toctree, so the left sidebar of section
# navigation stayed empty and took width from wide tables: pages get it back.
html_sidebars = {"**": []}
html_theme_options = {
    # Nothing fetched at build or page-load time: no version switcher, no
    # analytics, no icon links to external services.
    "navbar_end": ["theme-switcher"],
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}


# -- scikit-learn's own references in inherited docstrings ----------------------
# The API pages show the methods the estimators inherit from scikit-learn
# (score, get_params, set_fit_request, ...), whose docstrings point into
# scikit-learn's documentation with :ref: and :term:. Without intersphinx these
# would be unresolved (a warning each); link them to scikit-learn's site.

SKLEARN_DOCS = "https://scikit-learn.org/stable/"
SKLEARN_LABELS = {
    "metadata_routing": "metadata_routing.html",
    "accuracy_score": "modules/model_evaluation.html#accuracy-score",
    "r2_score": "modules/model_evaluation.html#r2-score",
}


def _sklearn_reference(app, env, node, contnode):
    """Resolve a :ref: or :term: of a scikit-learn docstring to its site."""
    from docutils import nodes
    from docutils.utils import get_source_line

    source = get_source_line(node)[0] or ""
    if "docstring of sklearn." not in source or node.get("refdomain") != "std":
        return None
    target = node["reftarget"]
    if node["reftype"] == "term":
        slug = "-".join(target.lower().split())
        uri = f"{SKLEARN_DOCS}glossary.html#term-{slug}"
    elif node["reftype"] == "ref":
        page = SKLEARN_LABELS.get(target, f"search.html?q={target}")
        uri = SKLEARN_DOCS + page
    else:
        return None
    text = contnode.astext() if node.get("refexplicit") else target
    return nodes.reference(text, text, internal=False, refuri=uri)


def setup(app):
    app.connect("missing-reference", _sklearn_reference)
