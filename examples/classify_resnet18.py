"""Classify images with a torchvision ResNet-18 (its pretrained weights download on first use).

The "Profile variants" lens on the `models.resnet18(...)` line measures dynamic quantization, torch.compile,
pruning and half precision on this machine; without the weights in the torch hub cache it uses random
weights and says so. From a terminal:

    greenlens profile-torch examples/classify_resnet18.py:15 --python /usr/bin/python3
"""
import sys

import torch
from PIL import Image
from torchvision import models

model = models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)
model.eval()
preprocess = models.ResNet18_Weights.IMAGENET1K_V1.transforms()


def classify(paths):
    with torch.inference_mode():
        for path in paths:
            logits = model(preprocess(Image.open(path).convert("RGB")).unsqueeze(0))
            print(path, int(logits.argmax(1)))


if __name__ == "__main__":
    classify(sys.argv[1:])
