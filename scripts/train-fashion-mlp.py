#!/usr/bin/env python3
"""Trains the example classifier shipped in examples/models: a small MLP on Fashion-MNIST.

Real labelled data (Debian's dataset-fashion-mnist), real trained weights, exported to ONNX with a
dynamic batch axis, and its PyTorch weights (a state_dict of the nn.Sequential) for
examples/fashion_mlp.py. It also writes a labelled test sample in GreenLens's dataset format
(inputs.npy + labels.json) so that the accuracy of optimized variants can be measured on real data.

Run with Debian's interpreter (it has torch): /usr/bin/python3 scripts/train-fashion-mlp.py
Takes about half a minute on 2 cores. Deterministic for a given torch build (fixed seeds).
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
from torch import nn

DATA = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT_MODEL = os.path.join(ROOT, "examples", "models", "fashion_mlp.onnx")
OUT_WEIGHTS = os.path.join(ROOT, "examples", "models", "fashion_mlp.pt")
OUT_DATA = os.path.join(ROOT, "examples", "data", "fashion-mnist-test")
TEST_SAMPLES = 1000
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(name: str) -> np.ndarray:
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main() -> int:
    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    x_train = read_idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    y_train = read_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    x_test = read_idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    y_test = read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for epoch in range(5):
        model.train()
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.inference_mode():
            acc = (model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean()
        print(f"epoch {epoch + 1}: test accuracy {acc * 100:.2f} %")

    os.makedirs(os.path.dirname(OUT_MODEL), exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 784), OUT_MODEL, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    # Saved after the export and from the same trained model, so the ONNX file stays what it was.
    torch.save(model.state_dict(), OUT_WEIGHTS)
    os.makedirs(OUT_DATA, exist_ok=True)
    np.save(os.path.join(OUT_DATA, "inputs.npy"), x_test[:TEST_SAMPLES])
    with open(os.path.join(OUT_DATA, "labels.json"), "w") as f:
        json.dump({"classes": CLASSES, "labels": y_test[:TEST_SAMPLES].tolist(),
                   "source": "Fashion-MNIST test set (first %d images), Zalando Research, MIT licence" % TEST_SAMPLES}, f)
    print(f"wrote {OUT_MODEL} ({os.path.getsize(OUT_MODEL)} bytes), {OUT_WEIGHTS} ({os.path.getsize(OUT_WEIGHTS)} bytes) and {OUT_DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
