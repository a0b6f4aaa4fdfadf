/**
 * Python source of the PyTorch profiling harness (see ../generate.ts). How the harness builds the model of a site (torchvision, timm, Hugging Face transformers, a user nn.Module)
 * and infers its input shape.
 * Kept as text so that the generated script is self-contained; String.raw keeps Python's backslashes.
 */

export const MODELS = String.raw`RANDOM_NOTE = ("Timing, CPU time, memory and energy hardly depend on the weight values; agreement with the baseline "
               "is measured on this randomly initialised model and may differ for trained weights.")


def build_torchvision(torch, site):
    import torchvision
    builder = resolve(site["callee"])
    args, kwargs, skipped = call_args(site, skip=("weights", "pretrained", "progress", "weights_backbone"))
    notes = ["argument %s is an expression and was left out" % k for k in skipped]
    try:
        enum = torchvision.models.get_model_weights(builder)
    except Exception:
        enum = None
    crop = 224
    if enum is not None:
        try:
            crop = int(enum.DEFAULT.transforms().crop_size[0])
        except Exception:
            pass
    wanted = site.get("weights") or ("DEFAULT" if site.get("pretrained") else None)
    if wanted and enum is not None:
        try:
            w = enum.DEFAULT if wanted == "DEFAULT" else enum[wanted]
        except KeyError:
            raise Fatal("build-failed", "%s has no weights %s (it has %s)" % (site["callee"], wanted, ", ".join(m.name for m in enum)))
        cached = os.path.join(torch.hub.get_dir(), "checkpoints", os.path.basename(w.url))
        if os.path.isfile(cached):
            model = builder(*args, weights=w, **kwargs)
            return model, "local", ["pretrained weights %s from %s" % (w, cached)] + notes, [1, 3, crop, crop]
        notes.insert(0, "Random weights: the pretrained weights %s would need a download (%s) and are not in %s. %s"
                     % (w, w.url, os.path.dirname(cached), RANDOM_NOTE))
        return builder(*args, weights=None, **kwargs), "random", notes, [1, 3, crop, crop]
    if wanted:
        notes.insert(0, "Random weights: torchvision %s has no weights enum for %s. %s" % (torchvision.__version__, site["callee"], RANDOM_NOTE))
    else:
        notes.insert(0, "Random weights, as in your code (no pretrained weights are requested).")
    return builder(*args, **kwargs), "random", notes, [1, 3, crop, crop]


def build_timm(torch, site):
    import timm
    args, kwargs, skipped = call_args(site, skip=("0", "model_name", "pretrained"))
    notes = ["argument %s is an expression and was left out" % k for k in skipped]
    name = site["modelId"]
    weights = "random"
    model = None
    if site.get("pretrained"):
        try:
            # HF_HUB_OFFLINE is set: this succeeds only when the weights are in the local cache.
            model = timm.create_model(name, *args, pretrained=True, **kwargs)
            weights = "local"
            notes.insert(0, "pretrained weights from the local cache")
        except Exception as e:
            notes.insert(0, "Random weights: the pretrained weights of %s are not in the local cache (%s). %s" % (name, _short(e, 200), RANDOM_NOTE))
    if model is None:
        model = timm.create_model(name, *args, pretrained=False, **kwargs)
        if not site.get("pretrained"):
            notes.insert(0, "Random weights, as in your code (pretrained is not requested).")
    cfg = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None) or {}
    size = list(cfg.get("input_size", (3, 224, 224)))
    return model, weights, notes, [1] + size


def build_transformers(torch, site):
    import transformers
    name = site["modelId"]
    cls = resolve(site["callee"].rsplit(".", 1)[0] if site["callee"].endswith(".from_pretrained") else site["callee"])
    notes = []
    try:
        model = cls.from_pretrained(name, local_files_only=True)
        weights = "local"
        notes.append("weights of %s from the local Hugging Face cache" % name)
    except Exception as e:
        try:
            config = transformers.AutoConfig.from_pretrained(name, local_files_only=True)
        except Exception:
            raise Fatal("needs-download", "%s is not in the local Hugging Face cache (not even its config): GreenLens does not download models. (%s)" % (name, _short(e, 200)))
        model = cls.from_config(config) if hasattr(cls, "from_config") else cls(config)
        weights = "random"
        notes.append("Random weights: the weights of %s are not in the local Hugging Face cache. %s" % (name, RANDOM_NOTE))
    cfg = model.config
    if getattr(cfg, "vocab_size", None):
        length = min(128, getattr(cfg, "max_position_embeddings", 128) or 128)
        return model, weights, notes, {"shape": [1, length], "dtype": "int64", "high": int(cfg.vocab_size),
                                       "note": "token ids, %d tokens" % length}
    size = getattr(cfg, "image_size", 224)
    size = size if isinstance(size, int) else int(size[0])
    return model, weights, notes, [1, getattr(cfg, "num_channels", 3), size, size]


def build_user(torch, site):
    module = import_user_file(site["file"])
    nn = torch.nn
    for name in site.get("boundTo", []):
        obj = getattr(module, name, None) if re.match(r"^[A-Za-z_]\w*$", name) else None
        if isinstance(obj, nn.Module):
            return obj, "user-code", ["the module-level '%s' after importing %s: weights as your code loads them" % (name, os.path.basename(site["file"]))], None
    cls_name = site.get("className") or site.get("modelId")
    cls = getattr(module, cls_name, None) if cls_name else None
    if cls is None and cls_name and "." in cls_name:
        try:
            cls = resolve(cls_name)
        except Exception:
            cls = None
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise Fatal("build-failed", "%s defines no nn.Module subclass %s and binds no module-level model at line %d" % (site["file"], cls_name, site["line"]))
    args, kwargs, _ = call_args(site, namespace=vars(module))
    try:
        model = cls(*args, **kwargs)
    except Exception as e:
        raise Fatal("build-failed", "%s(...) raised %s" % (cls_name, _short(e)), traceback.format_exc())
    note = "Random weights: GreenLens built %s(...) itself, because the model is not bound at module level; the code that loads your weights did not run. %s" % (cls_name, RANDOM_NOTE)
    return model, "random", [note], None


def infer_input(torch, model):
    """An input shape from the first layer that declares its input size."""
    nn = torch.nn
    for name, m in model.named_modules():
        where = "the first %s layer '%s'" % (type(m).__name__, name or "(root)")
        if isinstance(m, nn.Linear):
            return {"shape": [1, m.in_features], "dtype": "float32", "note": "from %s (in_features=%d)" % (where, m.in_features)}
        if isinstance(m, nn.Conv1d):
            return {"shape": [1, m.in_channels, 256], "dtype": "float32", "note": "from %s (%d channels; length 256 assumed)" % (where, m.in_channels)}
        if isinstance(m, nn.Conv2d):
            return {"shape": [1, m.in_channels, 224, 224], "dtype": "float32", "note": "from %s (%d channels; 224x224 assumed)" % (where, m.in_channels)}
        if isinstance(m, nn.Conv3d):
            return {"shape": [1, m.in_channels, 16, 112, 112], "dtype": "float32", "note": "from %s (%d channels; 16x112x112 assumed)" % (where, m.in_channels)}
        if isinstance(m, nn.Embedding):
            return {"shape": [1, 128], "dtype": "int64", "high": m.num_embeddings, "note": "from %s (128 token ids assumed)" % where}
        if isinstance(m, (nn.LSTM, nn.GRU, nn.RNN)):
            shape = [1, 32, m.input_size] if m.batch_first else [32, 1, m.input_size]
            return {"shape": shape, "dtype": "float32", "note": "from %s (input_size=%d; 32 steps assumed)" % (where, m.input_size)}
    raise Fatal("no-input-shape", "cannot infer the input shape: the model has no Linear, Conv or Embedding layer; give one (for example --shape 1,3,224,224)")


BUILDERS = {"torchvision": build_torchvision, "timm": build_timm, "transformers": build_transformers, "module": build_user}


def build_model(torch):
    site = CONFIG["site"]
    _block_downloads(torch)
    t0 = time.perf_counter()
    try:
        model, weights, notes, shape = BUILDERS[site["kind"]](torch, site)
    except Fatal:
        raise
    except Exception as e:
        raise Fatal("build-failed", "building %s failed: %s" % (site["label"], _short(e)), traceback.format_exc())
    build_ms = (time.perf_counter() - t0) * 1000
    if not isinstance(model, torch.nn.Module):
        raise Fatal("build-failed", "%s is a %s, not a torch.nn.Module" % (site["label"], type(model).__name__))
    model.eval()
    if isinstance(shape, dict):
        spec = shape
    elif shape:
        spec = {"shape": shape, "dtype": "float32", "note": "the model's default input size"}
    else:
        spec = None
    params = sum(p.numel() for p in model.parameters())
    return model, weights, notes, spec, build_ms, params
`;
