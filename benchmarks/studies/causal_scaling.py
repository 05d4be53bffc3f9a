"""Input scaling of causal per-step models: which form of standardization.

A unidirectional per-step model must not read later steps, so it cannot
standardize a sequence with the statistics of the whole sequence. The causal
forms compared here, by 3-fold cross-validation on training splits only:

* ``"channel"``: each channel's statistics over the training data (causal as
  it is);
* ``"sequence"``: each sequence's statistics over its steps so far (an
  expanding window);
* ``"both"``: the two side by side;
* ``None``: the raw values.

Task: next-value regression, ``RNNRegressor(per_step=True,
bidirectional=False)`` reads a series and predicts, at every step, the value
of the next one (the series' own units). Scored by the RMSE over all steps
of the held-out fold, relative to predicting the last value seen (1.0 is no
better than that). Datasets: the suite's univariate and multivariate series
(the training splits alone; BasicMotions' first channel). Printed: the mean
relative RMSE over seeds per dataset and form, and the mean rank.

Run: python -m benchmarks.studies.causal_scaling [--seeds N]  (datasets extra)
"""

import argparse

import numpy as np
from scipy.stats import rankdata
from sklearn.model_selection import KFold

from benchmarks.common import DATASETS
from sklearn_rnn import RNNRegressor

FORMS = {"channel": "channel", "sequence": "sequence", "both": "both", "none": None}
NAMES = ("GunPoint", "ItalyPowerDemand", "JapaneseVowels", "BasicMotions")


def next_value_task(X):
    """Inputs (all steps but the last) and per-step targets (the next value of
    the first channel) of every series."""
    inputs = [np.asarray(x, dtype=float)[:-1] for x in X]
    targets = [np.asarray(x, dtype=float)[1:, 0] for x in X]
    return inputs, targets


def relative_rmse(model, inputs, targets):
    predicted = np.concatenate(model.predict(inputs))
    true = np.concatenate(targets)
    last_seen = np.concatenate([x[:, 0] for x in inputs])
    rmse = np.sqrt(np.mean((predicted - true) ** 2))
    return rmse / np.sqrt(np.mean((last_seen - true) ** 2))


def cross_validate(X, scaling, seed):
    inputs, targets = next_value_task(X)
    scores = []
    for train, test in KFold(3, shuffle=True, random_state=seed).split(inputs):
        model = RNNRegressor(
            per_step=True,
            bidirectional=False,
            input_scaling=scaling,
            max_epochs=60,
            random_state=seed,
        )
        model.fit([inputs[i] for i in train], [targets[i] for i in train])
        scores.append(
            relative_rmse(model, [inputs[i] for i in test], [targets[i] for i in test])
        )
    return float(np.mean(scores))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    seeds = range(parser.parse_args().seeds)
    table = {}
    for name in NAMES:
        X, _ = DATASETS[name].load("train")
        table[name] = {
            form: np.mean([cross_validate(X, scaling, seed) for seed in seeds])
            for form, scaling in FORMS.items()
        }
        row = "  ".join(f"{form} {value:.3f}" for form, value in table[name].items())
        print(f"{name:18s} {row}", flush=True)
    ranks = np.mean(
        [rankdata([table[name][form] for form in FORMS]) for name in NAMES], axis=0
    )
    print(
        "mean rank         "
        + "  ".join(
            f"{form} {rank:.2f}" for form, rank in zip(FORMS, ranks, strict=True)
        )
    )


if __name__ == "__main__":
    main()
