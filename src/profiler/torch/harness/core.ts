/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). The harness's imports, its protocol writer (JSON lines on the real stdout, everything else to stderr), the
 * version report and the import of the user's file.
 * Kept as text so that the generated script is self-contained; String.raw keeps Python's backslashes.
 */

export const IMPORTS = String.raw`import base64
import copy
import gc
import importlib
import importlib.util
import io
import json
import math
import os
import platform
import random
import re
import struct
import sys
import time
import traceback
`;

export const CORE = String.raw`# Never write __pycache__ next to the user's files.
sys.dont_write_bytecode = True
PROTOCOL = 3
STARTED = time.perf_counter()


def _open_protocol():
    """Protocol lines go to the original stdout; anything printed later (the user's module, libraries, C
    extensions) goes to stderr, so that stray output can never be mistaken for a result."""
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "w", encoding="utf-8", buffering=1)


OUT = _open_protocol()


def _exit_with_host():
    """GreenLens keeps this process's stdin open and never writes to it. End of file means that GreenLens is
    gone (killed, crashed), and the harness then ends at once with everything it started, instead of
    measuring on alone at full CPU. A thread does the watching because the main thread may be inside a long
    native call; only when GreenLens says so, since a saved copy run from a terminal has a terminal there."""
    if os.environ.get("GREENLENS_HOST_STDIN") != "1":
        return
    import threading

    def watch():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        if hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), 9)
        os._exit(3)

    threading.Thread(target=watch, name="greenlens-host-watch", daemon=True).start()


_exit_with_host()


def _clean(v):
    # JSON has no NaN or Infinity: non-finite numbers travel as null.
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def emit(msg):
    OUT.write(json.dumps(_clean(msg), allow_nan=False) + "\n")
    OUT.flush()


class Fatal(Exception):
    """An error that ends the run, with a code the host maps to a clear message."""

    def __init__(self, code, message, detail=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


def _short(e, limit=600):
    text = "%s: %s" % (type(e).__name__, e)
    return text if len(text) <= limit else text[:limit] + "..."


def _dist_version(name):
    try:
        from importlib import metadata
        return metadata.version(name)
    except Exception:
        return None


def hello():
    info = {"type": "hello", "protocol": PROTOCOL, "python": platform.python_version(), "executable": sys.executable,
            "platform": platform.platform()}
    try:
        import torch
    except Exception as e:
        info["torch"] = None
        info["torchError"] = _short(e)
        emit(info)
        raise Fatal("no-torch", "PyTorch cannot be imported by Python %s (%s): %s" % (info["python"], sys.executable, _short(e)))
    device = CONFIG["device"]
    info.update({
        "torch": torch.__version__, "torchvision": _dist_version("torchvision"), "numpy": _dist_version("numpy"),
        "threads": torch.get_num_threads(), "quantEngine": torch.backends.quantized.engine,
        "compile": hasattr(torch, "compile"), "cuda": torch.cuda.is_available(), "device": device,
    })
    if device == "cuda":
        if not torch.cuda.is_available():
            emit(info)
            raise Fatal("no-device", "CUDA was asked for, but torch %s sees no CUDA device." % torch.__version__)
        info["deviceName"] = torch.cuda.get_device_name(0)
    else:
        info["deviceName"] = platform.processor() or platform.machine()
    emit(info)
    return torch


def _block_downloads(torch):
    """GreenLens never downloads weights: a download attempt fails at once with a message that says so."""
    def refuse(url, *args, **kwargs):
        raise RuntimeError("GreenLens does not download model weights (%s); use weights available locally" % url)
    try:
        torch.hub.download_url_to_file = refuse
    except Exception:
        pass
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def resolve(dotted):
    """The object a dotted name refers to: the longest importable module prefix, then attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p)
        return obj
    raise Fatal("build-failed", "cannot import %s" % dotted)


def call_args(site, namespace=None, skip=()):
    """The site's arguments: literals as written; expressions are evaluated in the user's module when it was
    imported, and otherwise left out (reported in the notes)."""
    positional, keywords, skipped = [], {}, []
    for key, value in site.get("args", {}).items():
        if key in skip:
            continue
        if isinstance(value, dict) and "expr" in value:
            if namespace is None:
                skipped.append(key)
                continue
            try:
                value = eval(value["expr"], namespace)
            except Exception as e:
                raise Fatal("build-failed", "cannot evaluate the argument %s=%s in %s: %s" % (key, value["expr"], site["file"], _short(e)))
        if key.isdigit():
            positional.append((int(key), value))
        else:
            keywords[key] = value
    return [v for _, v in sorted(positional)], keywords, skipped


def import_user_file(path):
    """Imports the user's file under a module name other than __main__, so that its
    'if __name__ == "__main__":' block does not run; its top-level code does."""
    if not os.path.isfile(path):
        raise Fatal("import-failed", "%s does not exist" % path)
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = "greenlens_user_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SystemExit as e:
        raise Fatal("import-failed", "importing %s called sys.exit(%s)" % (path, e.code))
    except BaseException as e:
        raise Fatal("import-failed", "importing %s failed: %s" % (path, _short(e)), traceback.format_exc())
    return module
`;
