# SPDX-License-Identifier: MIT
"""Fashion-MNIST with a step-activation MLP in PyTorch, trained through
infnum.torch under one of the engine's gradient estimators.

The setting mirrors the C experiment infnum-fmnist (experiments/fmnist): the
first `train_subset` training images train and the last `valid` are held out,
inputs are standardised per pixel with the training images' mean and
standard deviation (sd 1 where below 1e-6), the network is 784-H-10 with He
initialisation and zero biases, the loss the mean softmax cross-entropy,
Adam (lr 1e-3) on mini-batches of 128 in a fresh random order each epoch.
Prints one line per epoch and the final test accuracy.

    python python/examples/fmnist_step.py --estimator kernel:sigma=0.5 --seed 0

Data: the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
"""
from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import numpy as np
import torch

import infnum
import infnum.torch as it

FILES = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
         "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzip or plain): header 00 00 08 ndim, big-endian dims."""
    with (gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")) as f:
        data = f.read()
    if len(data) < 4 or data[:3] != b"\0\0\x08" or data[3] < 1:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    nd = data[3]
    dims = np.frombuffer(data, dtype=">u4", count=nd, offset=4).astype(np.int64)
    if len(data) != 4 + 4 * nd + int(np.prod(dims)):
        raise ValueError(f"{path}: size does not match its header {dims.tolist()}")
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def load(data: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    paths = [data / name for name in FILES[split]]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"missing {', '.join(missing)} (Debian package dataset-fashion-mnist)")
    x, y = read_idx(paths[0]), read_idx(paths[1])
    return x.reshape(len(x), -1).astype(np.float64), y.astype(np.int64)


def activation(name: str, est: str) -> torch.nn.Module:
    if name.startswith("round_"):
        return it.RoundK(int(name[len("round_"):]), est)
    return it.Activation(name, est)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--activation", default="step", help="step | sign | round_K (default step)")
    ap.add_argument("--estimator", default="kernel:sigma=0.5",
                    help="an estimator spec (default kernel:sigma=0.5); kinds: "
                         + ", ".join(infnum.estimator_kinds()))
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--train-subset", type=int, default=10000)
    ap.add_argument("--valid", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                    help="parameters and activations (default float64, as the C engine)")
    a = ap.parse_args()
    if min(a.hidden, a.epochs, a.batch, a.train_subset) < 1 or a.valid < 0 or not a.lr > 0:
        ap.error("hidden, epochs, batch, train-subset must be positive, valid ≥ 0, lr > 0")
    try:
        infnum.Estimator(a.estimator)
        act = activation(a.activation, a.estimator)
        xtr, ytr = load(a.data, "train")
        xte, yte = load(a.data, "test")
    except (infnum.InfnumError, ValueError) as e:
        print(f"fmnist_step: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"fmnist_step: {e}", file=sys.stderr)
        return 1
    ntr = min(len(xtr) - a.valid, a.train_subset)
    xva, yva = xtr[len(xtr) - a.valid:], ytr[len(ytr) - a.valid:]
    xtr, ytr = xtr[:ntr], ytr[:ntr]
    mean, sd = xtr.mean(0), xtr.std(0)
    sd[sd <= 1e-6] = 1.0
    dtype = getattr(torch, a.dtype)
    # float32 inputs, as the C experiment stores them
    std = lambda x: torch.tensor((x - mean) / sd, dtype=torch.float32).to(dtype)
    xtr_t, xva_t, xte_t = std(xtr), std(xva), std(xte)
    ytr_t, yva_t, yte_t = (torch.tensor(y) for y in (ytr, yva, yte))

    torch.manual_seed(a.seed)
    net = torch.nn.Sequential(torch.nn.Linear(784, a.hidden), act, torch.nn.Linear(a.hidden, 10)).to(dtype)
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.normal_(m.weight, 0.0, (2.0 / m.in_features) ** 0.5)
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    gen = torch.Generator().manual_seed(a.seed)

    def accuracy(x: torch.Tensor, y: torch.Tensor) -> float:
        with torch.no_grad():
            return float((net(x).argmax(1) == y).double().mean()) if len(y) else float("nan")

    print(f"# {a.activation} 784-{a.hidden}-10, estimator {a.estimator}, seed {a.seed}, "
          f"{ntr} train / {len(yva)} valid / {len(yte)} test")
    print("epoch train_loss valid_acc test_acc")
    for epoch in range(a.epochs):
        perm = torch.randperm(ntr, generator=gen)
        total = 0.0
        for i in range(0, ntr, a.batch):
            idx = perm[i:i + a.batch]
            loss = torch.nn.functional.cross_entropy(net(xtr_t[idx]), ytr_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"{epoch + 1} {total / ntr:.4f} {accuracy(xva_t, yva_t):.4f} {accuracy(xte_t, yte_t):.4f}")
    print(f"final test_acc {accuracy(xte_t, yte_t):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
