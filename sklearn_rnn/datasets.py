"""Real sequence datasets, read from the files that sktime's wheel ships.

Nothing is downloaded: the loaders read sktime's bundled ``.ts`` files with
sktime's own loaders. Install the ``datasets`` extra to use them::

    pip install "sklearn-rnn[datasets]"
"""

import numpy as np

__all__ = [
    "load_acsf1",
    "load_airline",
    "load_basic_motions",
    "load_covid_3month",
    "load_gunpoint",
    "load_italy_power_demand",
    "load_japanese_vowels",
    "load_plaid",
]


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
    loader = _sktime_loader(name)
    if name == "load_covid_3month":  # a regression set: no return_type argument
        X, y = loader(split=split)
        y = np.asarray(y, dtype=np.float64)
    else:
        X, y = loader(split=split, return_type="nested_univ")
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


def load_gunpoint(split="train"):
    """Load the GunPoint motion classification dataset (UCR archive).

    The x-coordinate of an actor's hand drawing a gun or pointing a finger;
    univariate sequences of 150 steps, each z-normalized. 50 training and 150
    test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (150, 1)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Labels "1" (gun) and "2" (point).

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_gunpoint
    >>> X, y = load_gunpoint("test")
    >>> len(X), X[0].shape
    (150, (150, 1))
    """
    return _load("load_gunpoint", split)


def load_italy_power_demand(split="train"):
    """Load the ItalyPowerDemand classification dataset (UCR archive).

    Italy's electrical power demand over one day (24 hourly steps, each
    sequence z-normalized); the classes are October-March and April-September.
    67 training and 1029 test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (24, 1)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Labels "1" and "2".

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_italy_power_demand
    >>> X, y = load_italy_power_demand("train")
    >>> len(X), X[0].shape
    (67, (24, 1))
    """
    return _load("load_italy_power_demand", split)


def load_basic_motions(split="train"):
    """Load the BasicMotions activity classification dataset (UEA archive).

    Accelerometer and gyroscope readings (6 channels, 100 steps, in sensor
    units) of a smart watch during four activities. 40 training and 40 test
    sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (100, 6)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Labels "badminton", "running", "standing" and "walking".

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_basic_motions
    >>> X, y = load_basic_motions("train")
    >>> len(X), X[0].shape
    (40, (100, 6))
    """
    return _load("load_basic_motions", split)


def load_acsf1(split="train"):
    """Load the ACSF1 appliance classification dataset (UCR archive).

    Power consumption of ten kinds of household appliance over one day;
    univariate sequences of 1460 steps, each z-normalized. 100 training and
    100 test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (1460, 1)
        The sequences.
    y : ndarray of shape (n_sequences,)
        Appliance labels "0" to "9".

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_acsf1
    >>> X, y = load_acsf1("train")
    >>> len(X), X[0].shape
    (100, (1460, 1))
    """
    return _load("load_acsf1", split)


def load_covid_3month(split="train"):
    """Load the Covid3Month regression dataset (Monash/UEA regression archive).

    Daily confirmed COVID-19 cases per country over 84 days (univariate); the
    target is the country's death rate over the following month. 140 training
    and 61 test sequences.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The archive's default split.

    Returns
    -------
    X : list of ndarray of shape (84, 1)
        The sequences.
    y : ndarray of shape (n_sequences,)
        The real-valued targets.

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_covid_3month
    >>> X, y = load_covid_3month("train")
    >>> len(X), X[0].shape, y.dtype
    (140, (84, 1), dtype('float64'))
    """
    return _load("load_covid_3month", split)


def load_airline():
    """Load the Airline series: monthly international airline passengers.

    Box and Jenkins' series of 144 months, January 1949 to December 1960, in
    thousands of passengers; trend and a seasonality that grows with the level.

    Returns
    -------
    y : pandas Series of shape (144,)
        Indexed by a monthly ``PeriodIndex``.

    Examples
    --------
    >>> from sklearn_rnn.datasets import load_airline
    >>> y = load_airline()
    >>> len(y), str(y.index[0]), str(y.index[-1])
    (144, '1949-01', '1960-12')
    """
    return _sktime_loader("load_airline")()
