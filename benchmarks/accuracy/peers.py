"""Peers: the library's defaults beside other libraries' models, in one run.

Per dataset, in one process tree, interleaved (dataset by dataset, library by
library), each fit on one thread (torch, TensorFlow, numba and BLAS), the
accuracy on the archive's test split and the seconds of the fit (from the
arrays to a trained model), seed 0:

* ours: ``RNNClassifier()``, in this process, on the raw sequences;
* tsai ``LSTM_FCN`` and ``LSTM`` with the settings of tsai's README: for a
  univariate set ``TSStandardize()`` and ``fit_one_cycle(100, 3e-4)``, for a
  multivariate one ``TSStandardize(by_sample=True)`` and
  ``fit_one_cycle(10, 1e-2)``; no validation set (the README validates on the
  test split, which changes nothing but the time);
* sktime ``LSTMFCNClassifier`` (TensorFlow) and aeon ``FCNClassifier``
  (TensorFlow) with their defaults, 2000 epochs, when the fit is projected to
  end within ``--budget`` seconds (600; projected from its first epochs),
  else ``--reduced-epochs`` (200), labelled as such;
* aeon ``MiniRocketClassifier`` with its defaults, timed after a first fit
  that compiles its numba functions.

Datasets: GunPoint, ItalyPowerDemand, BasicMotions, JapaneseVowels, ACSF1 and
PLAID (sktime's files, through ``sklearn_rnn.datasets``), Coffee and PigCVP
(pyts' files), Trace (tslearn's files) and Chinatown (sktime's
``load_unit_test``). Nothing is downloaded. Every peer needs sequences of equal
length: JapaneseVowels and PLAID are resampled (linearly, each channel) to the
longest training length for them; ours reads them as they are.

Forecasting, Airline (144 months; the last 24 are the test period, forecast
from the end of the 120 before; mean absolute error): ``RNNForecaster()``,
the setting docs/forecasting.md recommends
(``transform="log", linear_autoregression=True``) and darts' ``RNNModel`` with
the settings of its RNN example notebook on Air Passengers (LSTM,
``hidden_dim=20``, ``dropout=0``, ``batch_size=16``, ``n_epochs=300``,
``lr=1e-3``, ``training_length=20``, ``input_chunk_length=14``,
``random_state=42``; series scaled to [0, 1], the scaled year and the one-hot
month as future covariates; without its TensorBoard logs and checkpoints).

The peers run in their own environments (tsai pins scikit-learn<1.8; sktime
refuses ``tensorflow-cpu``): this script starts ``<venv>/bin/python
benchmarks/accuracy/peers.py --worker LIB DATA.npz``, which prints its result as JSON;
the data go as .npz files in a temporary folder. Build the environments (the
CPU build of torch first, so that nothing pulls a CUDA one; torchvision's
wheels do not load beside it, and tsai's time-series path never uses it, so
fastai installs without its dependencies and the worker stubs torchvision)::

    python3.11 -m venv /work/peers/venv
    /work/peers/venv/bin/pip install torch==2.13.0
    /work/peers/venv/bin/pip install --no-deps tsai==1.0.1 fastai==2.8.12
    echo torch==2.13.0 > /work/peers/constraints.txt
    /work/peers/venv/bin/pip install -c /work/peers/constraints.txt \\
        "fastcore>=2.2.22" "fastdownload>=0.0.8,<2" "fasttransform>=0.0.3" \\
        "fastprogress>=0.2.4" matplotlib pandas requests pyyaml "pillow>=9" \\
        "scikit-learn>=1.7,<1.8" scipy packaging "plum-dispatch<2.10" \\
        cloudpickle "pyts>=0.13" "imbalanced-learn>=0.14" "psutil>=6.1" tqdm \\
        "darts[torch]==0.48.1"
    python3.11 -m venv /work/peers/tf
    /work/peers/tf/bin/pip install tensorflow==2.21.0 sktime==1.2.0 aeon==1.6.0

Run: .venv/bin/python -m benchmarks.accuracy.peers [--smoke] [--datasets NAME ...]
     [--no-forecasting] [--budget SECONDS] [--reduced-epochs N]
     [--torch-venv DIR] [--tf-venv DIR]
     (the datasets extra, pyts and tslearn; the environments default to
     $PEERS_TORCH_VENV or /work/peers/venv and $PEERS_TF_VENV or /work/peers/tf)
``--smoke`` checks every path with 2 epochs on ItalyPowerDemand (the
TensorFlow fits go through the reduced path) and on Airline.
"""

