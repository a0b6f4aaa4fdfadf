"""Lists torchvision's ImageNet classification builders and their weights' metadata (parameters, top-1,
top-5, crop size) as JSON, for scripts/gen-catalog.mjs. Reads only torchvision's source and weight
metadata: no weights are downloaded and no model is built.
Usage: /usr/bin/python3 scripts/gen-catalog-torchvision.py > src/catalog/data/torchvision.json
"""
import json
import sys

import torchvision
from torchvision import models


def finite(x):
    """JSON has no NaN: weights without a published metric (a few vit_h_14 variants) get null."""
    return x if isinstance(x, (int, float)) and x == x else None


def weight_info(w):
    meta = w.meta
    metrics = meta.get("_metrics", {}).get("ImageNet-1K", {})
    crop = getattr(w.transforms, "keywords", {}).get("crop_size")
    return {
        "name": w.name,
        "numParams": meta.get("num_params"),
        "acc1": finite(metrics.get("acc@1")),
        "acc5": finite(metrics.get("acc@5")),
        "cropSize": crop,
    }


def main():
    out = []
    for name in sorted(models.list_models(module=models)):
        try:
            weights_enum = models.get_model_weights(name)
        except Exception:  # a builder without registered weights
            continue
        out.append({"builder": name, "weights": [weight_info(w) for w in weights_enum]})
    json.dump({"torchvision": torchvision.__version__, "builders": out}, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
