/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). The harness's variants (the study's
 * tactics) and its main function: every variant is built and checked first, then all are timed together
 * in passes of interleaved rounds (see passes.ts), then each variant's result is sent.
 * Kept as text so that the generated script is self-contained; String.raw keeps Python's backslashes.
 */

export const VARIANTS = String.raw`class NotApplicable(Exception):
    pass


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except Exception:
        pass
    return set()


def _quantization(torch):
    ao = getattr(torch, "ao", None)
    return ao.quantization if ao is not None and hasattr(ao, "quantization") else torch.quantization


def _prunable(torch, model):
    nn = torch.nn
    kinds = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
    return [(m, "weight") for m in model.modules() if isinstance(m, kinds) and isinstance(getattr(m, "weight", None), torch.Tensor)]


def _prune(torch, spec, base):
    from torch.nn.utils import prune
    model = copy.deepcopy(base)
    params = _prunable(torch, model)
    if not params:
        raise NotApplicable("the model has no Linear or Conv weights to prune")
    amount = spec["sparsity"]
    if spec["kind"] == "prune-local":
        for m, name in params:
            prune.l1_unstructured(m, name, amount=amount)
    else:
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=amount)
    for m, name in params:
        prune.remove(m, name)
    zeros = sum(int((m.weight == 0).sum()) for m, _ in params)
    total = sum(m.weight.numel() for m, _ in params)
    how = "each tensor to" if spec["kind"] == "prune-local" else "all tensors together to"
    return model, ["%d Linear/Conv weight tensors pruned by L1 magnitude, %s %.0f %% zeros (%.1f %% of their weights are zero now)"
                   % (len(params), how, amount * 100, 100.0 * zeros / max(total, 1)),
                   "the weights stay dense tensors: dense kernels do the same work, so no speed-up is expected without sparse kernels"]


def _half(torch, spec, base):
    dtype = torch.float16 if spec["kind"] == "fp16" else torch.bfloat16
    notes = []
    if CONFIG["device"] == "cuda":
        if dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
            raise NotApplicable("this GPU does not support bfloat16")
    elif dtype == torch.float16:
        notes.append("fp16 targets GPUs; on a CPU few kernels support it")
    else:
        flags = _cpu_flags()
        native = sorted(flags & {"avx512_bf16", "amx_bf16"})
        notes.append("this CPU has %s" % ("native bfloat16 instructions (%s)" % ", ".join(native) if native else "no native bfloat16 instructions (AVX512-BF16 or AMX): bfloat16 is emulated"))
    return copy.deepcopy(base).to(dtype), notes, dtype


def make_variant(torch, spec, base, probe):
    """Builds a variant from a copy of the baseline; returns (model, notes, input dtype or None)."""
    kind = spec["kind"]
    if kind == "baseline":
        return base, [], None
    if kind == "int8-dynamic":
        if CONFIG["device"] == "cuda":
            raise NotApplicable("quantize_dynamic's int8 kernels run on the CPU only")
        n = sum(1 for m in base.modules() if isinstance(m, torch.nn.Linear))
        if n == 0:
            raise NotApplicable("the model has no nn.Linear layer, so dynamic quantization (Linear, qint8) changes nothing")
        model = _quantization(torch).quantize_dynamic(copy.deepcopy(base), {torch.nn.Linear}, dtype=torch.qint8)
        return model, ["%d Linear layer%s quantized to qint8 (weights per tensor, activations quantized at run time); engine %s" % (n, "" if n == 1 else "s", torch.backends.quantized.engine)], None
    if kind == "torch-compile":
        if not hasattr(torch, "compile"):
            raise NotApplicable("torch %s has no torch.compile (added in PyTorch 2.0)" % torch.__version__)
        model = torch.compile(copy.deepcopy(base))
        t0 = time.perf_counter()
        probe(model, None)
        return model, ["compiled with torch.compile's default backend; the first call, which compiles, took %.1f s (part of the build time)" % (time.perf_counter() - t0)], None
    if kind in ("prune-local", "prune-global"):
        model, notes = _prune(torch, spec, base)
        return model, notes, None
    if kind in ("fp16", "bf16"):
        return _half(torch, spec, base)
    raise NotApplicable("unknown variant kind %s" % kind)


def caster(torch, dtype):
    device = CONFIG["device"]
    def cast(t):
        if dtype is not None and t.is_floating_point():
            return t.to(device=device, dtype=dtype)
        return t.to(device)
    return cast


def _unsupported_dtype(e):
    text = str(e)
    return isinstance(e, (RuntimeError, NotImplementedError)) and ("not implemented for" in text or "Half" in text or "BFloat16" in text)


def prepare_variant(torch, spec, state):
    """Builds a variant, runs it once, collects its outputs and memory figures; the timing comes later,
    interleaved with the other variants. Returns (result without timings, lane or None)."""
    vid = spec["id"]
    emit({"type": "variant-started", "id": vid, "index": state["index"], "total": len(CONFIG["variants"])})
    reset = reset_peak()
    emit({"type": "phase", "id": vid, "phase": "building"})
    x1 = state["x"][:state["batch"]]
    def probe(m, dtype):
        return m(caster(torch, dtype)(x1))
    t0 = time.perf_counter()
    try:
        with torch.no_grad():
            model, notes, dtype = make_variant(torch, spec, state["model"], probe)
    except NotApplicable as e:
        return {"status": "not-applicable", "reason": str(e), "notes": []}, None
    build_ms = 0.0 if spec["kind"] == "baseline" else (time.perf_counter() - t0) * 1000
    cast = caster(torch, dtype)
    emit({"type": "phase", "id": vid, "phase": "loading"})
    with torch.no_grad():
        try:
            probe(model, dtype)
        except Exception as e:
            if spec["kind"] in ("fp16", "bf16") and _unsupported_dtype(e):
                return {"status": "not-applicable", "reason": "torch %s on %s does not support %s for this model: %s" % (torch.__version__, CONFIG["device"], spec["kind"], _short(e, 300)), "notes": notes}, None
            raise
        emit({"type": "phase", "id": vid, "phase": "accuracy"})
        outputs = collect_outputs(torch, model, state["x"], cast)
    peak, mem_note = peak_rss(reset)
    if mem_note:
        notes.append("memory: %s" % mem_note)
    result = {"status": "measured", "notes": notes, "buildMs": build_ms, "loadMs": state["build_ms"] if spec["kind"] == "baseline" else 0.0,
              "batch": state["batch"], "threads": torch.get_num_threads(), "peakRssBytes": peak,
              "stateDictBytes": state_dict_bytes(torch, model), "outputs": outputs}
    if spec["kind"] in ("fp16", "bf16") and CONFIG["device"] != "cuda":
        result["gpuOriented"] = spec["kind"] == "fp16"
    lane = {"id": vid, "spec": spec, "run": lane_runner(torch, model, cast(x1)), "runs": 1, "ms": [], "cpuMs": [], "medianMs": [],
            "energyUj": [], "times": [], "warm": 0, "buildS": build_ms / 1000}
    return result, lane


def lane_message(lane, stopped):
    """The timing part of a variant's message: the blocks and an even sample of the per-run latencies."""
    times = lane["times"]
    step = max(1, len(times) // 20000)
    out = {"latenciesMs": [round(t, 6) for t in times[::step]], "warmupRuns": lane["warm"],
           "cpuMsPerRun": sum(lane["cpuMs"]) / max(1, lane["runs"] * len(lane["ms"])), "wallMs": sum(lane["ms"]),
           "budgetExhausted": stopped != "target", "runsPerBlock": lane["runs"],
           "blocks": {"ms": lane["ms"], "cpuMs": lane["cpuMs"], "medianMs": lane["medianMs"], "pass": lane["pass"], "energyUj": lane["energyUj"] if CONFIG.get("rapl") and len(lane["energyUj"]) == len(lane["ms"]) else None}}
    if lane.get("raplError"):
        out["raplError"] = lane["raplError"]
    return out


def export_onnx(torch, model, x):
    path = CONFIG["onnxExport"]
    t0 = time.perf_counter()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with torch.no_grad():
            torch.onnx.export(model, (x,), path, input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)
        emit({"type": "onnx-export", "path": path, "ms": (time.perf_counter() - t0) * 1000})
    except Exception as e:
        emit({"type": "onnx-export", "error": _short(e)})


def main():
    try:
        torch = hello()
        torch.manual_seed(CONFIG["seed"])
        deadline = STARTED + CONFIG["budgetMs"] / 1000.0
        model, weights, notes, spec, build_ms, params = build_model(torch)
        model.to(CONFIG["device"])
        x, labels, source, desc, spec = make_samples(torch, model, spec)
        batch = CONFIG["input"].get("shape", [1])[0] if CONFIG["input"].get("shape") else CONFIG["batch"]
        emit({"type": "model", "label": CONFIG["site"]["label"], "weights": weights, "notes": notes, "parameters": params,
              "inputShape": [batch] + list(spec["shape"][1:]), "inputDtype": spec["dtype"], "inputNote": spec["note"],
              "buildMs": build_ms, "className": type(model).__name__})
        emit({"type": "inputs", "source": source, "description": desc, "samples": len(x), "labels": labels})
        state = {"model": model, "x": x, "batch": batch, "build_ms": build_ms}
        prepared = []
        for index, vspec in enumerate(CONFIG["variants"]):
            state["index"] = index
            try:
                result, lane = prepare_variant(torch, vspec, state)
            except Exception as e:
                traceback.print_exc()
                result, lane = {"status": "error", "reason": _short(e), "notes": []}, None
            if vspec["kind"] == "baseline" and result["status"] != "measured":
                emit(dict(result, type="variant", id=vspec["id"]))
                raise Fatal("baseline-failed", "the model as built failed to run: %s" % result.get("reason"))
            if lane is None:
                emit(dict(result, type="variant", id=vspec["id"]))
            else:
                prepared.append((vspec, result, lane))
        # Building every variant again for a pass: a fresh copy of the baseline and each variant's own build.
        # A model that cannot be copied is measured in one pass.
        t0 = time.perf_counter()
        try:
            copy.deepcopy(model)
            create_s = time.perf_counter() - t0 + sum(lane["buildS"] for _, _, lane in prepared)
        except Exception:
            create_s = float("inf")
        stopped = measure_lanes(torch, [lane for _, _, lane in prepared], deadline, state, create_s)
        for vspec, result, lane in prepared:
            if lane.get("error"):
                result = {"status": "error", "reason": lane["error"], "notes": result["notes"]}
            else:
                result.update(lane_message(lane, stopped))
            emit(dict(result, type="variant", id=vspec["id"]))
        if CONFIG.get("onnxExport"):
            export_onnx(torch, model, x[:batch].to(CONFIG["device"]))
        emit({"type": "done", "ms": (time.perf_counter() - STARTED) * 1000})
        return 0
    except Fatal as e:
        if e.detail:
            sys.stderr.write(e.detail)
        emit({"type": "error", "code": e.code, "message": e.message})
        return 2
    except BaseException as e:
        traceback.print_exc()
        emit({"type": "error", "code": "internal", "message": _short(e)})
        return 3


if __name__ == "__main__":
    sys.exit(main())
`;
