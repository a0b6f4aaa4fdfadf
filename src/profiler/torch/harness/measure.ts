/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). The harness's inputs (dataset or random), output collection, timing loop, RAPL counter reads and memory
 * figures.
 * Kept as text so that the generated script is self-contained; String.raw keeps Python's backslashes.
 */

export const MEASURE = String.raw`def read_labels(folder, count):
    path = os.path.join(folder, "labels.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        labels = json.load(f).get("labels")
    if not isinstance(labels, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in labels):
        raise Fatal("dataset", 'labels.json must be {"labels": [integer class indices]}')
    if len(labels) != count:
        raise Fatal("dataset", "labels.json has %d labels but inputs.npy holds %d samples" % (len(labels), count))
    return labels


def dataset_samples(torch, ds):
    try:
        import numpy as np
    except ImportError as e:
        raise Fatal("no-numpy", "reading the dataset needs numpy, which this Python cannot import: %s" % _short(e))
    path = os.path.join(ds["dir"], "inputs.npy")
    if not os.path.isfile(path):
        raise Fatal("dataset", "%s does not exist (a dataset folder holds inputs.npy and optionally labels.json)" % path)
    try:
        arr = np.load(path, allow_pickle=False)
    except Exception as e:
        raise Fatal("dataset", "cannot read %s: %s" % (path, _short(e)))
    labels = read_labels(ds["dir"], len(arr))
    if arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
    limit = ds.get("maxSamples")
    if limit:
        arr, labels = arr[:limit], (labels[:limit] if labels else None)
    x = torch.from_numpy(np.ascontiguousarray(arr))
    desc = "%d samples from %s%s" % (len(x), os.path.basename(os.path.normpath(ds["dir"])), " with labels" if labels else "")
    return x, labels, desc, {"shape": [1] + list(x.shape[1:]), "dtype": str(x.dtype).replace("torch.", ""), "note": "from the dataset"}


def make_samples(torch, model, spec):
    ds = CONFIG.get("dataset")
    if ds:
        x, labels, desc, spec = dataset_samples(torch, ds)
        return x, labels, "dataset", desc, spec
    given = CONFIG["input"].get("shape")
    if given:
        spec = {"shape": given, "dtype": CONFIG["input"].get("dtype") or "float32", "note": "as given"}
    elif spec is None:
        spec = infer_input(torch, model)
    n = max(CONFIG["randomSamples"], spec["shape"][0])
    g = torch.Generator().manual_seed(CONFIG["seed"])
    dims = (n,) + tuple(spec["shape"][1:])
    if spec["dtype"] == "int64":
        x = torch.randint(0, spec.get("high", 2), dims, generator=g)
    else:
        x = torch.randn(dims, generator=g)
    desc = "%d random samples of shape [%s] (%s)" % (n, ", ".join(str(d) for d in spec["shape"][1:]), spec["note"])
    return x, None, "random", desc, spec


def first_tensor(torch, out):
    """The tensor a variant is compared on: the output itself, 'logits'/'out' of a dict-like output, or the
    first tensor of a tuple."""
    if torch.is_tensor(out):
        return out, "output"
    if hasattr(out, "keys") and hasattr(out, "__getitem__"):
        keys = list(out.keys())
        for k in ["logits", "out"] + keys:
            if k in keys and torch.is_tensor(out[k]):
                return out[k], str(k)
    if isinstance(out, (list, tuple)):
        for item in out:
            try:
                return first_tensor(torch, item)
            except ValueError:
                pass
    raise ValueError("the model's output (%s) holds no tensor" % type(out).__name__)


def float_bytes(torch, t):
    try:
        return t.numpy().astype("<f4").tobytes()
    except Exception:
        values = t.tolist()
        return struct.pack("<%df" % len(values), *values)


def collect_outputs(torch, model, x, cast, chunk=64):
    """Runs every sample through the model in chunks; returns the first output, float32, base64."""
    parts, total, done, dims, name = [], 0, 0, [], "output"
    for start in range(0, len(x), chunk):
        if total >= CONFIG["maxOutputValues"]:
            break
        part = x[start:start + chunk]
        t, name = first_tensor(torch, model(cast(part)))
        t = t.detach().to("cpu", torch.float32)
        if t.dim() > 0 and t.shape[0] == len(part):
            dims, done = list(t.shape[1:]), done + len(part)
        else:
            dims, done = list(t.shape), done + 1
        parts.append(t.reshape(-1))
        total += t.numel()
    data = torch.cat(parts) if parts else torch.zeros(0)
    return {"name": name, "sampleDims": dims, "samples": done, "base64": base64.b64encode(float_bytes(torch, data)).decode("ascii")}


def median_ci_pct(s):
    """Half-width of the 95 % confidence interval of the median, percent (binomial order statistics, as in
    the ONNX profiler)."""
    n = len(s)
    if n < 6:
        return float("inf")
    pos = 0.5 * (n - 1)
    lo = int(math.floor(pos))
    median = s[lo] + (s[min(lo + 1, n - 1)] - s[lo]) * (pos - lo)
    d = 0.98 * math.sqrt(n)
    j = max(0, int(math.floor(n / 2 - d)) - 1)
    k = min(n - 1, int(math.ceil(n / 2 + d)))
    return max(median - s[j], s[k] - median) / median * 100 if median > 0 else float("inf")


def read_rapl():
    values = {}
    for d in CONFIG.get("rapl") or []:
        try:
            with open(d["file"]) as f:
                values[d["id"]] = int(f.read().strip())
        except Exception as e:
            return {"error": _short(e)}
    return values


def time_model(torch, vid, run, budget_s):
    """Warm-up, then repetitions until the median's 95 % CI is within the target or the budget ends."""
    sync = torch.cuda.synchronize if CONFIG["device"] == "cuda" else (lambda: None)
    t0, prev, warm = time.perf_counter(), float("inf"), 0
    while True:
        s = time.perf_counter()
        run()
        sync()
        d = time.perf_counter() - s
        warm += 1
        settled = abs(d - prev) < 0.1 * min(d, prev)
        if warm >= 3 and (settled or time.perf_counter() - t0 > 0.1 * budget_s):
            break
        prev = d
    target, min_reps, max_reps = CONFIG["targetCiPct"], 10, CONFIG["maxRepetitions"]
    emit({"type": "phase", "id": vid, "phase": "measuring", "repetitions": 0})
    rapl0 = read_rapl()
    cpu0 = time.process_time()
    t0 = last = shown = time.perf_counter()
    times, next_check, ci, exhausted = [], min_reps, float("inf"), False
    while True:
        run()
        sync()
        now = time.perf_counter()
        times.append((now - last) * 1000)
        last = now
        n = len(times)
        if n >= next_check:
            ci = median_ci_pct(sorted(times))
            if now - shown >= 0.25:
                # Progress at most four times a second: the host only shows it.
                emit({"type": "phase", "id": vid, "phase": "measuring", "repetitions": n, "ciPct": ci})
                shown = now
            next_check = n + max(5, n // 20)
            if ci <= target:
                break
        if n >= max_reps:
            break
        # At least 6 runs even past the budget: fewer give no confidence interval at all.
        if now - t0 >= budget_s and n >= 6:
            exhausted = n < min_reps or ci > target
            break
    cpu_ms = (time.process_time() - cpu0) * 1000
    rapl1 = read_rapl()
    rapl = {"error": rapl0.get("error") or rapl1.get("error")} if "error" in rapl0 or "error" in rapl1 else {k: [rapl0[k], rapl1[k]] for k in rapl0}
    return {"latenciesMs": [round(t, 6) for t in times], "warmupRuns": warm, "cpuMsPerRun": cpu_ms / len(times),
            "wallMs": (last - t0) * 1000, "budgetExhausted": exhausted, "rapl": rapl if CONFIG.get("rapl") else None}


def reset_peak():
    """Resets the kernel's peak-RSS mark (VmHWM) so that each variant gets its own peak; Linux only."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except Exception:
        return False


def peak_rss(was_reset):
    if was_reset:
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024, None
        except Exception:
            pass
    try:
        import resource
        scale = 1 if sys.platform == "darwin" else 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, "peak of the whole process so far"
    except Exception:
        return None, "not available on this platform"


def state_dict_bytes(torch, model):
    buf = io.BytesIO()
    try:
        torch.save(model.state_dict(), buf)
        return buf.tell()
    except Exception:
        return None
`;
