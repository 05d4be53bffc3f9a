"""The distributed training example: two processes train one model with DDP."""

import os
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np

SCRIPT = Path(__file__).parents[1] / "examples" / "distributed_training.py"


def test_two_processes_train_one_model_and_save_it(tmp_path):
    out = tmp_path / "model.joblib"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node=2",
            str(SCRIPT),
            "--backend=gloo",
            "--epochs=3",
            f"--out={out}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 processes on cpu" in result.stdout
    assert "weights equal across processes: True" in result.stdout
    model = joblib.load(out)
    assert model.predict(np.random.default_rng(0).normal(size=(3, 10, 12))).shape == (
        3,
    )
