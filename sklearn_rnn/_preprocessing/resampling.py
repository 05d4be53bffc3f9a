"""Sequences of any lengths resampled to one length, as rows of features."""

import numpy as np

__all__ = ["resample"]


def resample(sequences, n_steps):
    """Each sequence linearly interpolated to ``n_steps`` steps and flattened.

    The fixed-length view of ragged sequences that distance and linear
    baselines read (the UCR archive's convention for unequal lengths): one
    row per sequence, its channels interleaved step by step.

    Parameters
    ----------
    sequences : sequence of ndarray of shape (n_steps_i, n_channels)
        The sequences, each of one step or more.
    n_steps : int
        The common length.

    Returns
    -------
    rows : ndarray of shape (n_sequences, n_steps * n_channels)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn._preprocessing.resampling import resample
    >>> resample([np.array([[0.0], [2.0]]), np.array([[1.0], [1.0], [4.0]])], 3)
    array([[0., 1., 2.],
           [1., 1., 4.]])
    """
    grid = np.linspace(0, 1, n_steps)
    rows = []
    for sequence in sequences:
        sequence = np.asarray(sequence, dtype=np.float64)
        steps = np.linspace(0, 1, len(sequence))
        columns = [np.interp(grid, steps, channel) for channel in sequence.T]
        rows.append(np.column_stack(columns).ravel())
    return np.array(rows)