import argparse
import importlib.abc
import importlib.machinery
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np

# label: (environment, worker). The environments: "torch" (tsai, darts) and
# "tf" (sktime, aeon).
CLASSIFIERS = {
    "tsai LSTM_FCN": ("torch", "tsai-lstm-fcn"),
    "tsai LSTM": ("torch", "tsai-lstm"),
    "sktime LSTMFCNClassifier": ("tf", "sktime-lstm-fcn"),
    "aeon FCNClassifier": ("tf", "aeon-fcn"),
    "aeon MiniRocketClassifier": ("tf", "aeon-minirocket"),
}
FORECASTERS = {"darts RNNModel (LSTM)": ("torch", "darts-rnn")}
SMOKE_DATASET = "ItalyPowerDemand"
SMOKE_EPOCHS = 2
# A TensorFlow fit of default epochs projected past the budget is stopped and
# redone with --reduced-epochs (200); the projection starts after PROBE_EPOCHS.
PROBE_EPOCHS = 5
N_TEST_MONTHS = 24
# The classification datasets of benchmarks/common.py's suite.
SUITE = (
    "GunPoint",
    "ItalyPowerDemand",
    "BasicMotions",
    "JapaneseVowels",
    "ACSF1",
    "PLAID",
    "Coffee",
    "PigCVP",
    "Trace",
    "Chinatown",
)
SEED = 0
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "NUMBA_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
    )
}


# Data: loaded here, handed to the workers as .npz files.


def load(name):
    """``(train, test)`` of a suite dataset, each ``(list of (length,
    channels) arrays, labels as str)``."""
    from benchmarks.common import DATASETS  # here: the workers have no sklearn_rnn

    return tuple(
        (list(X), np.asarray(y).astype(str))
        for X, y in (DATASETS[name].load(split) for split in ("train", "test"))
    )


def resampled(X, length):
    """Sequences resampled linearly to ``length`` steps, as an array of shape
    (n, channels, length), the layout of the peers."""
    from sklearn_rnn._preprocessing.resampling import resample

    n_channels = X[0].shape[1]
    flat = resample(X, length).reshape(len(X), length, n_channels)
    return flat.transpose(0, 2, 1).astype(np.float32)


def save_classification(folder, train, test):
    """Both splits, equal in length, as an .npz file; its path."""
    length = max(len(x) for x in train[0])
    path = Path(folder) / "data.npz"
    np.savez(
        path,
        X_train=resampled(train[0], length),
        y_train=train[1],
        X_test=resampled(test[0], length),
        y_test=test[1],
    )
    return path


# The workers: run in a peer's environment, they import only numpy and the
# peer's library.


