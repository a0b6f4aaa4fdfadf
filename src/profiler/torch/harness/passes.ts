/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). The measurement in passes: every
 * pass builds fresh instances of every variant (from a fresh copy of the baseline, in a random order with
 * a random amount of memory taken between them), warms them up and times them in interleaved rounds. A
 * speed difference tied to one instance's memory layout then shows up as a difference between passes,
 * which the host's combination of the passes turns into wider intervals. The harness only times and tags
 * each block with its pass; every statistic is computed by the host.
 * Kept as text so that the generated script is self-contained; String.raw keeps Python's backslashes.
 */

export const PASSES = String.raw`def pass_count(budget_s, create_s, min_loop_s):
    """Passes worth their building, as the ONNX profiler counts them: as many as building every variant
    again fits in 60 % of the budget, up to ten, and no more than leave each pass its shortest useful loop
    (12 rounds); two passes leave the host's interval useless (a t quantile with one degree of freedom),
    so a third is afforded while three fit, or the run keeps one pass."""
    per_pass = create_s + min_loop_s
    n = max(1, min(10, int(math.floor(0.6 * budget_s / max(create_s, 1e-3))), int(math.floor(budget_s / max(per_pass, 1e-3)))))
    if n != 2:
        return n
    return 3 if 3 * create_s <= 0.8 * budget_s and 3 * per_pass <= budget_s else 1


def min_pass_loop_s(lanes):
    """Twelve rounds of one block per lane, a block lasting at least one run and 2 ms."""
    return 12 * sum(max(lane["runS"], 0.002) for lane in lanes)


def lane_runner(torch, model, xb):
    def run():
        with torch.no_grad():
            return model(xb)
    return run


def rebuild_lanes(torch, lanes, state, rng):
    """Fresh instances of every lane's variant for a new pass, built from a fresh copy of the baseline in a
    random order, with a random amount of memory taken between them (returned, to be kept alive)."""
    x1 = state["x"][:state["batch"]]
    padding = []
    for lane in lanes:
        lane["run"] = None
    gc.collect()
    fresh = copy.deepcopy(state["model"])
    for i in rng.sample(range(len(lanes)), len(lanes)):
        lane = lanes[i]
        padding.append(bytearray(rng.randint(64, 320) * 1024))
        def probe(m, dtype):
            return m(caster(torch, dtype)(x1))
        with torch.no_grad():
            model, _, dtype = make_variant(torch, lane["spec"], fresh, probe)
            probe(model, dtype)
        lane["run"] = lane_runner(torch, model, caster(torch, dtype)(x1))
    return padding


def warm_lanes(lanes, sync, budget_s):
    """Warm-up of every lane; a lane that fails leaves the measurement (the baseline ends the run)."""
    for lane in list(lanes):
        emit({"type": "phase", "id": lane["id"], "phase": "warming-up"})
        try:
            lane["warm"], lane["runS"] = warm_up(lane["run"], sync, budget_s / len(lanes))
        except Exception as e:
            if lane is lanes[0]:
                raise Fatal("baseline-failed", "the model failed in its warm-up runs: %s" % _short(e))
            traceback.print_exc()
            lane["error"] = _short(e)
            lanes.remove(lane)


def loop_cost_s(sync, runs=20000):
    """What the timed loop costs per run around a run that does nothing (the call, the clock reading and
    the bookkeeping of one run), seconds: the harness's share of a timed run."""
    lane = {"run": lambda: None, "runs": runs, "ms": [], "cpuMs": [], "medianMs": [], "energyUj": [], "times": []}
    time_block(lane, sync, 0)
    return lane["ms"][0] / 1000 / runs


def measure_lanes(torch, lanes, deadline, state, create_s):
    """Warm-up, the clock's granularity, block sizes once, then passes of interleaved rounds until the
    budget ends; every later pass rebuilds the variants, and is started only when building them again and
    a short loop still fit the time left."""
    sync = torch_sync()
    rng = random.Random(CONFIG["seed"])
    n0 = len(lanes)
    left = max(0.2 * n0, deadline - time.perf_counter())
    warm_lanes(lanes, sync, 0.05 * left)
    granularity = clock_granularity()
    cost = loop_cost_s(sync)
    passes = pass_count(max(0.2 * n0, deadline - time.perf_counter()), create_s, min_pass_loop_s(lanes))
    target = block_target_s(max(0.2 * n0, deadline - time.perf_counter()) / passes, len(lanes), granularity)
    runs = shared_runs_per_block([lane["runS"] for lane in lanes], target, granularity)
    for lane in lanes:
        lane["runs"], lane["pass"] = runs, []
    origin = time.perf_counter()
    total_rounds, wall_ms, stopped, load, done, padding = 0, 0.0, "target", [], 0, []
    for p in range(passes):
        now = time.perf_counter()
        if p > 0:
            if deadline - now < create_s + 0.1 * len(lanes):
                break
            emit({"type": "phase", "id": "interleaved", "phase": "loading", "pass": p + 1, "passes": passes})
            build0 = time.perf_counter()
            try:
                padding = rebuild_lanes(torch, lanes, state, rng)
                warm_lanes(lanes, sync, 0.05 * (deadline - now))
            except Exception:
                traceback.print_exc()
                break
            create_s = max(create_s, time.perf_counter() - build0)
            if len(lanes) != n0:
                break
            now = time.perf_counter()
        budget = max(0.1 * len(lanes), (deadline - now - create_s * (passes - p - 1)) / (passes - p))
        emit({"type": "phase", "id": "interleaved", "phase": "measuring", "repetitions": total_rounds, "pass": p + 1, "passes": passes})
        rounds, ms, why, samples = interleave(lanes, budget, CONFIG["seed"] + p, origin, total_rounds)
        for lane in lanes:
            lane["pass"].extend([p] * rounds)
        total_rounds, wall_ms, load, done = total_rounds + rounds, wall_ms + ms, load + samples, p + 1
        stopped = why if why != "target" else stopped
    del padding
    emit({"type": "measurement", "rounds": total_rounds, "granularityMs": granularity * 1000 if math.isfinite(granularity) else None,
          "blockTargetMs": target * 1000, "wallMs": wall_ms, "stoppedBy": stopped, "load": load, "passes": done, "loopCostMs": cost * 1000,
          "leadInMs": sum(lane.get("leadInS", 0.0) for lane in lanes) * 1000, "runsTotal": sum(lane["runs"] * len(lane["ms"]) for lane in lanes),
          "blockMsTotal": sum(sum(lane["ms"]) for lane in lanes)})
    return stopped
`;
