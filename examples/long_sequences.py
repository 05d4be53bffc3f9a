"""Long sequences of different lengths: PLAID's appliance current draws.

PLAID's recordings have 100 to 1344 steps. With the defaults, the network

* sees each series twice: standardized with the training data's statistics
  (its level) and z-normalized on its own (its shape; the appliances differ in
  the shape of their draw more than in its level);
* shortens every sequence with strided convolutions (``conv_stride="auto"``)
  before the recurrent layers, with lengths kept exact: faster, and easier for
  the GRU to remember across.

The second model keeps only the dataset-wide scaling, to show what the shape
view brings.

Run: python examples/long_sequences.py  (needs the datasets extra)
"""

import time

from sklearn_rnn import RNNClassifier
from sklearn_rnn.datasets import load_plaid

X, y = load_plaid("train")
X_test, y_test = load_plaid("test")

for name, params in [
    ("defaults", {}),
    ('input_scaling="channel"', {"input_scaling": "channel"}),
]:
    model = RNNClassifier(random_state=0, **params)
    start = time.perf_counter()
    model.fit(X, y)
    elapsed = time.perf_counter() - start
    accuracy = model.score(X_test, y_test)
    print(
        f"{name}: test accuracy {accuracy:.3f}, fit {elapsed:.0f} s, "
        f"strides {model.conv_stride_}, {model.n_iter_} epochs"
    )
