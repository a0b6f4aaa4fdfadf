"""Classify a folder of images with a pretrained ResNet-152 (torchvision)."""
import sys
from pathlib import Path

import torch
import torchvision.models as tvm
from PIL import Image
from torchvision import transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
model = tvm.resnet152(weights=tvm.ResNet152_Weights.IMAGENET1K_V2).to(device)

preprocess = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def classify(folder: str) -> None:
    for path in sorted(Path(folder).glob("*.jpg")):
        image = preprocess(Image.open(path).convert("RGB")).unsqueeze(0).to(device)
        logits = model(image)
        print(path.name, int(logits.argmax(dim=1)))


if __name__ == "__main__":
    classify(sys.argv[1] if len(sys.argv) > 1 else "images")
