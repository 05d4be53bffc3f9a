"""Train one RNNClassifier in several processes (data-parallel, under torchrun).

When ``fit`` runs in an initialized torch.distributed process group, it trains
one model across the processes: they agree on one seed, each trains on its
share of every epoch's length-bucketed batches, and DistributedDataParallel
averages the gradients, so every process ends with the same fitted estimator.
Rank 0 saves it.

Run, on a machine with N GPUs (one process a GPU):

    torchrun --nproc_per_node=N examples/distributed_training.py

and on CPUs (N processes, the gloo backend):

    torchrun --nproc_per_node=2 examples/distributed_training.py --backend gloo

Needs the datasets extra (JapaneseVowels).
"""

import argparse
import os
import time

import joblib
import torch
import torch.distributed as dist

from sklearn_rnn import RNNClassifier
from sklearn_rnn.datasets import load_japanese_vowels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="nccl", choices=["nccl", "gloo"])
    parser.add_argument("--epochs", default="auto")
    parser.add_argument("--out", default="model.joblib")
    args = parser.parse_args()
    dist.init_process_group(args.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = "cpu"
    if torch.cuda.is_available():
        device = f"cuda:{int(os.environ['LOCAL_RANK']) % torch.cuda.device_count()}"
        torch.cuda.set_device(device)
    max_epochs = args.epochs if args.epochs == "auto" else int(args.epochs)

    X, y = load_japanese_vowels("train")
    X_test, y_test = load_japanese_vowels("test")
    model = RNNClassifier(max_epochs=max_epochs, device=device, random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    elapsed = time.perf_counter() - start

    # Every process holds the same weights: DDP averaged the gradients.
    weights = torch.cat([p.detach().flatten() for p in model.net_.module_.parameters()])
    copies = [torch.zeros_like(weights) for _ in range(world)]
    dist.all_gather(copies, weights)
    if rank == 0:
        same = all(torch.equal(copy, weights) for copy in copies)
        print(
            f"{world} processes on {device}: {model.n_iter_} epochs in "
            f"{elapsed:.1f} s, weights equal across processes: {same}, test "
            f"accuracy {model.score(X_test, y_test):.3f}"
        )
        joblib.dump(model, args.out)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
