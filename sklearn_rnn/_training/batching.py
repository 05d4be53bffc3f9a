"""Batches of similar-length sequences, indexed a whole batch at a time.

The speed path: a batch is cut to its own longest sequence, so padding costs
little when batches hold sequences of similar length, and a batch is gathered
with one tensor indexing operation instead of per-item ``__getitem__`` calls and
collation (skorch's default per-item Dataset made fits ~12% slower).
"""

import torch
from torch.utils.data import Dataset, Sampler

__all__ = ["LengthBucketSampler", "SequenceDataset", "SequenceLoader"]


class SequenceDataset(Dataset):
    """Padded sequences, their lengths and optional targets, indexed by batch.

    Parameters
    ----------
    X : tensor of shape (n_sequences, n_timesteps, n_channels)
        Zero-padded sequences.
    lengths : tensor of shape (n_sequences,)
        True length of each sequence.
    y : tensor of shape (n_sequences, ...) or None
        Targets; None for prediction.
    sample_weight : tensor of shape (n_sequences,) or None
        Weight of each sequence in the loss; None for equal weights.
    per_step : bool, default=False
        Whether ``y`` holds a target per time step, ``(n_sequences,
        n_timesteps, ...)``, cut with ``X`` to each batch's longest sequence.
    """

    def __init__(self, X, lengths, y=None, sample_weight=None, per_step=False):
        self.X = torch.as_tensor(X)
        self.lengths = torch.as_tensor(lengths)
        self.y = None if y is None else torch.as_tensor(y)
        self.sample_weight = (
            None if sample_weight is None else torch.as_tensor(sample_weight)
        )
        self.per_step = per_step

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, indices):
        """The batch at ``indices``, cut to its longest sequence.

        Returns ``({"X": ..., "lengths": ...}, y)``, with ``"sample_weight"``
        in the dict when the dataset has weights.
        """
        lengths = self.lengths[indices]
        width = int(lengths.max())
        batch = {"X": self.X[indices, :width], "lengths": lengths}
        if self.sample_weight is not None:
            batch["sample_weight"] = self.sample_weight[indices]
        if self.y is None:
            return batch, torch.zeros(len(indices))
        return batch, self.y[indices, :width] if self.per_step else self.y[indices]


def cut_batches(order, lengths, batch_size, max_padded_ratio=2.0):
    """Cut ``order`` into batches of at most ``batch_size`` indices.

    A batch is padded to its longest sequence, so a batch also ends before a
    sequence that would make its padded size (sequences x longest length) more
    than ``max_padded_ratio`` times its real steps: one outlier of 20,000 steps
    among sequences of 5 would otherwise make a whole batch 20,000 steps long,
    in memory and in time. Where lengths differ by at most that ratio, this is
    a plain split.
    """
    ordered = lengths[order]
    if len(order) == 0 or ordered.max() <= max_padded_ratio * ordered.min():
        return list(order.split(batch_size))
    batches, start, longest, steps = [], 0, 0, 0
    for i, length in enumerate(ordered.tolist()):
        count = i - start + 1
        wider = max(longest, length)
        if count > batch_size or count * wider > max_padded_ratio * (steps + length):
            batches.append(order[start:i])
            start, longest, steps = i, length, length
        else:
            longest, steps = wider, steps + length
    batches.append(order[start:])
    return batches


class LengthBucketSampler(Sampler):
    """Yield batches of indices of sequences with similar lengths.

    With ``shuffle``, sequences are sorted by their length times a random factor
    in ``[1 - noise, 1 + noise]``, cut into batches, and the batches are
    shuffled: each epoch sees different batches of similar length in a
    different order. Without it, batches follow the dataset's order. Either way
    a batch holds at most ``batch_size`` sequences, and fewer where padding
    them to one length would more than double their steps (see
    :func:`cut_batches`).

    Parameters
    ----------
    lengths : tensor of shape (n_sequences,)
        Sequence lengths.
    batch_size : int
        Sequences per batch.
    shuffle : bool, default=False
        Whether to bucket and shuffle; False keeps the order of the data.
    noise : float, default=0.1
        Relative jitter of the lengths before sorting.
    generator : torch.Generator or None, default=None
        Source of randomness, for reproducible epochs.

    Examples
    --------
    >>> import torch
    >>> from sklearn_rnn import LengthBucketSampler
    >>> lengths = torch.tensor([5, 100, 6, 101])
    >>> sampler = LengthBucketSampler(lengths, 2, shuffle=True,
    ...                               generator=torch.Generator().manual_seed(0))
    >>> sorted(sorted(batch.tolist()) for batch in sampler)
    [[0, 2], [1, 3]]
    """

    def __init__(
        self, lengths, batch_size, *, shuffle=False, noise=0.1, generator=None
    ):
        self.lengths = torch.as_tensor(lengths)
        self.batch_size = int(batch_size)  # torch's split takes no NumPy integer
        self.shuffle = shuffle
        self.noise = noise
        self.generator = generator

    def __len__(self):
        """The number of batches (with ``shuffle``, of the unjittered order)."""
        n = len(self.lengths)
        order = torch.argsort(self.lengths) if self.shuffle else torch.arange(n)
        return len(cut_batches(order, self.lengths, self.batch_size))

    def __iter__(self):
        n = len(self.lengths)
        if not self.shuffle:
            yield from cut_batches(torch.arange(n), self.lengths, self.batch_size)
            return
        jitter = 1 + self.noise * (2 * torch.rand(n, generator=self.generator) - 1)
        order = torch.argsort(self.lengths * jitter)
        batches = cut_batches(order, self.lengths, self.batch_size)
        for i in torch.randperm(len(batches), generator=self.generator).tolist():
            yield batches[i]


class SequenceLoader:
    """Iterate over the batches of a :class:`SequenceDataset`.

    skorch calls it as its ``iterator_train`` and ``iterator_valid``. The data
    are tensors in memory already, so a batch is one indexing call; a
    ``DataLoader`` (workers, collation, pinning) added ~60 us per batch.

    Parameters
    ----------
    dataset : SequenceDataset
        The sequences.
    batch_size : int
        Sequences per batch.
    shuffle : bool, default=False
        Length-bucketed random batches (training); False keeps the order.
    generator : torch.Generator or None, default=None
        Source of randomness of the shuffling.
    process_group : ProcessGroup or None, default=None
        In data-parallel training, the group whose process takes its share of
        each epoch's batches (every process draws the same batches).
    """

    def __init__(
        self, dataset, batch_size, *, shuffle=False, generator=None, process_group=None
    ):
        self.dataset = dataset
        self.sampler = LengthBucketSampler(
            dataset.lengths, batch_size, shuffle=shuffle, generator=generator
        )
        self.process_group = process_group

    def __len__(self):
        if self.process_group is None:
            return len(self.sampler)
        return len(self.sampler) // self.process_group.size

    def __iter__(self):
        batches = self.sampler
        if self.process_group is not None:
            batches = self.process_group.shard(list(batches))
        for indices in batches:
            yield self.dataset[indices]
