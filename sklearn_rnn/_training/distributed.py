"""Data-parallel training when ``fit`` runs in a torch.distributed process group.

Under ``torchrun`` (or any launcher that initializes the default process
group), every process calls ``fit`` on the same data. The processes agree on
one seed, so they build the same network and draw the same shuffled,
length-bucketed batches; each trains on every N-th of them, and
``DistributedDataParallel`` averages the gradients, so the copies stay equal.
The epoch's training loss is averaged over the processes too, so that stopping
rules decide alike everywhere (a process that stopped alone would leave the
others waiting for its gradients).
"""

import torch
import torch.distributed as dist
from skorch.callbacks import Callback
from torch.nn.parallel import DistributedDataParallel

__all__ = [
    "AverageLossOverProcesses",
    "ProcessGroup",
    "process_group",
]


class ProcessGroup:
    """The rank and size of the default process group a fit runs in."""

    def __init__(self, rank, size):
        self.rank = rank
        self.size = size

    def shared_seed(self, seed):
        """Rank 0's ``seed``, in every process."""
        seeds = [seed]
        dist.broadcast_object_list(seeds, src=0)
        return seeds[0]

    def shard(self, batches):
        """This process's share: every ``size``-th batch from ``rank``, as
        many in each process (DDP steps in lockstep)."""
        if len(batches) < self.size:
            raise ValueError(
                f"An epoch has {len(batches)} batch(es), fewer than the "
                f"{self.size} processes training together; lower batch_size."
            )
        usable = len(batches) - len(batches) % self.size
        return batches[self.rank : usable : self.size]

    def wrap(self, module, device):
        """``module`` in DistributedDataParallel, on ``device``."""
        device_ids = [torch.device(device)] if device.startswith("cuda") else None
        return DistributedDataParallel(module, device_ids=device_ids)


def process_group():
    """The :class:`ProcessGroup` of this process, or None outside one (or in a
    group of one process)."""
    if not (dist.is_available() and dist.is_initialized()):
        return None
    if dist.get_world_size() == 1:
        return None
    return ProcessGroup(dist.get_rank(), dist.get_world_size())


class AverageLossOverProcesses(Callback):
    """Replace the epoch's training loss by its mean over the processes, before
    the callbacks that read it decide anything."""

    def on_epoch_end(self, net, **kwargs):
        # NCCL reduces CUDA tensors only.
        device = net.device if str(net.device).startswith("cuda") else "cpu"
        loss = torch.tensor(
            net.history[-1, "train_loss"], dtype=torch.float64, device=device
        )
        dist.all_reduce(loss)
        net.history.record("train_loss", loss.item() / dist.get_world_size())
