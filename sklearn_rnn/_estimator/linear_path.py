"""The regressor's linear path: a ridge regression on the resampled series
beside the network, the two weighted on the held-out data."""

import numpy as np
from scipy.optimize import nnls
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from .._preprocessing.resampling import resample

__all__ = ["held_out_weights", "linear_path", "valid_sequences"]

# Longer sequences are resampled to fewer steps, so that a sequence gives at
# most this many features (its steps times its channels): the ridge's memory
# and time grow with them, and a spectrum or a trace keeps its shape at 1000.
MAX_FEATURES = 1000

# The ridge penalties that leave-one-out cross-validation chooses from, per
# target, on standardized features and targets: from nearly least squares to
# nearly the mean.
RIDGE_ALPHAS = np.logspace(-3, 6, 19)


def valid_sequences(dataset):
    """The valid steps of each sequence of a ``SequenceDataset``."""
    X, lengths = dataset.X.numpy(), dataset.lengths.tolist()
    return [x[:length] for x, length in zip(X, lengths, strict=True)]


def linear_path(max_length, n_channels=1):
    """An unfitted ridge regression of the targets on every value of the
    sequences, each resampled to ``max_length`` steps (fewer where that
    gives more than 1000 values a sequence) and standardized: a list of
    ``(n_steps, n_channels)`` arrays in, the targets out."""
    n_steps = max(1, min(max_length, MAX_FEATURES // n_channels))
    return make_pipeline(
        FunctionTransformer(resample, kw_args={"n_steps": n_steps}),
        StandardScaler(),
        RidgeCV(alphas=RIDGE_ALPHAS, alpha_per_target=True),
    )


def held_out_weights(predictions, targets, weights):
    """Per target, the weight of each prediction in [0, 1]: the non-negative
    least squares combination of them on the held-out data, shrunk by the
    evidence the held-out data give for it.

    Targets are standardized, so the training mean is zero and a weight of
    zero predicts it. The least-squares weights are themselves noisy: their
    gain over the mean, measured in residual variances, is about the number
    of predictions combined when they are unrelated to the targets (a
    chi-square). Scaling the weights by ``1 - k / gain`` (positive-part
    James-Stein, ``k`` the predictions with weight) keeps the part of them
    the held-out data show beyond chance: about 1 where a prediction learned
    the targets, 0 where nothing did, and the predictions are the mean's.

    Parameters
    ----------
    predictions : list of ndarray of shape (n_sequences, n_targets)
        The held-out predictions to combine.
    targets : ndarray of shape (n_sequences, n_targets)
    weights : ndarray of shape (n_sequences,)
        Sample weights.

    Returns
    -------
    ndarray of shape (len(predictions), n_targets)
    """
    root = np.sqrt(weights)
    combined = np.zeros((len(predictions), targets.shape[1]))
    for target in range(targets.shape[1]):
        columns = np.column_stack([p[:, target] for p in predictions])
        y = targets[:, target]
        coefficients, _ = nnls(columns * root[:, None], y * root)
        fit = coefficients @ (columns.T @ (weights * y))
        residual = weights @ (y - columns @ coefficients) ** 2 / weights.sum()
        n_used = np.count_nonzero(coefficients)
        if not n_used or fit <= 0:
            continue
        evidence = 1.0 if residual == 0 else max(0.0, 1 - n_used * residual / fit)
        combined[:, target] = np.clip(coefficients, 0, 1) * evidence
    return combined
