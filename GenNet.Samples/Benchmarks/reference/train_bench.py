"""PyTorch reference for `bench train`: the lesson's MLP (784-50-ReLU-10, SGD lr 0.1) on Fashion-MNIST with a plain
hand loop (randperm + index_select, batch 50; validation batch 100 under no_grad), timed per epoch.

Prints `blas=...`, then one `epoch_s=S valid_accuracy=A` line per timed epoch. Run by GenNet's `bench train` with
/usr/bin/python3 (Debian's python3-torch; install libopenblas0-openmp as well, or torch uses the slow reference BLAS).
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_idx(path, magic_expected):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">i", data[:4])[0]
    if magic != magic_expected:
        raise SystemExit(f"{path}: bad IDX magic {magic:#x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "i" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(folder):
    def images(name):
        a = read_idx(os.path.join(folder, name), 0x803)
        return torch.tensor(a.reshape(a.shape[0], -1), dtype=torch.float32) / 255.0

    def labels(name):
        return torch.tensor(read_idx(os.path.join(folder, name), 0x801).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def blas_name():
    for lib in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3"):
        if os.path.exists(lib):
            return os.path.realpath(lib)
    return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train, x_valid, y_valid = load(args.data)
    model = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    bs = 50
    print(f"blas={blas_name()} torch={torch.__version__} threads={torch.get_num_threads()}", flush=True)

    for epoch in range(args.warmup + args.epochs):
        start = time.perf_counter()
        model.train()
        n = x_train.shape[0]
        perm = torch.randperm(n)
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            xb, yb = x_train.index_select(0, idx), y_train.index_select(0, idx)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        tot_loss, tot_acc, count = 0.0, 0.0, 0
        with torch.no_grad():
            for i in range(0, x_valid.shape[0], bs * 2):
                xb, yb = x_valid[i:i + bs * 2], y_valid[i:i + bs * 2]
                preds = model(xb)
                m = len(xb)
                tot_loss += F.cross_entropy(preds, yb).item() * m
                tot_acc += (preds.argmax(dim=1) == yb).float().mean().item() * m
                count += m
        seconds = time.perf_counter() - start
        if epoch >= args.warmup:
            print(f"epoch_s={seconds:.4f} valid_accuracy={tot_acc / count:.4f}", flush=True)


if __name__ == "__main__":
    main()
