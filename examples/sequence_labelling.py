"""Label every step of a stream: which steps belong to a gun being drawn?

GunPoint recordings (sktime's shipped UCR files: 150 steps of an actor's hand
position while drawing a gun or pointing a finger) joined in random order,
two pointing for one gun draw; each step is labelled with its recording's
class. A bidirectional ``RNNClassifier(per_step=True)`` learns from windows
of the first 90 recordings and labels the last 60 the same way, in windows
of the training length, each step taking the mean of its windows' probabilities.
benchmarks/accuracy/sequence_labelling.py compares it with gradient boosting.

Run: python examples/sequence_labelling.py  (needs the datasets extra)
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.metrics import classification_report

from sklearn_rnn import RNNClassifier, predict_in_windows
from sklearn_rnn.datasets import load_gunpoint

(X_a, y_a), (X_b, y_b) = load_gunpoint("train"), load_gunpoint("test")
X, y = X_a + X_b, np.r_[y_a, y_b]
rng = np.random.default_rng(0)
gun, point = np.flatnonzero(y == "1"), np.flatnonzero(y == "2")
order = rng.permutation(np.r_[point, rng.choice(gun, 50, replace=False)])
values = np.concatenate([X[i][:, 0] for i in order])
labels = np.repeat(np.where(y[order] == "1", "gun", "point"), 150)
cut = 90 * 150  # the first 90 recordings train, the last 60 test

# Overlapping windows of 100 steps, one label per step.
X_train = sliding_window_view(values[:cut], 100)[::12, :, None]
y_train = sliding_window_view(labels[:cut], 100)[::12]
tagger = RNNClassifier(
    per_step=True,
    bidirectional=True,  # a step's label depends on what follows it too
    input_scaling="channel",  # with the training stream's statistics
    class_weight="balanced",
    random_state=0,
).fit(X_train, y_train)

# One label per step of the test stream, read 100 steps at a time.
predicted = predict_in_windows(tagger, [values[cut:]], window_length=100, step=12)[0]
print(classification_report(labels[cut:], predicted, digits=3))
