"""Main job: the default RNNClassifier on the JapaneseVowels speaker dataset.

Run ``python -m sklearn_rnn``. Needs the ``datasets`` extra (sktime's shipped
files; nothing is downloaded). Beside it, the 1-nearest-neighbour baseline of
time-series classification, computed in the same run.
"""

import time

from sklearn.neighbors import KNeighborsClassifier

from sklearn_rnn import RNNClassifier
from sklearn_rnn._preprocessing.resampling import resample
from sklearn_rnn.datasets import load_japanese_vowels


def one_nn_accuracy(X_train, y_train, X_test, y_test):
    """Test accuracy of 1-NN with the Euclidean distance on series resampled
    to the longest training length (UCR's baseline for unequal lengths)."""
    length = max(len(x) for x in X_train)
    knn = KNeighborsClassifier(n_neighbors=1)
    knn.fit(resample(X_train, length), y_train)
    return knn.score(resample(X_test, length), y_test)


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
    baseline = one_nn_accuracy(X_train, y_train, X_test, y_test)
    print(f"Fit time: {fit_time:.1f} s ({model.n_iter_} epochs)")
    print(
        f"Test accuracy: {accuracy:.3f} (1-NN Euclidean on series resampled to "
        f"{max(lengths)} steps: {baseline:.3f})"
    )


if __name__ == "__main__":
    main()
