"""Real sequence datasets, read from the files that sktime's wheel ships.

Nothing is downloaded: the loaders read sktime's bundled ``.ts`` files with
sktime's own loaders. Install the ``datasets`` extra to use them::

    pip install "sklearn-rnn[datasets]"
"""

import numpy as np

__all__ = ["load_japanese_vowels", "load_plaid"]


def _sktime_loader(name):
    try:
        from sktime import datasets
    except ImportError as exc:
        raise ImportError(
            f"{name} reads the dataset files shipped with sktime, which is not "
            'installed; install the datasets extra: pip install "sklearn-rnn[datasets]"'
        ) from exc
    return getattr(datasets, name)


def _load(name, split):
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    X, y = _sktime_loader(name)(split=split, return_type="nested_univ")
    # nested_univ: one row per sequence, one pd.Series per channel.
    sequences = [
        np.column_stack([cell.to_numpy(dtype=np.float64) for cell in row])
        for row in X.itertuples(index=False)
    ]
    return sequences, np.asarray(y)


def load_japanese_vowels(split="train"):
    """Load the JapaneseVowels speaker recognition dataset (UEA archive).

    Nine male speakers uttering two Japanese vowels; each sequence is 7 to 29
    frames of 12 LPC cepstrum coefficients. 270 training and 370 test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (length, 12)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Speaker labels "1" to "9".

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_rnn.datasets import load_japanese_vowels
    >>> X, y = load_japanese_vowels("train")
    >>> len(X), X[0].shape[1]
    (270, 12)
    >>> np.unique(y)
    array(['1', '2', '3', '4', '5', '6', '7', '8', '9'], dtype='<U1')
    """
    return _load("load_japanese_vowels", split)


def load_plaid(split="train"):
    """Load the PLAID appliance classification dataset (UCR archive).

    Current draw of 11 kinds of electrical appliance; univariate sequences of
    100 to 1344 steps. 537 training and 537 test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (length, 1)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Appliance labels "0" to "10".

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_plaid
    >>> X, y = load_plaid("train")
    >>> len(X), min(len(x) for x in X), max(len(x) for x in X)
    (537, 100, 1344)
    """
    return _load("load_plaid", split)
