#!/usr/bin/python3
"""PyTorch side of the PINN benchmark: the reference point for nnpde's PINN timings.

Problem: -lap u = 2 pi^2 sin(pi x) sin(pi y) on [0,1]^2, u = 0 on the boundary; exact solution
u = sin(pi x) sin(pi y). Network 2-50-50-50-1, tanh, Glorot-normal weights, zero biases. Loss:
mean over interior points of (lap u + f)^2 + mean over boundary points of u^2 (soft boundary
condition, weight 1). Full-batch Adam. The Laplacian comes from autograd (grad of grad with
create_graph=True), the way DeepXDE and most PyTorch PINN codes compute it. CPU, one thread.

Two runs:
  timing run:           --steps N Adam steps; ms/step is the median wall time over the steps
                        after --warmup warm-up steps (cpu_ms_per_step: the same for the process's
                        CPU time, the better figure on a loaded machine).
  time-to-accuracy run: from the same initial network, up to --max-steps Adam steps; the relative
                        L2 error on a 101 x 101 grid is evaluated every --eval-every steps (not
                        counted in the training time) and the run stops when it is <= --target.
                        --max-steps 0 skips it.

Points: --points file.h5 with datasets /interior (N x 2) and /boundary (M x 2); otherwise 2000
interior and 400 boundary points drawn uniformly with --seed.

The last line of the output is one JSON object with the results.

Example (Debian's PyTorch is /usr/bin/python3's):
  /usr/bin/python3 bench/pinn_torch.py --dtype float64 --steps 200 --max-steps 0
  /usr/bin/python3 bench/pinn_torch.py --dtype float64 --steps 100 --max-steps 50000
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--points", help="HDF5 file with datasets /interior (N x 2) and /boundary (M x 2)")
    p.add_argument("--n-interior", type=int, default=2000, help="interior points drawn when --points is not given")
    p.add_argument("--n-boundary", type=int, default=400, help="boundary points drawn when --points is not given")
    p.add_argument("--seed", type=int, default=0, help="seed of the points and of the initial network")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
    p.add_argument("--steps", type=int, default=200, help="length of the timing run (0: skip it)")
    p.add_argument("--warmup", type=int, default=10, help="warm-up steps excluded from the timing median")
    p.add_argument("--max-steps", type=int, default=0, help="step limit of the time-to-accuracy run (0: skip it)")
    p.add_argument("--target", type=float, default=1e-2, help="relative L2 error that ends the time-to-accuracy run")
    p.add_argument("--eval-every", type=int, default=100, help="steps between error evaluations")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    a = p.parse_args()
    if a.steps and a.steps <= a.warmup:
        p.error(f"--steps {a.steps} must exceed --warmup {a.warmup}")
    if a.eval_every < 1:
        p.error(f"--eval-every {a.eval_every} must be >= 1")
    return a


def load_points(args, dtype):
    """Interior and boundary points as (N, 2) and (M, 2) tensors."""
    if args.points:
        import h5py

        try:
            with h5py.File(args.points, "r") as f:
                pts = []
                for name in ("interior", "boundary"):
                    if name not in f:
                        sys.exit(f"pinn_torch.py: {args.points} has no dataset /{name}")
                    a = np.asarray(f[name], dtype=np.float64)
                    if a.ndim != 2 or a.shape[1] != 2 or a.shape[0] == 0:
                        sys.exit(f"pinn_torch.py: {args.points}:/{name} has shape {a.shape}, expected (N, 2) with N > 0")
                    pts.append(a)
        except OSError as e:
            sys.exit(f"pinn_torch.py: cannot read {args.points}: {e}")
        xi, xb = pts
    else:
        rng = np.random.default_rng(args.seed)
        xi = rng.uniform(0.0, 1.0, size=(args.n_interior, 2))
        # uniform on the perimeter: a side, then a position along it
        side = rng.integers(0, 4, size=args.n_boundary)
        s = rng.uniform(0.0, 1.0, size=args.n_boundary)
        xb = np.empty((args.n_boundary, 2))
        xb[:, 0] = np.where(side == 0, s, np.where(side == 1, 1.0, np.where(side == 2, 1.0 - s, 0.0)))
        xb[:, 1] = np.where(side == 0, 0.0, np.where(side == 1, s, np.where(side == 2, 1.0, 1.0 - s)))
    return torch.tensor(xi, dtype=dtype), torch.tensor(xb, dtype=dtype)


def make_model(seed, dtype):
    torch.manual_seed(seed)
    layers, widths = [], [2, 50, 50, 50, 1]
    for i in range(len(widths) - 1):
        lin = torch.nn.Linear(widths[i], widths[i + 1], dtype=dtype)
        torch.nn.init.xavier_normal_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(widths) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def source(x):
    return 2 * math.pi**2 * torch.sin(math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2])


def loss_fn(model, xi, xb, fi):
    """mean (lap u + f)^2 over interior points + mean u^2 over boundary points"""
    x = xi.clone().requires_grad_(True)
    u = model(x)
    du = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    uxx = torch.autograd.grad(du[:, 0:1], x, grad_outputs=torch.ones_like(u), create_graph=True)[0][:, 0:1]
    uyy = torch.autograd.grad(du[:, 1:2], x, grad_outputs=torch.ones_like(u), create_graph=True)[0][:, 1:2]
    res = uxx + uyy + fi
    ub = model(xb)
    return (res**2).mean() + (ub**2).mean()


class ErrorGrid:
    """Relative L2 error against sin(pi x) sin(pi y) on a 101 x 101 grid of [0,1]^2"""

    def __init__(self, dtype):
        t = torch.linspace(0, 1, 101, dtype=dtype)
        X, Y = torch.meshgrid(t, t, indexing="ij")
        self.x = torch.stack([X.reshape(-1), Y.reshape(-1)], dim=1)
        self.exact = torch.sin(math.pi * self.x[:, 0:1]) * torch.sin(math.pi * self.x[:, 1:2])
        self.norm = torch.linalg.norm(self.exact).item()

    def __call__(self, model):
        with torch.no_grad():
            return (torch.linalg.norm(model(self.x) - self.exact) / self.norm).item()


def adam_step(model, opt, xi, xb, fi):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model, xi, xb, fi)
    loss.backward()
    opt.step()
    return loss


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    xi, xb = load_points(args, dtype)
    fi = source(xi)
    err = ErrorGrid(dtype)
    out = {
        "dtype": args.dtype,
        "n_interior": xi.shape[0],
        "n_boundary": xb.shape[0],
        "points": args.points or f"uniform seed {args.seed}",
        "lr": args.lr,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }

    if args.steps:
        model = make_model(args.seed, dtype)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        times, cpu = [], []
        for k in range(args.steps):
            t0, c0 = time.perf_counter(), time.process_time()
            loss = adam_step(model, opt, xi, xb, fi)
            loss_value = loss.item()  # forces completion of the step
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        timed = times[args.warmup:]
        out.update(
            steps=args.steps,
            warmup=args.warmup,
            ms_per_step=1e3 * statistics.median(timed),
            ms_per_step_min=1e3 * min(timed),
            ms_per_step_mean=1e3 * statistics.fmean(timed),
            # CPU time of the process per step: close to the wall time on an idle machine, and a
            # better estimate of it than the wall time on a loaded one
            cpu_ms_per_step=1e3 * statistics.median(cpu[args.warmup:]),
            loss=loss_value,
            rel_l2=err(model),
        )
        print(f"timing: {args.steps} steps, {out['ms_per_step']:.2f} ms/step (median of {len(timed)}; CPU {out['cpu_ms_per_step']:.2f}), "
              f"loss {loss_value:.3e}, rel L2 {out['rel_l2']:.3e}", flush=True)

    if args.max_steps:
        model = make_model(args.seed, dtype)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        train_s, reached, e = 0.0, None, err(model)
        for k in range(1, args.max_steps + 1):
            t0 = time.perf_counter()
            loss = adam_step(model, opt, xi, xb, fi)
            loss_value = loss.item()
            train_s += time.perf_counter() - t0
            if k % args.eval_every == 0 or k == args.max_steps:
                e = err(model)
                if k % (10 * args.eval_every) == 0:
                    print(f"  step {k:6d}  loss {loss_value:.3e}  rel L2 {e:.3e}  train {train_s:.1f} s", flush=True)
                if e <= args.target:
                    reached = k
                    break
        out.update(
            target=args.target,
            max_steps=args.max_steps,
            eval_every=args.eval_every,
            target_steps=reached,
            target_seconds=train_s if reached else None,
            tta_final_steps=k,
            tta_final_rel_l2=e,
            tta_train_seconds=train_s,
        )
        if reached:
            print(f"time to accuracy: rel L2 {e:.3e} <= {args.target:g} after {reached} steps, {train_s:.1f} s of training", flush=True)
        else:
            print(f"time to accuracy: rel L2 {e:.3e} > {args.target:g} after {k} steps ({train_s:.1f} s)", flush=True)

    print(json.dumps(out))


if __name__ == "__main__":
    main()
