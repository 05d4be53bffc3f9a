"""Train one RNNClassifier on several GPUs (or processes) with PyTorch's DDP.

``device`` names one device, so ``fit`` trains on one. For more, each process
(one per GPU, started by ``torchrun``) builds the same estimator with a short
fit (the same ``random_state`` gives every process the same classes, input
statistics and initial weights), wraps its network in
``DistributedDataParallel``, and trains on its share of the length-bucketed
batches; DDP averages the gradients, so the copies stay equal. The estimator
holds the network it trained, so rank 0 saves a complete, fitted model.

Run, on a machine with N GPUs:

    torchrun --nproc_per_node=N examples/distributed_training.py

and without GPUs (or on one, N processes sharing it), with the gloo backend:

    torchrun --nproc_per_node=2 examples/distributed_training.py --backend gloo

Needs the datasets extra (JapaneseVowels).
"""

import argparse
import os
import time

import joblib
import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from sklearn_rnn import (
    LengthBucketSampler,
    RNNClassifier,
    SequenceDataset,
    check_sequences,
)
from sklearn_rnn.datasets import load_japanese_vowels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="nccl", choices=["nccl", "gloo"])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--out", default="model.joblib")
    args = parser.parse_args()
    dist.init_process_group(args.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    if torch.cuda.is_available():
        device = f"cuda:{int(os.environ['LOCAL_RANK']) % torch.cuda.device_count()}"
    else:
        device = "cpu"

    X, y = load_japanese_vowels("train")
    X_test, y_test = load_japanese_vowels("test")
    # One epoch builds the network and every fitted attribute, the same in
    # every process.
    model = RNNClassifier(max_epochs=1, device=device, random_state=0).fit(X, y)
    network = model.net_.module_
    parallel = DistributedDataParallel(
        network, device_ids=None if device == "cpu" else [torch.device(device)]
    )
    optimizer = torch.optim.Adam(parallel.parameters(), lr=model.net_.lr)
    loss_function = model.net_.criterion_
    padded, lengths, _ = check_sequences(X)
    dataset = SequenceDataset(padded, lengths, np.searchsorted(model.classes_, y))
    batch_size = model.net_.batch_size
    start = time.perf_counter()
    parallel.train()
    for epoch in range(args.epochs):
        # The same shuffled batches in every process; each takes every
        # world-th one, and all take as many (DDP steps in lockstep).
        generator = torch.Generator().manual_seed(epoch)
        batches = list(
            LengthBucketSampler(lengths, batch_size, shuffle=True, generator=generator)
        )
        mine = batches[rank : len(batches) - len(batches) % world : world]
        for indices in mine:
            inputs, targets = dataset[indices]
            optimizer.zero_grad()
            outputs = parallel(inputs["X"].to(device), inputs["lengths"])
            loss = loss_function(outputs, targets.to(device))
            loss.backward()
            optimizer.step()
    elapsed = time.perf_counter() - start
    network.eval()
    # Every copy holds the same weights: DDP averaged the gradients.
    checksum = torch.cat([p.detach().flatten() for p in network.parameters()]).sum()
    sums = [torch.zeros_like(checksum) for _ in range(world)]
    dist.all_gather(sums, checksum)
    if rank == 0:
        same = all(torch.equal(total, sums[0]) for total in sums)
        print(
            f"{world} processes on {device}: {args.epochs} epochs in {elapsed:.1f} s, "
            f"weights equal across processes: {same}, test accuracy "
            f"{model.score(X_test, y_test):.3f}"
        )
        joblib.dump(model, args.out)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
