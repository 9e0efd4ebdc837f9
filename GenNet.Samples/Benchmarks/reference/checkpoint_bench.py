"""PyTorch reference for `bench checkpoint`: torch.save / torch.load of a state_dict of the same tensors.

    checkpoint_bench.py --folder DIR --tensors N --rows R --cols C

Prints `torch_save_s=S torch_load_s=S` for one save and one load (after one untimed warm-up of each), in DIR, next
to the files GenNet writes in the same run.
"""
import argparse
import os
import time
from collections import OrderedDict

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--folder", required=True)
parser.add_argument("--tensors", type=int, required=True)
parser.add_argument("--rows", type=int, required=True)
parser.add_argument("--cols", type=int, required=True)
args = parser.parse_args()

torch.manual_seed(0)
state = OrderedDict((f"layers.{i}.weight", torch.rand(args.rows, args.cols)) for i in range(args.tensors))
path = os.path.join(args.folder, "torch.pt")


def save():
    if os.path.exists(path):
        os.remove(path)  # every contender writes a new file
    os.sync()  # as the C# side: earlier writes' dirty pages must not throttle this one
    start = time.perf_counter()
    torch.save(state, path)
    return time.perf_counter() - start


def load():
    os.sync()
    start = time.perf_counter()
    loaded = torch.load(path)
    elapsed = time.perf_counter() - start
    assert len(loaded) == args.tensors
    return elapsed


save(), load()
print(f"torch_save_s={save():.4f} torch_load_s={load():.4f}")
os.remove(path)
