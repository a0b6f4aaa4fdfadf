#!/usr/bin/env python3
"""Export torchvision classifiers to ONNX with random weights, as test material for the ONNX analyzer.

Pretrained weights are downloads, so the architectures are exported with random initialisation. Heads that
torchvision initialises to zero (ViT) would make every output identical, so they are re-initialised, and a
few train-mode forwards give the BatchNorm layers non-trivial running statistics before export.

Usage: python3 scripts/export-torchvision.py OUT_DIR [name ...]   (default: resnet18 mobilenet_v3_small vit_b_16)
Each model is written to OUT_DIR/<name>.onnx with a symbolic batch dimension named "batch". Existing files
are left alone, so the script is idempotent.
"""
import os
import sys

import torch
import torchvision

DEFAULT = ["resnet18", "mobilenet_v3_small", "vit_b_16"]


def reinit_zero_heads(model: torch.nn.Module) -> None:
    """Give zero-initialised linear layers (ViT's head) random weights so outputs differ between inputs."""
    for module in model.modules():
        if isinstance(module, torch.nn.Linear) and not torch.any(module.weight):
            torch.nn.init.normal_(module.weight, std=0.02)


def export(name: str, out_dir: str) -> None:
    path = os.path.join(out_dir, f"{name}.onnx")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        print(f"{path} exists, kept")
        return
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    reinit_zero_heads(model)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, 224, 224))
    model.eval()
    tmp = path + ".tmp"
    torch.onnx.export(
        model, torch.randn(1, 3, 224, 224), tmp, opset_version=14,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
    )
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)")


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name in sys.argv[2:] or DEFAULT:
        export(name, out_dir)


if __name__ == "__main__":
    main()
