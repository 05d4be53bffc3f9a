"""The old paths of modules that moved, for models pickled before the move.

pickle imports a class by the path of its module. Each old path here is bound
to the module that holds the class now, so that models saved by earlier
versions (whose estimators, losses, batching and transformers lived in flat
modules) still load. ``_text`` and ``_forecasting`` became packages of the
same name, whose ``__init__`` gives the old names; 0.1.0's ``_estimators``
and ``_network`` keep modules of their own.
"""

import importlib
import sys

# Old module -> where its classes live now.
MOVED_MODULES = {
    "_classifier": "_estimator.classifier",
    "_regressor": "_estimator.regressor",
    "_batching": "_training.batching",
    "_losses": "_training.losses",
    "_padding": "_preprocessing.padding",
    "_scaling": "_preprocessing.scaling",
    "_imputing": "_preprocessing.imputing",
    "_plotting": "_integrations.plotting",
}


def bind_old_paths(package="sklearn_rnn"):
    """Make each old module path import the module that replaced it."""
    for old, new in MOVED_MODULES.items():
        sys.modules.setdefault(
            f"{package}.{old}", importlib.import_module(f"{package}.{new}")
        )
