"""PyTorch reference for `npm run bench`: the engine's networks (workers/src/engine/networks) rebuilt
layer for layer in PyTorch, timed on the same tasks, batch sizes and thread count.

A line-oriented server, so that the bench can interleave PyTorch with its own engines (A/B/A/B):
  argv     --threads N
  stdin    one JSON request a line:
             {"op": "peak"}                             → {"peakGflops": {"numpy": ..., "torch": ...}}
             {"op": "time", "id": "...", "task": "train|sample-cfg|sample-cg|score", "batch": 64,
              "net": <network config as in networks/index.ts>, "classifier": <config, sample-cg only>,
              "warmup": 1, "minRuns": 3, "maxRuns": 7, "budgetMs": 20000}
                                                        → {"id": "...", "ms": median, "runs": n,
                                                           "flopsPerSample": forward FLOPs of "net", "config": "..."}
  stdout   one JSON answer a line; the first line is {"torch": "1.13.0", "threads": N}.
PyTorch gets its best configuration, chosen once per case by timing the candidates: memory format
(contiguous NCHW or channels-last), and for inference the batch split (whole, halves, quarters);
inference runs under torch.inference_mode. The tfjs networks are NHWC, which changes no FLOP count.
"train" times an iteration of a training loop, as the engine's row does: drawing the minibatch, the
step, Adam and (ε-nets) the EMA (training_iteration).
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def groups_for(channels, groups=8):
    g = min(groups, channels)
    while channels % g != 0:
        g -= 1
    return g


def time_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    angles = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], 1)


class Conditioning(nn.Module):
    """MLP of the sinusoidal time embedding, plus a one-hot × matrix class embedding (K + 1 rows)."""

    def __init__(self, dim, classes, with_time, with_labels):
        super().__init__()
        self.dim, self.classes = dim, classes
        self.time = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, dim)) if with_time else None
        self.table = nn.Linear(classes + 1, dim, bias=False) if with_labels else None

    def forward(self, t, y):
        parts = []
        if self.time is not None:
            parts.append(self.time(time_embedding(t, self.dim)))
        if self.table is not None:
            parts.append(self.table(F.one_hot(y.long(), self.classes + 1).float()))
        return sum(parts) if parts else None


class DenseResBlock(nn.Module):
    def __init__(self, width, with_emb):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(width, width), nn.Linear(width, width)
        self.emb = nn.Linear(width, width) if with_emb else None

    def forward(self, h, emb):
        r = self.fc1(F.silu(h))
        if self.emb is not None:
            r = r + self.emb(F.silu(emb))
        return h + self.fc2(F.silu(r))


class ConvResBlock(nn.Module):
    """ADM block with scale-shift norm: conv(silu(norm2(r))·(1 + scale) + shift), as blocks.ts."""

    def __init__(self, cin, cout, emb_dim):
        super().__init__()
        self.norm1, self.norm2 = nn.GroupNorm(groups_for(cin), cin), nn.GroupNorm(groups_for(cout), cout)
        self.conv1, self.conv2 = nn.Conv2d(cin, cout, 3, padding=1), nn.Conv2d(cout, cout, 3, padding=1)
        self.emb = nn.Linear(emb_dim, 2 * cout) if emb_dim else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, h, emb):
        r = self.conv1(F.silu(self.norm1(h)))
        normed = self.norm2(r)
        if self.emb is not None:
            scale, shift = self.emb(F.silu(emb))[:, :, None, None].chunk(2, 1)
            normed = normed * (1 + scale) + shift
        r = self.conv2(F.silu(normed))
        return (h if self.skip is None else self.skip(h)) + r


class Down(nn.Module):
    """3×3 stride-2 conv with TensorFlow's 'same' padding (the extra pixel at the end)."""

    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2)

    def forward(self, h):
        H, W = h.shape[2], h.shape[3]
        ph, pw = max((math.ceil(H / 2) - 1) * 2 + 3 - H, 0), max((math.ceil(W / 2) - 1) * 2 + 3 - W, 0)
        return self.conv(F.pad(h, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)))


