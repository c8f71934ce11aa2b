#!/usr/bin/python3
"""PyTorch side of the LPINN benchmark (issue 11): the released LPINN code's configuration on CPU.

Problem: periodic convection(-diffusion) u_t + c u_x = nu u_xx on [0, 2 pi) x [0, 1], u0 = sin x (default c = 30,
nu = 0). Lagrangian PINN (Mojgani, Balajewicz, Hassanzadeh, CMAME 2023; ../shared/reference/lpinn.md sections 1-3):
  - inputs: labels X = linspace(0, 2 pi, 256) (both ends, as the released code) x times t = linspace(0, 1, 100), a
    t-major tensor grid (the first 256 rows are t = 0), embedded as (cos X, sin X, t): 2 pi periodic in X;
  - two tanh MLPs: N_u with 5 hidden layers of 50, N_x with 2 (the paper's separate branches); --share-weights
    reproduces the released code, where the x branch reuses the u branch's input, first hidden and output layers and
    the u branch repeats its second hidden layer for hidden layers 3..5 (the C side: -pinn_lagrangian_share_weights,
    the same layers and 5351 parameters); PyTorch's default Linear initialisation;
  - residuals r_x = x_t - c, r_u = u_t - nu u_XX (u_XX w.r.t. the label, as the released code: exact for x = X + c t);
  - loss 10 ||r_x|| + 1 ||r_u|| + 1000 (||x(X,0) - X|| + ||u(X,0) - u0(X)||), non-squared 2-norms over all points
    (--loss mse: the means of squares with the same weights);
  - Adam with amsgrad=True, lr 1e-2, full batch (one epoch = one step on the whole 25600-point grid).
Evaluation on the Eulerian grid x = 2 pi i / 256: x_L wrapped into [0, 2 pi), u interpolated linearly (periodically) per
time slice; relative L2 (Frobenius) against exp(-nu t) sin(x - c t), and the released code's legacy metric (spectral
norms of the difference and of the reference, 2 points cut at each end of x).

Runs (as bench/pinn_torch.py): a timing run of --epochs epochs (median ms/epoch after --warmup, and CPU ms), then
optionally a time-to-accuracy run of --max-epochs Adam epochs and then --lbfgs-steps L-BFGS iterations (strong Wolfe,
history 5, as nnpde's TAO lmvm) that stops when the relative L2 error is <= --target (evaluation every --eval-every
epochs or iterations, not counted in the training time). The last line of the output is one JSON object.

Example (float64, one thread):
  python3 bench/lpinn_torch.py --c 30 --epochs 50 --max-epochs 20000
  python3 bench/lpinn_torch.py --c 30 --epochs 0 --max-epochs 1000 --lbfgs-steps 1500   # Adam then L-BFGS
"""
import argparse
import json
import math
import statistics
import time

import numpy as np
import torch


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--c", type=float, default=30.0, help="convection speed")
    p.add_argument("--nu", type=float, default=0.0, help="viscosity")
    p.add_argument("--nx", type=int, default=256, help="labels (and Eulerian x points)")
    p.add_argument("--nt", type=int, default=100, help="times in [0, 1]")
    p.add_argument("--hidden", type=int, default=50)
    p.add_argument("--depth-u", type=int, default=5, help="hidden layers of N_u")
    p.add_argument("--depth-x", type=int, default=2, help="hidden layers of N_x (ignored with --share-weights)")
    p.add_argument("--share-weights", action="store_true", help="the released code's shared layers")
    p.add_argument("--loss", choices=["norm", "mse"], default="norm")
    p.add_argument("--gamma-x", type=float, default=10.0)
    p.add_argument("--gamma-u", type=float, default=1.0)
    p.add_argument("--gamma-ic", type=float, default=1000.0)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--epochs", type=int, default=50, help="length of the timing run (0: skip it)")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--max-epochs", type=int, default=0, help="Adam epochs of the time-to-accuracy run (0: skip it)")
    p.add_argument("--lbfgs-steps", type=int, default=0,
                   help="L-BFGS iterations after the Adam epochs of the time-to-accuracy run (as nnpde's -pinn_lbfgs_steps)")
    p.add_argument("--lbfgs-history", type=int, default=5, help="L-BFGS history (5: TAO lmvm's default, nnpde's)")
    p.add_argument("--target", type=float, default=1e-2)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if a.epochs and a.epochs <= a.warmup:
        p.error(f"--epochs {a.epochs} must exceed --warmup {a.warmup}")
    if a.nu < 0:
        p.error(f"--nu {a.nu} must be >= 0")
    if a.lbfgs_steps < 0 or a.lbfgs_history < 1:
        p.error("--lbfgs-steps must be >= 0 and --lbfgs-history >= 1")
    if a.nx < 5 or a.nt < 2 or a.eval_every < 1:
        p.error("--nx must be >= 5, --nt >= 2 and --eval-every >= 1")
    return a


