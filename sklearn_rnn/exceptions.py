"""The warnings this library raises, to filter them by category.

Errors are the built-in ``ValueError`` and ``TypeError``; a fit that learned
nothing warns with scikit-learn's
:class:`~sklearn.exceptions.ConvergenceWarning`.
"""

__all__ = ["ChannelLayoutWarning", "IrregularTimeWarning"]


class ChannelLayoutWarning(UserWarning):
    """A 3-D array has more channels than time steps: it may be channel-first.

    sktime's, aeon's and tsai's ``numpy3D`` arrays are laid out
    ``(n_sequences, n_channels, n_timesteps)``; this library reads 3-D arrays
    as ``(n_sequences, n_timesteps, n_channels)``. Transpose such an array, or
    put ``SequencePadder(channels_first=True)`` first in the Pipeline.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklearn_rnn import SequencePadder
    >>> from sklearn_rnn.exceptions import ChannelLayoutWarning
    >>> X = np.zeros((4, 6, 300))  # 6 channels of 300 steps, channel-first
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = SequencePadder().fit(X)
    >>> caught[0].category is ChannelLayoutWarning
    True
    >>> SequencePadder(channels_first=True).fit_transform(X).shape
    (4, 300, 6)
    """


class IrregularTimeWarning(UserWarning):
    """Long-format rows are not evenly spaced in time within an id.

    :func:`~sklearn_rnn.from_long_format` makes consecutive rows consecutive
    steps, so the network does not see how far apart they were. Add the
    elapsed time as a value column, or resample each id to a regular grid
    (missing steps as NaN, then :class:`~sklearn_rnn.SequenceImputer`).
    """
