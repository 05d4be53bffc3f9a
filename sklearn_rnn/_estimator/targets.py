"""What y holds: one target per sequence or one per time step, chosen once per
call by ``per_step``.

Each layout reads the targets, wraps the loss, stratifies the hold-out,
predicts, scores, and says what the network must keep for it. ``LAYOUTS``
lists them.
"""

import numpy as np
import pandas as pd
import torch
from sklearn.utils.validation import _check_sample_weight

from .._training import batch_outputs
from .._training.losses import IGNORED_CLASS, PerStepLoss
from .._validation import frame_values

__all__ = [
    "LAYOUTS",
    "SequenceTargets",
    "StepTargets",
    "TargetLayout",
    "check_target_count",
    "target_layout",
]


def _check_not_one_value(y, expected):
    """Raise a TypeError saying ``expected`` if ``y`` is one value (a number,
    a string, a 0-d array) rather than a target per sequence or step."""
    if hasattr(y, "__array__"):  # arrays and objects that convert to one
        one_value = np.asarray(y).ndim == 0
    else:  # lists of sequences of any lengths, which np.ndim refuses
        one_value = isinstance(y, (str, bytes)) or not hasattr(y, "__len__")
    if one_value:
        raise TypeError(f"{expected}, got {type(y).__name__} {y!r}.")


def check_target_count(n_sequences, n_targets):
    """Raise if there are not as many targets as sequences."""
    if n_sequences != n_targets:
        raise ValueError(
            f"X has {n_sequences} sequences but y has {n_targets} targets; they "
            "must have the same number of samples."
        )


def _score_weights(sample_weight, n_sequences):
    """The sample weights of a score, checked: a score weighted by zeros only
    is undefined."""
    sample_weight = _check_sample_weight(sample_weight, np.empty(n_sequences))
    if not sample_weight.sum() > 0:
        raise ValueError(
            "sample_weight sums to zero (or less): the weighted score is undefined."
        )
    return sample_weight


class TargetLayout:
    """What one layout of targets gives the estimators."""

    # Whether the network gives an output per step (no pooling).
    per_step = False
    # What holds one target, in messages.
    unit = "sequence"

    def targets(self, y, lengths):
        """``y`` as one row per target the loss reads."""
        raise NotImplementedError

    def for_loss(self, encoded, criterion, lengths):
        """The encoded targets and the criterion as the net trains on them."""
        raise NotImplementedError

    def check_count(self, lengths, y):
        """Raise if ``y`` (as ``targets`` read it) does not give every
        sequence of ``lengths`` its targets."""
        raise NotImplementedError

    def valid_values(self, outputs, targets, weights, lengths):
        """``predict``'s outputs, the padded training ``targets`` and the
        sequences' ``weights`` as one row per target, of valid steps only."""
        raise NotImplementedError

    def stratification(self, encoded, by_class):
        """The labels that stratify the hold-out (None: a random split)."""
        raise NotImplementedError

    def check_network(self, conv_channels, conv_stride, kernel_size, branch):
        """Raise if the network cannot give the outputs this layout needs."""
        raise NotImplementedError

    def predict(self, net, dataset, nonlinearity):
        """The outputs of every sequence of ``dataset``, after ``nonlinearity``."""
        raise NotImplementedError

    def map_outputs(self, outputs, function):
        """``function`` applied to the outputs ``predict`` gave."""
        raise NotImplementedError

    def in_caller_order(self, outputs, order):
        """``outputs`` of the sequences taken in ``order``, put back in the
        caller's order."""
        raise NotImplementedError

    def score(self, estimator, X, y, sample_weight, metric):
        """``metric`` of the predictions of ``X`` against ``y``."""
        raise NotImplementedError


_ONE_PER_SEQUENCE = (
    "y holds one target per sequence, an array-like of shape (n_sequences,) or "
    "(n_sequences, n_targets)"
)


class SequenceTargets(TargetLayout):
    """One target per sequence: the network pools each sequence's outputs."""

    def targets(self, y, lengths):
        if y is not None:  # None gets the estimator's own error
            _check_not_one_value(y, _ONE_PER_SEQUENCE)
        return y

    def for_loss(self, encoded, criterion, lengths):
        return encoded, criterion

    def check_count(self, lengths, y):
        check_target_count(len(lengths), len(y))

    def valid_values(self, outputs, targets, weights, lengths):
        return outputs, targets, weights

    def stratification(self, encoded, by_class):
        return encoded.numpy() if by_class else None

    def check_network(self, conv_channels, conv_stride, kernel_size, branch):
        pass  # any front-end and branch give one output per sequence

    def predict(self, net, dataset, nonlinearity):
        return np.concatenate(
            [
                out.numpy()
                for out, _ in batch_outputs(net, dataset, nonlinearity=nonlinearity)
            ]
        )

    def map_outputs(self, outputs, function):
        return function(outputs)

    def in_caller_order(self, outputs, order):
        ordered = np.empty_like(outputs)
        ordered[order] = outputs
        return ordered

    def score(self, estimator, X, y, sample_weight, metric):
        _check_not_one_value(y, _ONE_PER_SEQUENCE)
        predictions = estimator.predict(X)
        check_target_count(len(predictions), len(y))
        if sample_weight is not None:
            sample_weight = _score_weights(sample_weight, len(predictions))
        return metric(y, predictions, sample_weight=sample_weight)


