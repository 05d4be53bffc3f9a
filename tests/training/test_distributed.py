"""Data-parallel training: under torchrun, two processes train one model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest

# Slow: process groups of two processes; -m "not slow" leaves it out.
pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parents[2] / "examples" / "distributed_training.py"
FITS = Path(__file__).parent / "distributed_fit.py"


def _torchrun(script, *arguments):
    """Run ``script`` in two CPU processes (gloo); its output."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node=2",
            str(script),
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_fits_in_a_process_group_train_one_model_in_every_process():
    report = json.loads(_torchrun(FITS).strip().splitlines()[-1])
    assert report["classifier_weights_equal"]
    assert report["classifier_history_equal"]  # the averaged training loss
    assert report["classifier_accuracy"] > 0.8
    epochs, shrinkage = report["regressor_epochs"], report["regressor_shrinkage"]
    assert epochs[0] == epochs[1] < 30  # stopped together, early
    assert shrinkage[0] == shrinkage[1]
    assert "fewer than the 2 processes" in report["too_few_batches"]


def test_the_example_trains_one_model_and_rank_0_saves_it(tmp_path):
    out = tmp_path / "model.joblib"
    stdout = _torchrun(EXAMPLE, "--backend=gloo", "--epochs=3", f"--out={out}")
    assert "2 processes on cpu" in stdout
    assert "weights equal across processes: True" in stdout
    model = joblib.load(out)
    assert model.predict(np.random.default_rng(0).normal(size=(3, 10, 12))).shape == (
        3,
    )
