"""What the benchmarks share: data loading and a hand-written training loop."""

import time

import numpy as np
import torch

from sklearn_rnn import RecurrentNetwork


def load(name, split, data_path=None):
    """A dataset split, from sktime's files or from an .npz export of them.

    The export (``--data``) serves machines without sktime, such as the GPU
    machine; it holds ``{name}_{split}_X`` (object array of sequences) and
    ``{name}_{split}_y``.
    """
    if data_path is None:
        from sklearn_rnn import datasets

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