class MlpEps(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim, hidden = cfg["inputShape"][0], cfg["hidden"]
        self.cond = Conditioning(hidden, cfg["classes"], True, True)
        self.inp = nn.Linear(dim, hidden)
        self.blocks = nn.ModuleList(DenseResBlock(hidden, True) for _ in range(cfg["depth"]))
        self.out = nn.Linear(hidden, dim)

    def forward(self, x, t, y):
        emb = self.cond(t, y)
        h = self.inp(x)
        for b in self.blocks:
            h = b(h, emb)
        return self.out(F.silu(h))


class UnetEps(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch, nb = cfg["channels"], cfg["blocksPerLevel"]
        # With model.patch p the levels run on p×p patches, as ours do (space-to-depth in, pixel shuffle out).
        self.patch = cfg.get("patch") or 1
        c_img = cfg["inputShape"][2] * self.patch * self.patch
        self.levels, self.nb = len(ch), nb
        emb = 4 * ch[0]
        self.cond = Conditioning(emb, cfg["classes"], True, True)
        self.inp = nn.Conv2d(c_img, ch[0], 3, padding=1)
        self.down, self.downsample, skips, c = nn.ModuleList(), nn.ModuleList(), [], ch[0]
        for i, w in enumerate(ch):
            for _ in range(nb):
                self.down.append(ConvResBlock(c, w, emb))
                c = w
                skips.append(c)
            if i < self.levels - 1:
                self.downsample.append(Down(w))
        self.mid = ConvResBlock(c, ch[-1], emb)
        self.up, self.upsample = nn.ModuleList(), nn.ModuleList()
        for i in reversed(range(self.levels)):
            for _ in range(nb):
                self.up.append(ConvResBlock(c + skips.pop(), ch[i], emb))
                c = ch[i]
            if i > 0:
                self.upsample.append(nn.Conv2d(ch[i], ch[i - 1], 3, padding=1))
                c = ch[i - 1]
        self.out_norm = nn.GroupNorm(groups_for(c), c)
        self.out = nn.Conv2d(c, c_img, 3, padding=1)

    def forward(self, x, t, y):
        emb = self.cond(t, y)
        if self.patch > 1:
            x = F.pixel_unshuffle(x, self.patch)
        m = 2 ** (self.levels - 1)
        H, W = x.shape[2], x.shape[3]
        ph, pw = math.ceil(H / m) * m - H, math.ceil(W / m) * m - W
        h = self.inp(F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)))
        skips, k = [], 0
        for i in range(self.levels):
            for _ in range(self.nb):
                h = self.down[k](h, emb)
                k += 1
                skips.append(h)
            if i < self.levels - 1:
                h = self.downsample[i](h)
        h = self.mid(h, emb)
        k = 0
        for j, i in enumerate(reversed(range(self.levels))):
            for _ in range(self.nb):
                h = self.up[k](torch.cat([h, skips.pop()], 1), emb)
                k += 1
            if i > 0:
                h = self.upsample[j](F.interpolate(h, scale_factor=2, mode="nearest"))
        out = self.out(F.silu(self.out_norm(h)))[:, :, ph // 2: ph // 2 + H, pw // 2: pw // 2 + W]
        return F.pixel_shuffle(out, self.patch) if self.patch > 1 else out


class Classifier(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.image = len(cfg["inputShape"]) == 3
        self.timed = cfg["timeConditioned"]
        ch, hidden, classes = cfg["channels"], cfg["hidden"], cfg["classes"]
        emb = 4 * ch[0] if self.image else hidden
        self.cond = Conditioning(emb, classes, True, False) if self.timed else None
        emb_dim = emb if self.timed else 0
        if self.image:
            # With patch p the trunk starts on p×p patches, as ours does (space-to-depth in).
            self.patch = cfg.get("patch") or 1
            self.inp = nn.Conv2d(cfg["inputShape"][2] * self.patch * self.patch, ch[0], 3, padding=1)
            blocks, downs, c = [], [], ch[0]
            for w in ch:
                blocks.append(ConvResBlock(c, w, emb_dim))
                downs.append(Down(w))
                c = w
            self.blocks, self.downs = nn.ModuleList(blocks), nn.ModuleList(downs)
            self.out_norm = nn.GroupNorm(groups_for(c), c)
            width = c
        else:
            self.inp = nn.Linear(cfg["inputShape"][0], hidden)
            self.blocks = nn.ModuleList(DenseResBlock(hidden, self.timed) for _ in range(cfg["depth"]))
            width = hidden
        feat = max(64, hidden)
        self.features, self.logits = nn.Linear(width, feat), nn.Linear(feat, classes)

    def forward(self, x, t):
        emb = self.cond(t, None) if self.cond is not None else None
        if self.image and self.patch > 1:
            p = self.patch
            ph, pw = -x.shape[2] % p, -x.shape[3] % p
            x = F.pixel_unshuffle(F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)), p)
        h = self.inp(x)
        if self.image:
            for block, down in zip(self.blocks, self.downs):
                h = down(block(h, emb))
            pooled = F.silu(self.out_norm(h)).mean((2, 3))
        else:
            for block in self.blocks:
                h = block(h, emb)
            pooled = F.silu(h)
        features = F.silu(self.features(pooled))
        return features, self.logits(features)


