"""PyTorch reference for `bench loader` (GenNet.Samples/Benchmarks/LoaderBench.cs).

One shuffled epoch over the 60k Fashion-MNIST training images (or random data of the same shape), batch 50, no model;
median samples/s over N epochs after a warm-up. Prints one line per configuration, then
`pytorch: tensor_default=N batch_sampler=N per_item=N png_0w=N png_2w=N best=N`.

Usage: /usr/bin/python3 loader_bench.py [--images PATH.gz] [--epochs 5] [--png-epochs 3]
"""
import argparse, gzip, io, statistics, sys, time

import numpy as np
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

torch.set_num_threads(2)
BS = 50


def load_images(path):
    if path:
        with gzip.open(path, "rb") as f:
            raw = f.read()
        n, rows, cols = (int.from_bytes(raw[o:o + 4], "big") for o in (4, 8, 12))
        pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)
        return pixels, "fashion-mnist"
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(60000, 784), dtype=np.uint8), "random"


class LessonDataset:
    """The lesson's per-item Dataset: ds[i] -> (x[i], y[i]); ds[list] -> a whole batch."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def epoch_rate(loader, n):
    start = time.perf_counter()
    count = 0
    for xb, yb in loader:
        count += len(yb)
    elapsed = time.perf_counter() - start
    assert count == n, (count, n)
    return n / elapsed


def measure(name, make_loader, n, epochs):
    loader = make_loader()
    epoch_rate(loader, n)  # warm-up (and worker start-up with workers)
    rates = [epoch_rate(loader, n) for _ in range(epochs)]
    median = statistics.median(rates)
    print(f"{name:<16} median={median:,.0f}/s best={max(rates):,.0f}/s epochs={epochs}", flush=True)
    return median


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--png-epochs", type=int, default=3)
    args = parser.parse_args()

    pixels, source = load_images(args.images)
    n = len(pixels)
    x = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    y = torch.randint(0, 10, (n,), generator=torch.Generator().manual_seed(0))
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, data: {source} {tuple(x.shape)}", flush=True)

    results = {}
    tds = TensorDataset(x, y)
    results["tensor_default"] = measure(
        "tensor_default", lambda: DataLoader(tds, batch_size=BS, shuffle=True), n, args.epochs)
    lesson = LessonDataset(x, y)
    # The lesson's trick: each "index" is a list, ds[list] is a whole batch, batch_size=None skips re-collating.
    results["batch_sampler"] = measure(
        "batch_sampler",
        lambda: DataLoader(lesson, sampler=BatchSampler(RandomSampler(lesson), BS, drop_last=False), batch_size=None),
        n, args.epochs)
    results["per_item"] = measure(
        "per_item", lambda: DataLoader(lesson, batch_size=BS, shuffle=True), n, args.epochs)

    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        pngs = []
        for row in pixels:
            buf = io.BytesIO()
            Image.fromarray(row.reshape(28, 28), mode="L").save(buf, format="PNG")
            pngs.append(buf.getvalue())

        class PngDataset:
            def __len__(self):
                return n

            def __getitem__(self, i):
                img = Image.open(io.BytesIO(pngs[i]))
                arr = np.asarray(img, dtype=np.uint8).reshape(784).astype(np.float32) / 255.0
                return torch.from_numpy(arr), y[i]

        pds = PngDataset()
        results["png_0w"] = measure("png_0w", lambda: DataLoader(pds, batch_size=BS, shuffle=True), n, args.png_epochs)
        results["png_2w"] = measure(
            "png_2w", lambda: DataLoader(pds, batch_size=BS, shuffle=True, num_workers=2, persistent_workers=True),
            n, args.png_epochs)

    best = max(results[k] for k in ("tensor_default", "batch_sampler", "per_item"))
    fields = " ".join(f"{k}={v:.0f}" for k, v in results.items())
    print(f"pytorch: {fields} best={best:.0f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