class _TorchvisionStub(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves empty ``torchvision`` modules: fastai imports torchvision at
    import time, but tsai's time-series models never call it."""

    def find_spec(self, name, path=None, target=None):
        if name == "torchvision" or name.startswith("torchvision."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []

        def missing(attribute):
            if attribute.startswith("__"):
                raise AttributeError(attribute)

            def unavailable(*args, **kwargs):
                raise ImportError(f"{spec.name}.{attribute}: torchvision is a stub")

            return unavailable

        module.__getattr__ = missing
        return module

    def exec_module(self, module):
        pass


def _torch_one_thread():
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.set_num_interop_threads(1)


def tsai_classifier(arch_name, data, smoke):
    """tsai's README: a learner of ``arch_name``, trained by one cycle."""
    try:
        import torchvision  # noqa: F401
    except Exception:
        for name in [name for name in sys.modules if name.startswith("torchvision")]:
            del sys.modules[name]
        sys.meta_path.insert(0, _TorchvisionStub())
    _torch_one_thread()
    from fastai.torch_core import set_seed
    from tsai.basics import TSClassification, TSStandardize, get_ts_dls, ts_learner
    from tsai.models.RNN import LSTM
    from tsai.models.RNN_FCN import LSTM_FCN

    X, y = data["X_train"], data["y_train"]
    multivariate = X.shape[1] > 1
    epochs, lr = (10, 1e-2) if multivariate else (100, 3e-4)
    epochs = SMOKE_EPOCHS if smoke else epochs
    set_seed(SEED)
    start = time.perf_counter()
    dls = get_ts_dls(
        X,
        y,
        splits=(list(range(len(X))), []),
        tfms=[None, TSClassification()],
        batch_tfms=TSStandardize(by_sample=multivariate),
    )
    arch = {"LSTM_FCN": LSTM_FCN, "LSTM": LSTM}[arch_name]
    learn = ts_learner(dls, arch)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(epochs, lr)
    seconds = time.perf_counter() - start
    with learn.no_bar():
        # One batch: a test set over tsai's batch size of 64 lost its last,
        # incomplete batch (64 predictions of Trace's 100).
        X_test = data["X_test"]
        probabilities, _, _ = learn.get_X_preds(X_test, bs=len(X_test))
    labels = np.asarray(learn.dls.vocab).astype(str)
    predicted = labels[np.asarray(probabilities).argmax(axis=1)]
    note = f"fit_one_cycle({epochs}, {lr:g})"
    return _result(predicted, data["y_test"], seconds, note)


def _tf_one_thread():
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


# What the budget guard saw; a module global, as sktime deep-copies callbacks.
_GUARD = {}


def budget_guard(total_epochs, budget):
    """A Keras callback that stops a fit projected to run past ``budget``
    seconds, and records the projection in ``_GUARD``."""
    import keras

    class BudgetGuard(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            _GUARD.clear()
            _GUARD.update(start=time.perf_counter(), ends=[])

        def on_epoch_end(self, epoch, logs=None):
            ends = _GUARD["ends"]
            ends.append(time.perf_counter())
            done = epoch + 1
            if done < min(PROBE_EPOCHS, total_epochs - 1) or done >= total_epochs:
                return
            # The first epoch compiles: the pace is that of the epochs after it.
            pace = (ends[-1] - ends[0]) / (len(ends) - 1)
            projected = ends[-1] - _GUARD["start"] + pace * (total_epochs - done)
            if projected > budget:
                _GUARD["projected"] = projected
                self.model.stop_training = True

    return BudgetGuard()


def keras_classifier(make, default_epochs, data, smoke, budget, reduced_epochs):
    """Fit ``make(n_epochs, guard)`` with the default epochs if that is
    projected to end within the budget, else with ``reduced_epochs``."""
    _tf_one_thread()
    # --smoke: a short "default" run that the guard always stops.
    full, reduced = (4, SMOKE_EPOCHS) if smoke else (default_epochs, reduced_epochs)
    budget = 0 if smoke else budget
    X, y = data["X_train"], data["y_train"]
    start = time.perf_counter()
    model = make(full, budget_guard(full, budget)).fit(X, y)
    seconds = time.perf_counter() - start
    note = f"{full} epochs (default)"
    if "projected" in _GUARD:
        projected = _GUARD["projected"]
        start = time.perf_counter()
        model = make(reduced, None).fit(X, y)
        seconds = time.perf_counter() - start
        note = (
            f"REDUCED: {reduced} epochs; the default {full} "
            f"projected to {projected / 60:.0f} min"
        )
    return _result(model.predict(data["X_test"]), data["y_test"], seconds, note)


def sktime_lstm_fcn(data, smoke, budget, reduced_epochs):
    from sktime.classification.deep_learning import LSTMFCNClassifier

    def make(n_epochs, guard):
        callbacks = [guard] if guard else None
        return LSTMFCNClassifier(
            n_epochs=n_epochs, callbacks=callbacks, random_state=SEED
        )

    default = LSTMFCNClassifier().n_epochs
    return keras_classifier(make, default, data, smoke, budget, reduced_epochs)


def aeon_fcn(data, smoke, budget, reduced_epochs):
    import keras
    from aeon.classification.deep_learning import FCNClassifier

    def make(n_epochs, guard):
        # aeon's default callbacks, plus the guard (aeon adds its checkpoint).
        callbacks = None
        if guard:
            plateau = keras.callbacks.ReduceLROnPlateau(
                monitor="loss", factor=0.5, patience=50, min_lr=0.0001
            )
            callbacks = [plateau, guard]
        return FCNClassifier(n_epochs=n_epochs, callbacks=callbacks, random_state=SEED)

    default = FCNClassifier().n_epochs
    return keras_classifier(make, default, data, smoke, budget, reduced_epochs)


def aeon_minirocket(data, smoke, budget, reduced_epochs):
    from aeon.classification.convolution_based import MiniRocketClassifier

    model = MiniRocketClassifier(n_jobs=1, random_state=SEED)
    model.fit(data["X_train"], data["y_train"])  # numba compiles: not timed
    start = time.perf_counter()
    model.fit(data["X_train"], data["y_train"])
    seconds = time.perf_counter() - start
    return _result(model.predict(data["X_test"]), data["y_test"], seconds, "")


def darts_rnn(data, smoke):
    """darts' RNN example notebook on Air Passengers, from a fixed origin."""
    _torch_one_thread()
    import pandas as pd
    from darts import TimeSeries
    from darts.dataprocessing.transformers import Scaler
    from darts.models import RNNModel
    from darts.utils.timeseries_generation import datetime_attribute_timeseries

    values, n_test = data["y"].astype(np.float32), int(data["n_test"])
    index = pd.date_range(str(data["start"]), periods=len(values), freq="MS")
    series = TimeSeries.from_times_and_values(index, values)
    scaler = Scaler()
    train = scaler.fit_transform(series[:-n_test])
    year = datetime_attribute_timeseries(
        pd.date_range(start=index[0], freq="MS", periods=1000), attribute="year"
    )
    year = Scaler().fit_transform(year).astype(np.float32)
    month = datetime_attribute_timeseries(year, attribute="month", one_hot=True)
    covariates = year.stack(month.astype(np.float32))
    epochs = SMOKE_EPOCHS if smoke else 300
    model = RNNModel(
        model="LSTM",
        hidden_dim=20,
        dropout=0,
        batch_size=16,
        n_epochs=epochs,
        optimizer_kwargs={"lr": 1e-3},
        random_state=42,
        training_length=20,
        input_chunk_length=14,
        pl_trainer_kwargs={
            "accelerator": "cpu",
            "enable_progress_bar": False,
            "enable_model_summary": False,
            "logger": False,
        },
    )
    start = time.perf_counter()
    model.fit(train, future_covariates=covariates, verbose=False)
    seconds = time.perf_counter() - start
    forecast = model.predict(n_test, future_covariates=covariates, verbose=False)
    forecast = scaler.inverse_transform(forecast).values().ravel()
    error = float(np.mean(np.abs(forecast - values[-n_test:])))
    return {"score": error, "seconds": seconds, "note": f"n_epochs {epochs}"}


def _result(predicted, truth, seconds, note):
    accuracy = float(np.mean(np.asarray(predicted).astype(str) == truth))
    return {"score": accuracy, "seconds": seconds, "note": note}


def worker(name, path, smoke, budget, reduced_epochs):
    """Run one peer on the data at ``path``; print its result as JSON."""
    data = dict(np.load(path))
    if name == "darts-rnn":
        result = darts_rnn(data, smoke)
    elif name.startswith("tsai-"):
        arch = {"tsai-lstm-fcn": "LSTM_FCN", "tsai-lstm": "LSTM"}[name]
        result = tsai_classifier(arch, data, smoke)
    else:
        run = {
            "sktime-lstm-fcn": sktime_lstm_fcn,
            "aeon-fcn": aeon_fcn,
            "aeon-minirocket": aeon_minirocket,
        }[name]
        result = run(data, smoke, budget, reduced_epochs)
    print(json.dumps(result), flush=True)


# The driver.


def run_peer(python, name, path, args):
    """Run a worker in its environment; its result, or why there is none."""
    if not Path(python).exists():
        return {"error": f"no environment: {python} is missing"}
    command = [python, str(Path(__file__).resolve()), "--worker", name, str(path)]
    command += ["--budget", str(args.budget)] + (["--smoke"] if args.smoke else [])
    command += ["--reduced-epochs", str(args.reduced_epochs)]
    env = {**os.environ, **ONE_THREAD, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["CUDA_VISIBLE_DEVICES"] = ""
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=Path(path).parent
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {done.returncode}: {last[:200]}"}


def line(label, result, digits=3):
    if "error" in result:
        return f"  {label + ':':32s} failed ({result['error']})"
    note = f"  [{result['note']}]" if result["note"] else ""
    seconds = result["seconds"]
    seconds = f"{seconds:.2f}" if seconds < 1 else f"{seconds:.1f}"
    return f"  {label + ':':32s} {result['score']:.{digits}f}, {seconds} s{note}"


def ours(make_model, train, test, smoke):
    """Fit one of our models; its accuracy and seconds as a result."""
    model = make_model()
    start = time.perf_counter()
    model.fit(*train)
    seconds = time.perf_counter() - start
    note = f"max_epochs={SMOKE_EPOCHS}" if smoke else ""
    return _result(model.predict(test[0]), test[1], seconds, note)


def classification(name, args, pythons, folder):
    """Every classifier on one dataset, ours first."""
    from sklearn_rnn import RNNClassifier

    train, test = load(name)
    lengths = {len(x) for x in train[0]}
    header = f"{len(train[0])}/{len(test[0])}, {train[0][0].shape[1]} channel(s)"
    header += f", length {min(lengths)}-{max(lengths)}"
    if len(lengths | {len(x) for x in test[0]}) > 1:
        header += f"; resampled to {max(lengths)} for the peers"
    print(f"{name} ({header}; accuracy, fit seconds)", flush=True)

    def model():
        epochs = {"max_epochs": SMOKE_EPOCHS} if args.smoke else {}
        return RNNClassifier(random_state=SEED, **epochs)

    print(line("RNNClassifier()", ours(model, train, test, args.smoke)), flush=True)
    path = save_classification(folder, train, test)
    for label, (environment, worker_name) in CLASSIFIERS.items():
        result = run_peer(pythons[environment], worker_name, path, args)
        print(line(label, result), flush=True)


def forecasting(args, pythons, folder):
    """Airline: our forecaster, default and recommended, then darts'."""
    from sklearn_rnn import RNNForecaster, RNNRegressor
    from sklearn_rnn.datasets import load_airline

    y = load_airline()
    train, truth = y.iloc[:-N_TEST_MONTHS], y.to_numpy()[-N_TEST_MONTHS:]
    print(f"Airline (120/{N_TEST_MONTHS} months; MAE, fit seconds)", flush=True)
    regressor = {}
    if args.smoke:
        regressor["regressor"] = RNNRegressor(
            input_scaling=None, max_epochs=SMOKE_EPOCHS
        )
    settings = {
        "RNNForecaster()": {},
        "RNNForecaster(log, linear AR)": {
            "transform": "log",
            "linear_autoregression": True,
        },
    }
    for label, params in settings.items():
        model = RNNForecaster(random_state=SEED, **params, **regressor)
        start = time.perf_counter()
        model.fit(train)
        seconds = time.perf_counter() - start
        error = float(np.mean(np.abs(model.forecast(N_TEST_MONTHS) - truth)))
        note = f"max_epochs={SMOKE_EPOCHS}" if args.smoke else ""
        result = {"score": error, "seconds": seconds, "note": note}
        print(line(label, result, digits=1), flush=True)
    path = Path(folder) / "airline.npz"
    np.savez(path, y=y.to_numpy(), n_test=N_TEST_MONTHS, start=str(y.index[0]))
    for label, (environment, worker_name) in FORECASTERS.items():
        result = run_peer(pythons[environment], worker_name, path, args)
        print(line(label, result, digits=1), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 epochs, one set")
    parser.add_argument("--datasets", nargs="+", choices=SUITE)
    parser.add_argument("--no-forecasting", action="store_true")
    parser.add_argument(
        "--budget",
        type=float,
        default=600,
        help="seconds a TensorFlow fit of default epochs may take",
    )
    parser.add_argument(
        "--reduced-epochs",
        type=int,
        default=200,
        help="epochs of a TensorFlow fit whose default is projected past the budget",
    )
    parser.add_argument(
        "--torch-venv",
        default=os.environ.get("PEERS_TORCH_VENV", "/work/peers/venv"),
        help="the environment of tsai and darts",
    )
    parser.add_argument(
        "--tf-venv",
        default=os.environ.get("PEERS_TF_VENV", "/work/peers/tf"),
        help="the environment of sktime and aeon",
    )
    parser.add_argument("--worker", nargs=2, metavar=("LIB", "DATA"))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, args.smoke, args.budget, args.reduced_epochs)
        return
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    pythons = {
        "torch": str(Path(args.torch_venv) / "bin" / "python"),
        "tf": str(Path(args.tf_venv) / "bin" / "python"),
    }
    names = args.datasets or ((SMOKE_DATASET,) if args.smoke else SUITE)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            classification(name, args, pythons, folder)
        if not args.no_forecasting:
            forecasting(args, pythons, folder)
    print(f"Total: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