class StepTargets(TargetLayout):
    """One target per time step (sequence labelling, tagging): the head reads
    every step's output, the loss counts valid steps only, and predictions
    are a list with an array per sequence, of its own length."""

    per_step = True
    unit = "step"

    def targets(self, y, lengths):
        """The targets of every valid step, concatenated in sequence order.

        ``y`` holds one array of per-step targets per sequence (ragged, each
        of its sequence's length), or is an array padded after each
        sequence's end (what lies past the end is ignored).
        """
        if y is None:
            raise ValueError("per_step=True requires y: one target per time step.")
        _check_not_one_value(
            y, "With per_step=True, y holds one array of per-step targets per sequence"
        )
        # A DataFrame holds padded rows (iterating it would give its columns).
        padded = isinstance(y, pd.DataFrame) or (
            isinstance(y, np.ndarray) and y.dtype != object and y.ndim >= 2
        )
        if isinstance(y, pd.DataFrame):
            y = frame_values(y)
        if len(y) != len(lengths):
            raise ValueError(
                f"X has {len(lengths)} sequences but y has {len(y)}; with "
                "per_step=True, y holds one array of per-step targets per sequence."
            )
        steps = []
        for i, (targets, length) in enumerate(zip(y, lengths, strict=True)):
            targets = np.asarray(targets)
            if targets.ndim == 0 or (
                len(targets) < length if padded else len(targets) != length
            ):
                found = "a scalar" if targets.ndim == 0 else f"{len(targets)} targets"
                raise ValueError(
                    f"Sequence {i} has {length} steps, but y[{i}] holds {found}; "
                    "with per_step=True, y holds one target per step."
                )
            steps.append(targets[:length])
        return np.concatenate(steps)

    def for_loss(self, encoded, criterion, lengths):
        """Step targets laid out as ``(n_sequences, max_length, ...)``, with
        the ignored value past each end, and the loss over valid steps."""
        n_timesteps = int(lengths.max())
        shape = (len(lengths), n_timesteps, *encoded.shape[1:])
        if encoded.dtype == torch.int64:
            padded = torch.full(shape, IGNORED_CLASS, dtype=torch.int64)
        else:
            padded = torch.full(shape, float("nan"), dtype=encoded.dtype)
        valid = torch.arange(n_timesteps)[None, :] < torch.as_tensor(lengths)[:, None]
        padded[valid] = encoded
        return padded, PerStepLoss(criterion)

    def check_count(self, lengths, y):
        pass  # targets() counted each sequence's steps

    def valid_values(self, outputs, targets, weights, lengths):
        lengths = lengths.tolist()
        return (
            np.concatenate(outputs),
            np.concatenate([t[:n] for t, n in zip(targets, lengths, strict=True)]),
            np.repeat(weights, lengths),
        )

    def stratification(self, encoded, by_class):
        return None

    def check_network(self, conv_channels, conv_stride, kernel_size, branch):
        if (
            any(stride != 1 for stride in conv_stride)
            or (conv_channels and kernel_size % 2 == 0)
            or branch
        ):
            raise ValueError(
                "per_step=True needs one output per input step: a front-end of "
                f"strides 1 and an odd kernel (got conv_stride={conv_stride}, "
                f"conv_kernel_size={kernel_size}) and no branch_channels."
            )

    def predict(self, net, dataset, nonlinearity):
        # The batches have widths of their own: each sequence's outputs are
        # cut to its own length.
        return [
            output[:length].numpy()
            for out, lengths in batch_outputs(net, dataset, nonlinearity=nonlinearity)
            for output, length in zip(out, lengths.tolist(), strict=True)
        ]

    def map_outputs(self, outputs, function):
        return [function(output) for output in outputs]

    def in_caller_order(self, outputs, order):
        ordered = [None] * len(order)
        for position, index in enumerate(order):
            ordered[index] = outputs[position]
        return ordered

    def score(self, estimator, X, y, sample_weight, metric):
        """``metric`` over every valid step; a sequence's weight weighs each
        of its steps."""
        predictions = estimator.predict(X)
        lengths = np.array([len(p) for p in predictions])
        weights = None
        if sample_weight is not None:
            weights = np.repeat(_score_weights(sample_weight, len(lengths)), lengths)
        return metric(
            self.targets(y, lengths),
            np.concatenate(predictions),
            sample_weight=weights,
        )


LAYOUTS = {False: SequenceTargets(), True: StepTargets()}


def target_layout(estimator):
    """The layout of ``estimator``'s targets, by its ``per_step``."""
    return LAYOUTS[bool(estimator.per_step)]
