"""Main job: the default RNNClassifier on the JapaneseVowels speaker dataset.

Run ``python -m sklearn_rnn``. Needs the ``datasets`` extra (sktime's shipped
files; nothing is downloaded).
"""

import time

from sklearn_rnn import RNNClassifier
from sklearn_rnn.datasets import load_japanese_vowels


def main():
    X_train, y_train = load_japanese_vowels("train")
    X_test, y_test = load_japanese_vowels("test")
    lengths = [len(x) for x in X_train]
    print(
        f"JapaneseVowels: {len(X_train)} training and {len(X_test)} test "
        f"sequences, lengths {min(lengths)}-{max(lengths)}, "
        f"{X_train[0].shape[1]} channels, {len(set(y_train))} speakers"
    )
    model = RNNClassifier(random_state=0)
    print(f"Model: {model} (the defaults, on the raw data)")
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    accuracy = model.score(X_test, y_test)
    print(f"Fit time: {fit_time:.1f} s ({model.n_iter_} epochs)")
    print(f"Test accuracy: {accuracy:.3f} (1-NN Euclidean, series resampled: 0.951)")


if __name__ == "__main__":
    main()
