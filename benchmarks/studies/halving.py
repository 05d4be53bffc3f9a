"""Successive halving with epochs as the resource against a full grid search.

JapaneseVowels' training split (270 sequences), 3-fold CV, the grid
``hidden_size`` x ``lr`` x ``dropout`` (12 candidates). ``GridSearchCV`` fits
every candidate with the full budget (``max_epochs=60``, no early stop, so
the budget is the resource); ``HalvingGridSearchCV(resource="max_epochs")``
starts all candidates on 60 / 3**2 epochs and keeps the best third with three
times the epochs each round. Printed, side by side in one run: seconds, the
best candidate and its CV score, and its accuracy on the test split when
refitted (reported once).

Run: python -m benchmarks.studies.halving  (datasets extra)
"""

from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV

from benchmarks.common import timed_fit
from sklearn_rnn import RNNClassifier
from sklearn_rnn.datasets import load_japanese_vowels

GRID = {"hidden_size": [16, 64], "lr": [1e-3, 3e-3, 1e-2], "dropout": [0.0, 0.3]}
MAX_EPOCHS = 60
FACTOR = 3


def main():
    X, y = load_japanese_vowels("train")
    X_test, y_test = load_japanese_vowels("test")
    model = RNNClassifier(max_epochs=MAX_EPOCHS, n_iter_no_change=None, random_state=0)
    searches = {
        "GridSearchCV": GridSearchCV(model, GRID, cv=3),
        "HalvingGridSearchCV": HalvingGridSearchCV(
            model,
            GRID,
            resource="max_epochs",
            min_resources=MAX_EPOCHS // FACTOR**2,
            max_resources=MAX_EPOCHS,
            factor=FACTOR,
            cv=3,
            random_state=0,
        ),
    }
    print(f"JapaneseVowels, {len(X)} training sequences, 3-fold CV, 12 candidates")
    for name, search in searches.items():
        _, seconds = timed_fit(search, X, y)
        best = {k: v for k, v in search.best_params_.items() if k != "max_epochs"}
        print(
            f"{name:20s} {seconds:6.0f} s  best {best}  CV {search.best_score_:.3f}  "
            f"test {search.score(X_test, y_test):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
