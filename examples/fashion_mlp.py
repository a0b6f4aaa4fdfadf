"""The Fashion-MNIST classifier of models/fashion_mlp.onnx as a PyTorch module, with its trained weights.

scripts/train-fashion-mlp.py trains it on real data and saves its weights to models/fashion_mlp.pt from the
same run as the ONNX export. Profile it with the "Profile variants" lens on `model = FashionMLP()`, or:

    greenlens profile-torch examples/fashion_mlp.py:26 --python /usr/bin/python3 \
        --dataset examples/data/fashion-mnist-test
"""
from pathlib import Path

import torch
from torch import nn

WEIGHTS = Path(__file__).parent / "models" / "fashion_mlp.pt"


class FashionMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


model = FashionMLP()
model.net.load_state_dict(torch.load(WEIGHTS, map_location="cpu"))
model.eval()

if __name__ == "__main__":
    import json

    import numpy as np

    data = Path(__file__).parent / "data" / "fashion-mnist-test"
    images = torch.from_numpy(np.load(data / "inputs.npy"))
    labels = np.array(json.loads((data / "labels.json").read_text())["labels"])
    with torch.inference_mode():
        predicted = model(images).argmax(1).numpy()
    print(f"accuracy {(predicted == labels).mean() * 100:.1f} % on {len(labels)} test images")
