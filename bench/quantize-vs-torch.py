"""Helper of bench/quantize-vs-torch.ts: defines the two architectures, exports them to ONNX, and times
torch fp32 against torch.ao.quantization.quantize_dynamic (onednn engine) on the same inputs.

Usage: /usr/bin/python3 bench/quantize-vs-torch.py OUT_DIR
Prints one JSON line: {"transformer": {...}, "mlp": {...}} with paths, input shapes and torch speed-ups.
"""
import json
import os
import sys
import time

import torch
from torch import nn

SEQ, D_MODEL, BATCH_MLP, WIDTH = 64, 512, 16, 1024


def transformer() -> nn.Module:
    # batch_first=False keeps torch 1.13 off its fused fast path in both fp32 and int8: the fast path's
    # device check crashes on quantize_dynamic's packed weights, and comparing fused fp32 with unfused
    # int8 would not be like for like.
    layer = nn.TransformerEncoderLayer(d_model=D_MODEL, nhead=8, dim_feedforward=2048, dropout=0.0, batch_first=False)
    return nn.TransformerEncoder(layer, num_layers=6, enable_nested_tensor=False).eval()


def mlp() -> nn.Module:
    layers = []
    for _ in range(4):
        layers += [nn.Linear(WIDTH, WIDTH), nn.ReLU()]
    return nn.Sequential(*layers[:-1]).eval()


def median_ms(model: nn.Module, x: torch.Tensor, seconds: float) -> float:
    with torch.inference_mode():
        for _ in range(5):
            model(x)
        times = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 20:
            t = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2] * 1000


def run(name: str, model: nn.Module, x: torch.Tensor, out_dir: str, seconds: float) -> dict:
    path = os.path.join(out_dir, f"{name}.onnx")
    # Exported with gradients on: torch's fused inference fast path is not exportable.
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], opset_version=13, do_constant_folding=True)
    fp32 = median_ms(model, x, seconds)
    q = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
    int8 = median_ms(q, x, seconds)
    return {"onnx": path, "shape": list(x.shape), "torch_fp32_ms": fp32, "torch_int8_ms": int8, "torch_speedup": fp32 / int8}


def main() -> int:
    out_dir = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    torch.backends.quantized.engine = "onednn"
    torch.set_num_threads(os.cpu_count() or 1)
    res = {
        "transformer": run("transformer", transformer(), torch.randn(SEQ, 1, D_MODEL), out_dir, seconds),
        "mlp": run("mlp", mlp(), torch.randn(BATCH_MLP, WIDTH), out_dir, seconds),
        "torch": torch.__version__, "engine": torch.backends.quantized.engine, "threads": torch.get_num_threads(),
    }
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