class LPINN(torch.nn.Module):
    """N_u and N_x on the embedding (cos X, sin X, t)"""

    def __init__(self, a, dtype):
        super().__init__()
        h = a.hidden
        self.share = a.share_weights
        lin = lambda i, o: torch.nn.Linear(i, o, dtype=dtype)  # noqa: E731
        if self.share:
            # the released code: input, hidden1, hidden2, output; x = out(h1(in)), u = out(h2^(depth-2)(h1(in)))
            self.inp, self.h1, self.h2, self.out = lin(3, h), lin(h, h), lin(h, h), lin(h, 1)
            self.depth_u = a.depth_u
        else:
            self.u = torch.nn.ModuleList([lin(3, h)] + [lin(h, h) for _ in range(a.depth_u - 1)] + [lin(h, 1)])
            self.x = torch.nn.ModuleList([lin(3, h)] + [lin(h, h) for _ in range(a.depth_x - 1)] + [lin(h, 1)])

    @staticmethod
    def mlp(layers, z):
        for layer in layers[:-1]:
            z = torch.tanh(layer(z))
        return layers[-1](z)

    def forward(self, X, t):
        z = torch.cat([torch.cos(X), torch.sin(X), t], dim=1)
        if self.share:
            z = torch.tanh(self.h1(torch.tanh(self.inp(z))))
            xl = self.out(z)
            for _ in range(self.depth_u - 2):
                z = torch.tanh(self.h2(z))
            return self.out(z), xl
        return self.mlp(self.u, z), self.mlp(self.x, z)


def grad(f, x):
    return torch.autograd.grad(f, x, grad_outputs=torch.ones_like(f), create_graph=True)[0]


def loss_fn(model, X, t, u0, nx, a):
    X = X.clone().requires_grad_(True)
    t = t.clone().requires_grad_(True)
    u, xl = model(X, t)
    r_x = grad(xl, t) - a.c
    r_u = grad(u, t)
    if a.nu:
        r_u = r_u - a.nu * grad(grad(u, X), X)  # u_XX w.r.t. the label, as the released code
    e_x0 = xl[:nx] - X[:nx]  # t-major: the first nx rows are t = 0
    e_u0 = u[:nx] - u0
    if a.loss == "norm":
        n = torch.linalg.norm
    else:
        n = lambda r: (r**2).mean()  # noqa: E731
    return a.gamma_x * n(r_x) + a.gamma_u * n(r_u) + a.gamma_ic * (n(e_x0) + n(e_u0))