def build(cfg):
    return {"mlp-eps": MlpEps, "unet-eps": UnetEps, "classifier": Classifier}[cfg["kind"]](cfg)


def count_flops(model, inputs):
    """2 × multiply-accumulates of every Linear and Conv2d, as the engine's countFlops does."""
    macs = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Linear):
            macs[0] += out.numel() * m.in_features
        else:
            macs[0] += out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    with torch.no_grad():
        model(*inputs)
    for h in handles:
        h.remove()
    return 2 * macs[0]


def example(cfg, batch, gen):
    shape = cfg["inputShape"]
    x = torch.randn(batch, *([shape[2], shape[0], shape[1]] if len(shape) == 3 else shape), generator=gen)
    t = torch.randint(0, 1000, (batch,), generator=gen)
    y = torch.randint(0, cfg["classes"], (batch,), generator=gen)
    return x, t, y


def ddim_update(x, eps, image):
    # One deterministic DDIM step (Song et al. eq. 12) at fixed ᾱ values, clipping x̂₀ for images.
    abar, abar_prev = 0.5, 0.6
    x0 = (x - math.sqrt(1 - abar) * eps) / math.sqrt(abar)
    if image:
        x0 = x0.clamp(-1, 1)
        eps = (x - math.sqrt(abar) * x0) / math.sqrt(1 - abar)
    return math.sqrt(abar_prev) * x0 + math.sqrt(1 - abar_prev) * eps


