"""Length-bucketed batches: every sequence once, similar lengths, reproducible."""

import numpy as np
import torch

from sklearn_rnn import LengthBucketSampler, RNNClassifier, SequenceDataset


def test_bucketed_batches_cover_everything_once_with_similar_lengths():
    lengths = torch.randint(1, 1000, (500,), generator=torch.Generator().manual_seed(0))
    sampler = LengthBucketSampler(
        lengths, 32, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    batches = list(sampler)
    assert len(batches) == len(sampler) == 16
    assert sorted(torch.cat(batches).tolist()) == list(range(500))
    # Bucketing: a batch spans a small part of the range of lengths (random
    # batches of 32 span ~950 of it; the 10% jitter allows up to ~260).
    spreads = [lengths[b].max() - lengths[b].min() for b in batches]
    assert max(spreads) < 300


def test_shuffling_is_reproducible_and_differs_between_epochs():
    lengths = torch.arange(100)

    def epochs(seed):
        sampler = LengthBucketSampler(
            lengths, 10, shuffle=True, generator=torch.Generator().manual_seed(seed)
        )
        return [[b.tolist() for b in sampler] for _ in range(2)]

    first, again = epochs(0), epochs(0)
    assert first == again
    assert first[0] != first[1]
    assert first != epochs(1)


def test_without_shuffle_batches_follow_the_data_order():
    sampler = LengthBucketSampler(torch.tensor([5, 1, 3]), 2)
    assert [b.tolist() for b in sampler] == [[0, 1], [2]]


def test_dataset_cuts_each_batch_to_its_longest_sequence():
    X = torch.zeros(4, 50, 2)
    dataset = SequenceDataset(X, torch.tensor([3, 50, 7, 2]), torch.arange(4))
    inputs, y = dataset[torch.tensor([0, 2, 3])]
    assert inputs["X"].shape == (3, 7, 2)
    assert inputs["lengths"].tolist() == [3, 7, 2]
    assert y.tolist() == [0, 2, 3]


def test_an_outlier_gets_a_batch_of_its_own():
    lengths = torch.tensor([5] * 40 + [20_000])
    for shuffle in (False, True):
        sampler = LengthBucketSampler(
            lengths, 32, shuffle=shuffle, generator=torch.Generator().manual_seed(0)
        )
        batches = list(sampler)
        assert sorted(torch.cat(batches).tolist()) == list(range(41))
        assert [40] in [b.tolist() for b in batches]
        assert all(len(b) <= 32 for b in batches)


def test_a_numpy_integer_batch_size_trains():
    # As a grid over np.arange gives it; sequences of one length are split
    # without looking at padding.
    X, y = np.random.default_rng(0).normal(size=(6, 4, 2)), np.arange(6) % 2
    clf = RNNClassifier(hidden_size=2, max_epochs=1, batch_size=np.int64(2))
    assert clf.fit(X, y).predict(X).shape == (len(X),)