class Evaluation:
    """Relative L2 (Frobenius) and the legacy metric on the Eulerian grid"""

    def __init__(self, a, X, t):
        self.a, self.X, self.t = a, X, t
        self.x = 2 * np.pi * np.arange(a.nx) / a.nx
        tt = np.linspace(0, 1, a.nt)
        self.ref = np.exp(-a.nu * tt)[:, None] * np.sin(self.x[None, :] - a.c * tt[:, None])

    def __call__(self, model):
        a = self.a
        with torch.no_grad():
            u, xl = model(self.X, self.t)
        u = u.numpy().reshape(a.nt, a.nx)
        xl = np.mod(xl.numpy().reshape(a.nt, a.nx), 2 * np.pi)
        ui = np.empty_like(u)
        for j in range(a.nt):
            # the last label duplicates the first one after the embedding: drop it
            ui[j] = np.interp(self.x, xl[j, :-1], u[j, :-1], period=2 * np.pi)
        rel = np.linalg.norm(ui - self.ref) / np.linalg.norm(self.ref)
        cut = slice(2, a.nx - 2)
        legacy = np.linalg.norm((ui - self.ref)[:, cut], 2) / np.linalg.norm(self.ref[:, cut], 2)
        return float(rel), float(legacy)


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    dtype = torch.float64 if a.dtype == "float64" else torch.float32
    labels = torch.linspace(0, 2 * math.pi, a.nx, dtype=dtype)
    times = torch.linspace(0, 1, a.nt, dtype=dtype)
    T, L = torch.meshgrid(times, labels, indexing="ij")  # t-major
    X, t = L.reshape(-1, 1), T.reshape(-1, 1)
    u0 = torch.sin(labels).reshape(-1, 1)
    ev = Evaluation(a, X, t)
    out = {"c": a.c, "nu": a.nu, "grid": [a.nx, a.nt], "dtype": a.dtype, "share_weights": a.share_weights, "loss": a.loss,
           "lr": a.lr, "threads": torch.get_num_threads(), "torch": torch.__version__}

    def new():
        torch.manual_seed(a.seed)
        m = LPINN(a, dtype)
        return m, torch.optim.Adam(m.parameters(), lr=a.lr, amsgrad=True)

    def epoch(m, opt):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(m, X, t, u0, a.nx, a)
        loss.backward()
        opt.step()
        return loss.item()

    if a.epochs:
        m, opt = new()
        wall, cpu = [], []
        for _ in range(a.epochs):
            t0, c0 = time.perf_counter(), time.process_time()
            loss = epoch(m, opt)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        rel, legacy = ev(m)
        out.update(epochs=a.epochs, ms_per_epoch=1e3 * statistics.median(wall[a.warmup:]),
                   cpu_ms_per_epoch=1e3 * statistics.median(cpu[a.warmup:]), loss=loss, rel_l2=rel, legacy=legacy)
        print(f"timing: {a.epochs} epochs, {out['ms_per_epoch']:.1f} ms/epoch (CPU {out['cpu_ms_per_epoch']:.1f}), loss {loss:.3e}, "
              f"rel L2 {rel:.3e}", flush=True)

    if a.max_epochs:
        m, opt = new()
        clock = {"wall": 0.0, "cpu": 0.0}
        reached, k, rel, legacy, loss = None, 0, *ev(m), float("nan")

        def timed(fn):
            t0, c0 = time.perf_counter(), time.process_time()
            r = fn()
            clock["wall"] += time.perf_counter() - t0
            clock["cpu"] += time.process_time() - c0
            return r

        def check(k, stage):  # evaluation, not counted in the training time
            nonlocal rel, legacy, reached
            rel, legacy = ev(m)
            if k % (10 * a.eval_every) == 0 or rel <= a.target:
                print(f"  {stage} {k:6d}  loss {loss:.3e}  rel L2 {rel:.3e}  legacy {legacy:.3e}  train {clock['wall']:.1f} s "
                      f"(CPU {clock['cpu']:.1f})", flush=True)
            if rel <= a.target:
                reached = k
            return reached is not None

        for k in range(1, a.max_epochs + 1):
            loss = timed(lambda: epoch(m, opt))
            if (k % a.eval_every == 0 or k == a.max_epochs) and check(k, "adam "):
                break
        if a.lbfgs_steps and reached is None:
            # the same second stage as nnpde's trainer (TAO lmvm, More-Thuente): L-BFGS with a strong-Wolfe line
            # search and TAO's default history; evaluated every --eval-every iterations
            lbfgs = torch.optim.LBFGS(m.parameters(), lr=1, max_iter=a.eval_every, max_eval=10 * a.eval_every,
                                      history_size=a.lbfgs_history, tolerance_grad=0, tolerance_change=0,
                                      line_search_fn="strong_wolfe")

            def closure():
                lbfgs.zero_grad(set_to_none=True)
                f = loss_fn(m, X, t, u0, a.nx, a)
                f.backward()
                return f

            done = 0
            while done < a.lbfgs_steps:
                lbfgs.param_groups[0]["max_iter"] = min(a.eval_every, a.lbfgs_steps - done)
                loss = timed(lambda: lbfgs.step(closure)).item()
                n = lbfgs.state[lbfgs._params[0]]["n_iter"]
                if n == done:  # no progress (the line search failed)
                    break
                done, k = n, a.max_epochs + n
                if check(k, "lbfgs"):
                    break
        train_s, train_cpu = clock["wall"], clock["cpu"]
        out.update(target=a.target, target_epochs=reached, target_seconds=train_s if reached else None,
                   target_cpu_seconds=train_cpu if reached else None, tta_epochs=k, tta_lbfgs_steps=a.lbfgs_steps,
                   tta_rel_l2=rel, tta_legacy=legacy, tta_train_seconds=train_s, tta_train_cpu_seconds=train_cpu)
        state = f"<= {a.target:g} after {reached} iterations" if reached else f"> {a.target:g} after {k} iterations"
        print(f"time to accuracy: rel L2 {rel:.3e} {state}, {train_s:.1f} s of training (CPU {train_cpu:.1f})", flush=True)

    print(json.dumps(out))


if __name__ == "__main__":
    main()
