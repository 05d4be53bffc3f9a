"""Grid search over the size of the network, on ragged sequences.

JapaneseVowels' utterances have 7 to 29 frames. ``SequencePadder`` pads each
cross-validation split into one NaN-padded array, and the grid names the
classifier's flat hyperparameters. The network standardizes its inputs itself
(``input_scaling="both"``), so no scaler is needed.

Run: python examples/grid_search.py  (needs the datasets extra)
"""

import pandas as pd
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, SequencePadder
from sklearn_rnn.datasets import load_japanese_vowels

X, y = load_japanese_vowels("train")
X_test, y_test = load_japanese_vowels("test")

pipe = make_pipeline(SequencePadder(), RNNClassifier(random_state=0))
grid = {
    "rnnclassifier__hidden_size": [32, 64],
    "rnnclassifier__num_layers": [1, 2],
    "rnnclassifier__pooling": ["max", "mean"],
}
search = GridSearchCV(pipe, grid, cv=3).fit(X, y)

results = pd.DataFrame(search.cv_results_)
columns = ["param_" + name for name in grid] + ["mean_test_score", "mean_fit_time"]
print(results[columns].sort_values("mean_test_score", ascending=False).to_string())
print(f"best: {search.best_params_}")
print(f"test accuracy of the refitted best model: {search.score(X_test, y_test):.3f}")
