"""Helper of bench/quantize-vs-torch.ts: defines the two architectures, exports them to ONNX, and times
torch fp32 against torch.ao.quantization.quantize_dynamic (onednn engine) on request, so that the
TypeScript side can interleave torch blocks with onnxruntime blocks under the same machine load.

Usage: /usr/bin/python3 bench/quantize-vs-torch.py OUT_DIR THREADS
Prints one JSON line when ready ({"models": {...}, "torch": ..., "engine": ..., "threads": ...}), then
answers each JSON request line on stdin:
  {"model": "mlp", "seconds": 0.6, "flip": false}  ->  {"fp32": [ms, ...], "int8": [ms, ...]}
Each block runs fp32/int8 pairs back to back (int8 first when "flip"), at least 3 pairs.
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


def timed(model: nn.Module, x: torch.Tensor) -> float:
    t = time.perf_counter()
    model(x)
    return (time.perf_counter() - t) * 1000


def block(pair, seconds: float, flip: bool) -> dict:
    fp32, int8, x = pair
    out = {"fp32": [], "int8": []}
    end = time.perf_counter() + seconds
    with torch.inference_mode():
        while time.perf_counter() < end or len(out["fp32"]) < 3:
            if flip:
                out["int8"].append(timed(int8, x))
                out["fp32"].append(timed(fp32, x))
            else:
                out["fp32"].append(timed(fp32, x))
                out["int8"].append(timed(int8, x))
    return out


def prepare(name: str, model: nn.Module, x: torch.Tensor, out_dir: str):
    path = os.path.join(out_dir, f"{name}.onnx")
    # Exported with gradients on: torch's fused inference fast path is not exportable.
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], opset_version=13, do_constant_folding=True)
    # Only nn.Linear modules: what quantize_dynamic's default mapping covers (attention's in-projection is
    # a bare parameter and its out-projection a NonDynamicallyQuantizableLinear, so both stay fp32).
    q = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
    with torch.inference_mode():
        for _ in range(5):
            model(x)
            q(x)
    quantized = sum(1 for m in q.modules() if isinstance(m, torch.nn.quantized.dynamic.Linear))
    return (model, q, x), {"onnx": path, "shape": list(x.shape), "torch_quantized_linears": quantized}


def main() -> int:
    out_dir = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 1)
    os.makedirs(out_dir, exist_ok=True)
    # Before any parallel work: torch fixes its pools on first use.
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    torch.backends.quantized.engine = "onednn"
    pairs, info = {}, {}
    for name, model, x in (("transformer", transformer(), torch.randn(SEQ, 1, D_MODEL)), ("mlp", mlp(), torch.randn(BATCH_MLP, WIDTH))):
        pairs[name], info[name] = prepare(name, model, x, out_dir)
    print(json.dumps({"models": info, "torch": torch.__version__, "engine": torch.backends.quantized.engine, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        print(json.dumps(block(pairs[req["model"]], float(req["seconds"]), bool(req.get("flip")))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
