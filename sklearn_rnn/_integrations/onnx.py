"""Export a fitted estimator's network to ONNX, masking included."""

import copy
import warnings

import torch
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .._validation import UNKNOWN_ID

__all__ = ["export_onnx"]


def _softmax(outputs):
    return torch.softmax(outputs, dim=-1)


class _ExportedNetwork(nn.Module):
    """The fitted network with the estimator's input and output steps, for
    tracing: token ids outside the vocabulary of ``n_tokens`` ids read as
    unknown, and probabilities or predictions in the targets' units."""

    def __init__(
        self, network, *, softmax, n_tokens=None, target_mean=None, target_scale=None
    ):
        super().__init__()
        self.network = network
        self.softmax = softmax
        self.n_tokens = n_tokens
        self.register_buffer("target_mean", target_mean)
        self.register_buffer("target_scale", target_scale)

    def forward(self, X, lengths):
        if self.n_tokens is not None:
            # As predict reads them; the embedding's Gather would fail on ids
            # past its rows, and count negative ones (which check_token_ids
            # refuses, but the graph cannot) from the end.
            known = X.ge(0) & X.lt(self.n_tokens)
            X = X.masked_fill(~known, UNKNOWN_ID)
        # A traced graph cannot branch on the data: it always masks.
        out = self.network(X, lengths, always_mask=True)
        if self.softmax:
            return self.network.combine(out, _softmax)
        return self.network.combine(out) * self.target_scale + self.target_mean


def export_onnx(estimator, path, *, opset_version=17):
    """Save a fitted RNNClassifier or RNNRegressor as an ONNX model.

    The graph takes the batch as the estimators pad it, with dynamic batch and
    time axes: ``X``, float32 of shape ``(n_sequences, n_timesteps,
    n_channels)`` with zeros after each sequence's end, and ``lengths``, int64
    of shape ``(n_sequences,)``. :func:`check_sequences` makes both from any
    input format. With ``embedding_dim``, ``X`` is int64 token ids of shape
    ``(n_sequences, n_timesteps)``, 0 after each end, as
    :func:`check_token_ids` makes them; ids the model never saw (``n_tokens_``
    or more) are read as unknown (id 1), as ``predict`` reads them, and so
    are negative ids, which the graph cannot refuse. Padding is masked
    exactly as in the estimator, so outputs do not depend on it. The output
    is ``proba`` (class probabilities in the order of ``classes_``) for a
    classifier, or
    ``prediction`` (in the units of the training targets, shape ``(n_sequences,
    n_outputs_)``) for a regressor. A ``per_step`` model outputs them for every
    step, with a time axis: ``(n_sequences, n_timesteps, n_classes)`` or
    ``(n_sequences, n_timesteps, n_outputs_)``; the rows after each sequence's
    end are padding, to be cut off as ``predict`` does.

    Parameters
    ----------
    estimator : RNNClassifier or RNNRegressor
        A fitted estimator.
    path : str or path-like
        Where to write the model.
    opset_version : int, default=17
        The ONNX operator set.

    Returns
    -------
    path : str or path-like
        ``path``.

    Notes
    -----
    Needs the ``onnx`` extra (``onnx``, ``onnxruntime``). Recurrent cells
    only: ``cell="transformer"`` is refused. With a
    convolutional front-end, a batch must be long enough for every
    convolution to read a kernel's width (the estimator pads short batches
    itself; the graph cannot).

    Examples
    --------
    >>> import numpy as np, onnxruntime
    >>> from sklearn_rnn import RNNClassifier, check_sequences, export_onnx
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 2)) for n in (5, 9, 7, 3)]
    >>> clf = RNNClassifier(max_epochs=2, random_state=0).fit(X, [0, 1, 0, 1])
    >>> path = export_onnx(clf, getfixture("tmp_path") / "model.onnx")
    >>> padded, lengths, _ = check_sequences(X)
    >>> session = onnxruntime.InferenceSession(path)
    >>> proba = session.run(None, {"X": padded, "lengths": lengths})[0]
    >>> bool(np.allclose(proba, clf.predict_proba(X), atol=1e-5))
    True
    """
    check_is_fitted(estimator, "net_")
    if not estimator.net_.module_.onnx_exportable:
        raise ValueError(
            "export_onnx does not export cell='transformer': torch's exporter "
            "fixes the batch and time sizes of its attention in the graph. Save "
            "the estimator with pickle or joblib instead."
        )
    if getattr(estimator, "linear_", None) is not None:
        raise ValueError(
            "export_onnx exports the network, and this regressor's predictions "
            "add its linear path (a ridge regression on the resampled series, "
            "linear_) to it. Refit with linear_path=False to export, or save the "
            "estimator with pickle or joblib."
        )
    network = copy.deepcopy(estimator.net_.module_).cpu().eval()
    n_tokens = estimator.n_tokens_ if network.reads_token_ids else None
    if is_classifier(estimator):
        model = _ExportedNetwork(network, softmax=True, n_tokens=n_tokens)
        output_name = "proba"
    else:
        scaler = estimator.target_scaler_
        model = _ExportedNetwork(
            network,
            softmax=False,
            n_tokens=n_tokens,
            target_mean=torch.as_tensor(scaler.mean_, dtype=torch.float32),
            target_scale=torch.as_tensor(scaler.scale_, dtype=torch.float32),
        )
        output_name = "prediction"
    X, lengths = _example_batch(network, estimator)
    with warnings.catch_warnings():
        # The TorchScript exporter is chosen on purpose: torch.export fixed the
        # time axis of the recurrent layers (a graph traced on one length failed
        # on others). Its warnings (deprecation, batch sizes of recurrent
        # layers, advanced indexing) are about cases the tests cover: outputs
        # match predict on other batch sizes and lengths.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (X, lengths),
            path,
            dynamo=False,
            input_names=["X", "lengths"],
            output_names=[output_name],
            dynamic_axes={
                "X": {0: "n_sequences", 1: "n_timesteps"},
                "lengths": {0: "n_sequences"},
                output_name: (
                    {0: "n_sequences", 1: "n_timesteps"}
                    if network.per_step
                    else {0: "n_sequences"}
                ),
            },
            opset_version=opset_version,
        )
    return path


def _example_batch(network, estimator):
    """An example batch of two padded sequences for the exporter to trace,
    long enough that no layer reads a batch narrower than its kernel (which
    the graph would fix)."""
    convs = [m for m in network.modules() if isinstance(m, nn.Conv1d)]
    n_timesteps = 4
    for conv in convs:
        n_timesteps = n_timesteps * conv.stride[0] + conv.kernel_size[0]
    if network.reads_token_ids:
        X = torch.ones(2, n_timesteps, dtype=torch.int64)
    else:
        X = torch.zeros(2, n_timesteps, estimator.n_features_in_)
    return X, torch.tensor([n_timesteps, n_timesteps - 1])
