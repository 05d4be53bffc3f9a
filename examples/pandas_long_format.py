"""From a long-format pandas DataFrame to a cross-validated RNN.

sktime keeps JapaneseVowels as a long DataFrame: one row per time step, indexed
by (utterance, time step), twelve value columns. Rows are not samples, so such a
frame cannot go into cross-validation as it is; ``from_long_format`` turns it
into one sequence per utterance and aligns a per-utterance target with them.

Run: python examples/pandas_long_format.py  (needs the datasets extra)
"""

import pandas as pd
from sklearn.model_selection import cross_val_score
from sktime.datasets import load_japanese_vowels

from sklearn_rnn import RNNClassifier, from_long_format

frame, labels = load_japanese_vowels(split="train", return_type="pd-multiindex")
print(f"long format: {frame.shape[0]} rows, index {list(frame.index.names)}")

# One target per utterance, indexed by the utterance id of the frame's index.
speakers = pd.Series(labels, index=frame.index.get_level_values(0).unique())
X, y, ids = from_long_format(frame, y=speakers)
print(f"{len(X)} sequences of {X[0].shape[1]} channels, first ids {ids[:3].tolist()}")

model = RNNClassifier(random_state=0)
scores = cross_val_score(model, X, y, cv=3)
print(f"3-fold accuracy: {scores.mean():.3f} (+/- {scores.std():.3f})")
