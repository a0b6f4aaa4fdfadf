/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). The harness's inputs (dataset or
 * random), output collection, the interleaved timing loop (randomized round-robin blocks of every
 * variant, the clock's granularity, load samples between rounds), RAPL counter reads and memory figures.
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


def read_energy_uj():
    """Microjoules on the RAPL counters (summed over the zones), or the error that stopped reading them."""
    total = 0
    for d in CONFIG.get("rapl") or []:
        try:
            with open(d["file"]) as f:
                total += int(f.read().strip())
        except Exception as e:
            return None, _short(e)
    return total, None


def energy_delta_uj(before, after):
    """A counter difference; a counter that wrapped around adds its range (one zone's, the smallest)."""
    if after >= before:
        return after - before
    ranges = [d.get("maxRangeUj") or 0 for d in CONFIG.get("rapl") or []]
    return after + (min(ranges) if ranges else 0) - before


def warm_up(run, sync, budget_s):
    """At least 3 runs and until two consecutive runs differ by under 10 % or the budget is spent."""
    t0, prev, warm = time.perf_counter(), float("inf"), 0
    while True:
        s = time.perf_counter()
        run()
        sync()
        d = time.perf_counter() - s
        warm += 1
        settled = abs(d - prev) < 0.1 * min(d, prev)
        if warm >= 3 and (settled or time.perf_counter() - t0 > budget_s):
            return warm, d
        prev = d


def clock_granularity(calls=20000):
    """The smallest positive step between successive perf_counter readings, seconds."""
    best, steps, prev = float("inf"), 0, time.perf_counter()
    for _ in range(calls):
        t = time.perf_counter()
        if t > prev:
            best = min(best, t - prev)
            steps += 1
            if steps >= 50:
                break
        prev = t
    return best


def approx_half_pct(values):
    """Half-width of the 95 % order-statistic interval of the median, percent of the median (the host
    computes the exact interval; this only decides when to stop)."""
    s = sorted(values)
    n = len(s)
    if n < 6:
        return float("inf")
    med = s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
    d = 0.98 * math.sqrt(n)
    j = max(0, int(math.floor(n / 2 - d)) - 1)
    k = min(n - 1, int(math.ceil(n / 2 + d)))
    return max(med - s[j], s[k] - med) / abs(med) * 100 if med else float("inf")


def worst_interval_pct(lanes, rounds):
    """The widest latency or log speed-up interval over the lanes in this pass's last rounds, percent."""
    worst = 0.0
    base = lanes[0]["ms"][-rounds:]
    for lane in lanes:
        worst = max(worst, approx_half_pct(lane["ms"][-rounds:]))
        if lane is not lanes[0]:
            logs = [math.log(b / v) for b, v in zip(base, lane["ms"][-rounds:]) if b > 0 and v > 0]
            worst = max(worst, approx_half_pct([1 + x for x in logs]))
    return worst


def read_load():
    """Busy and total jiffies of /proc/stat, this process's CPU time and the mean clock, where readable."""
    sample = {"ownMs": time.process_time() * 1000, "busy": None, "total": None, "mhz": None}
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        sample["total"] = sum(v)
        sample["busy"] = sample["total"] - v[3] - v[4]
    except Exception:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            mhz = [float(line.split(":")[1]) for line in f if line.startswith("cpu MHz")]
        sample["mhz"] = sum(mhz) / len(mhz) if mhz else None
    except Exception:
        pass
    return sample


def time_block(lane, sync, times_cap):
    """One block: CPU time and energy read outside the timed runs, one clock reading per run."""
    run, runs, times = lane["run"], lane["runs"], lane["times"]
    if runs >= 4:
        # An untimed lead-in run: the first run after another variant's block pays for its cache misses.
        l0 = time.perf_counter()
        run()
        sync()
        lane["leadInS"] = lane.get("leadInS", 0.0) + time.perf_counter() - l0
    cpu0 = time.process_time()
    e0, err = read_energy_uj() if CONFIG.get("rapl") else (None, None)
    block = []
    t0 = last = time.perf_counter()
    for _ in range(runs):
        run()
        sync()
        t = time.perf_counter()
        block.append(t - last)
        last = t
    e1, err1 = read_energy_uj() if CONFIG.get("rapl") else (None, None)
    lane["cpuMs"].append((time.process_time() - cpu0) * 1000)
    lane["ms"].append((last - t0) * 1000)
    if len(times) < times_cap:
        times.extend(x * 1000 for x in block)
    block.sort()
    mid = len(block) // 2
    lane["medianMs"].append((block[mid] if len(block) % 2 else 0.5 * (block[mid - 1] + block[mid])) * 1000)
    if e0 is not None and e1 is not None:
        lane["energyUj"].append(energy_delta_uj(e0, e1))
    elif err or err1:
        lane["raplError"] = err or err1


def interleave(lanes, budget_s, seed, origin, rounds0):
    """Rounds of one block per lane in a random order (the baseline included), inside one time window, until
    the intervals meet the target or the budget ends; bookkeeping happens between rounds. Load samples are
    timed from origin; progress counts rounds from rounds0 (the rounds of earlier passes)."""
    sync = torch_sync()
    rng = random.Random(seed)
    target, times_cap = CONFIG["targetCiPct"], 200000
    load, t0 = [], time.perf_counter()
    last_load = shown = t0 - 1
    rounds, next_check, stopped = 0, 12, "budget"
    order = list(range(len(lanes)))
    while True:
        rng.shuffle(order)
        for i in order:
            time_block(lanes[i], sync, times_cap)
        rounds += 1
        now = time.perf_counter()
        if now - last_load >= 0.25:
            load.append(dict(read_load(), t=(now - origin) * 1000))
            last_load = now
        if rounds >= next_check:
            worst = worst_interval_pct(lanes, rounds)
            next_check = rounds + max(2, rounds // 10)
            if now - shown >= 0.25:
                emit({"type": "phase", "id": "interleaved", "phase": "measuring", "repetitions": rounds0 + rounds, "ciPct": worst})
                shown = now
            if worst <= target:
                stopped = "target"
                break
        if rounds >= CONFIG["maxRepetitions"]:
            stopped = "max-rounds"
            break
        if now - t0 >= budget_s and (rounds >= 8 or now - t0 >= 4 * budget_s):
            break
    return rounds, (time.perf_counter() - t0) * 1000, stopped, load


def torch_sync():
    torch = sys.modules["torch"]
    return torch.cuda.synchronize if CONFIG["device"] == "cuda" else (lambda: None)


def block_target_s(budget_s, lanes, granularity_s):
    """About 60 rounds in the budget, blocks of 2 to 50 ms, and at least 100 clock steps long."""
    spread = min(0.05, max(0.002, budget_s / max(1, lanes) / 60))
    return max(spread, granularity_s * 100 if math.isfinite(granularity_s) else spread)


def shared_runs_per_block(run_s, target_s, granularity_s):
    """One count of runs per block for every lane, as the ONNX profiler does: the same share of per-block
    costs in every lane's figures. It fills the target on average over a round, and the fastest lane's
    block still lasts 100 clock steps."""
    runs = [max(r, 1e-9) for r in run_s]
    if not runs:
        return 1
    k = max(1, int(math.ceil(target_s / (sum(runs) / len(runs)))))
    return max(k, int(math.ceil(granularity_s * 100 / min(runs))) if math.isfinite(granularity_s) else k)


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
