"""A small Linear-heavy network: the kind of model dynamic int8 quantization is made for.

Four Linear layers hold almost all of its 2.7 M parameters. Try the "Profile variants" lens on
`model = LinearHeavy(...)`, or:

    greenlens profile-torch examples/linear_heavy.py:27 --python /usr/bin/python3
"""
import torch
from torch import nn


class LinearHeavy(nn.Module):
    def __init__(self, features: int = 512, hidden: int = 1024, classes: int = 100):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(features, hidden), nn.GELU(),
            nn.Linear(hidden, hidden), nn.GELU(),
            nn.Linear(hidden, hidden), nn.GELU(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(0)
model = LinearHeavy(features=512, hidden=1024, classes=100).eval()

if __name__ == "__main__":
    with torch.inference_mode():
        print(model(torch.randn(8, 512)).argmax(1).tolist())
