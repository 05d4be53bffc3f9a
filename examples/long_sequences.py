"""Long sequences: per-sequence scaling and a convolutional front-end on PLAID.

PLAID's current-draw recordings have 100 to 1344 steps. Two things matter:

* z-normalizing each series (``SequenceScaler(per_sequence=True)``): the
  appliances differ in the shape of their draw more than in its level;
* a convolutional front-end (``conv_channels``) that shortens every sequence
  8x before the recurrent layers, with lengths kept exact: faster, and easier
  for the GRU to remember across.

Run: python examples/long_sequences.py  (needs the datasets extra)
"""

import time

from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, SequenceScaler
from sklearn_rnn.datasets import load_plaid

X, y = load_plaid("train")
X_test, y_test = load_plaid("test")

settings = {"cell": "gru", "bidirectional": True, "lr": 3e-3, "max_epochs": 40}
for name, extra in [
    ("bidirectional GRU", {}),
    ("conv front-end (3 x stride 2) + bidirectional GRU", {"conv_channels": (32,) * 3}),
]:
    model = make_pipeline(
        SequenceScaler(per_sequence=True),
        RNNClassifier(random_state=0, **settings, **extra),
    )
    start = time.perf_counter()
    model.fit(X, y)
    elapsed = time.perf_counter() - start
    print(
        f"{name}: test accuracy {model.score(X_test, y_test):.3f}, fit {elapsed:.0f} s"
    )