def chunks(n, parts):
    """Row ranges of `parts` near-equal pieces of n rows."""
    size = -(-n // parts)
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def training_iteration(cfg, net, batch, x, gen, channels_last):
    """One iteration of a training loop, the work the engine's loop does per step (training/loop.ts):
    the next minibatch drawn from a dataset (rows and labels; for ε-nets and noise-aware classifiers
    noise, timesteps and x_t = √ᾱ·x₀ + √(1−ᾱ)·ε; for ε-nets the label dropped to ∅ with p = 0.1), the
    loss, its gradient, Adam, and for ε-nets the EMA of the weights (decay 0.999) — not the step alone."""
    classes, eps_net = cfg["classes"], cfg["kind"] != "classifier"
    noised = eps_net or cfg["timeConditioned"]
    data = torch.randn(1024, *x.shape[1:], generator=gen)
    labels = torch.randint(0, classes, (1024,), generator=gen)
    abar = torch.linspace(0.9999, 0.0001, 1000)  # any ᾱ table: only the work is timed
    image = x.dim() == 4
    laid_out = (lambda v: v.contiguous(memory_format=torch.channels_last)) if channels_last else (lambda v: v)
    params = list(net.parameters())
    ema = [p.detach().clone() for p in params] if eps_net else None
    opt = torch.optim.Adam(params, lr=1e-4)

    def draw():
        rows = torch.randint(0, data.shape[0], (batch,), generator=gen)
        x0, y = laid_out(data[rows]), labels[rows]
        if not noised:
            return x0, None, y, None
        eps = laid_out(torch.randn(x0.shape, generator=gen))
        t = torch.randint(0, 1000, (batch,), generator=gen)
        a = abar[t].view(-1, *([1] * (x0.dim() - 1)))
        xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
        if eps_net:
            y = torch.where(torch.rand(batch, generator=gen) < 0.1, torch.full_like(y, classes), y)
        return xt, t, y, eps

    def run():
        xt, t, y, eps = draw()
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(net(xt, t, y), eps) if eps_net else F.cross_entropy(net(xt, t)[1], y)
        loss.backward()
        opt.step()
        if ema is not None:
            with torch.no_grad():
                torch._foreach_mul_(ema, 0.999)
                torch._foreach_add_(ema, params, alpha=0.001)
        return loss.item()

    return run


def task_fn(case, gen, channels_last, parts):
    """The case as a function of no arguments, in one configuration; and the net's forward FLOPs."""
    cfg, batch, task = case["net"], case["batch"], case["task"]
    net = build(cfg)
    x, t, y = example(cfg, batch, gen)
    flops = count_flops(net, (x[:1], t[:1]) if cfg["kind"] == "classifier" else (x[:1], t[:1], y[:1]))
    image = len(cfg["inputShape"]) == 3
    if channels_last and image:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    classes = cfg["classes"]
    if task == "train":
        return training_iteration(cfg, net, batch, x, gen, channels_last and image), flops
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    pieces = chunks(batch, parts)
    if task == "score":
        def run():
            with torch.inference_mode():
                return sum(net(x[a:b], None)[0].sum().item() for a, b in pieces)
        return run, flops
    null = torch.full_like(y, classes)
    if task == "sample-cfg":
        def run():
            with torch.inference_mode():
                total = 0.0
                for a, b in pieces:
                    xs = x[a:b]
                    both = net(torch.cat([xs, xs]), torch.cat([t[a:b], t[a:b]]), torch.cat([y[a:b], null[a:b]]))
                    cond, uncond = both.chunk(2)
                    total += ddim_update(xs, uncond + 3.0 * (cond - uncond), image).sum().item()
                return total
        return run, flops
    if task == "sample-cg":
        clf = build(case["classifier"])
        clf.eval()
        for p in clf.parameters():
            p.requires_grad_(False)
        if channels_last:
            clf = clf.to(memory_format=torch.channels_last)

        def run():
            total = 0.0
            for a, b in pieces:
                xs = x[a:b]
                with torch.inference_mode():
                    eps = net(xs, t[a:b], null[a:b])
                # inference-mode tensors cannot enter autograd: the gradient runs from a plain copy.
                xi = xs.clone().requires_grad_(True)
                logp = F.log_softmax(clf(xi, t[a:b])[1], 1).gather(1, y[a:b, None]).sum()
                (grad,) = torch.autograd.grad(logp, xi)
                with torch.inference_mode():
                    total += ddim_update(xs, eps - math.sqrt(0.5) * 3.0 * grad, image).sum().item()
            return total
        return run, flops
    raise ValueError(f"unknown task {task}")


def configurations(case):
    """Candidate (channels_last, parts) pairs: memory formats for image nets, batch splits for inference."""
    image = len(case["net"]["inputShape"]) == 3
    formats = [False, True] if image else [False]
    splits = [1] if case["task"] == "train" else [p for p in (1, 2, 4) if case["batch"] // p >= 16]
    return [(f, p) for f in formats for p in splits]


def best_configuration(case, gen):
    """The fastest candidate, each timed after one warm-up run (best of two)."""
    best = None
    for channels_last, parts in configurations(case):
        run, _ = task_fn(case, gen, channels_last, parts)
        run()
        ms = min(_timed(run) for _ in range(2)) * 1000
        if best is None or ms < best[0]:
            best = (ms, channels_last, parts)
    return best[1], best[2]


def median_ms(run, warmup, min_runs, max_runs, budget_ms):
    for _ in range(warmup):
        run()
    times, start = [], time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or (time.perf_counter() - start) * 1000 < budget_ms):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(times)


def matmul_peak(n=2048, repeats=5):
    """Best-of float32 GFLOP/s of an n×n matmul in numpy and in torch (the machine's practical peak)."""
    out = {}
    try:
        import numpy as np
        a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
        a @ b
        best = min(_timed(lambda: a @ b) for _ in range(repeats))
        out["numpy"] = 2 * n ** 3 / best / 1e9
    except ImportError:
        pass
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    out["torch"] = 2 * n ** 3 / best / 1e9
    return out


def _timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def main():
    threads = int(sys.argv[sys.argv.index("--threads") + 1])
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    prepared = {}  # case id → (run, flops, config), built and tuned on first request
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "peak":
            print(json.dumps({"peakGflops": matmul_peak()}), flush=True)
            continue
        if req["id"] not in prepared:
            gen = torch.Generator().manual_seed(0)
            channels_last, parts = best_configuration(req, gen)
            run, flops = task_fn(req, torch.Generator().manual_seed(0), channels_last, parts)
            prepared[req["id"]] = (run, flops, f"{'channels-last' if channels_last else 'NCHW'}, batch in {parts} part{'s' if parts > 1 else ''}")
        run, flops, config = prepared[req["id"]]
        ms, runs = median_ms(run, req["warmup"], req["minRuns"], req["maxRuns"], req["budgetMs"])
        print(json.dumps({"id": req["id"], "ms": ms, "runs": runs, "flopsPerSample": flops, "config": config}), flush=True)
        print(f"[torch] {req['id']}: {ms:.1f} ms ({config})", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
