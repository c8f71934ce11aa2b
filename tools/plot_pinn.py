#!/usr/bin/python3
"""Pictures of a PINN run: the solution, the exact/reference solution and the pointwise error from
the HDF5 file PINNWriteSolution() writes, and the loss curves from -pinn_monitor_history.

    tools/plot_pinn.py poisson2d.h5 [--history history.csv] [--out poisson2d.png]

Needs Debian's python3-matplotlib and python3-h5py.
"""
import argparse
import csv
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def solution_panels(path):
    with h5py.File(path, "r") as f:
        extent = [float(f.attrs["x_lo"]), float(f.attrs["x_hi"]), float(f.attrs["y_lo"]), float(f.attrs["y_hi"])]
        fields = [(name, np.array(f[name])) for name in ("u", "u_exact", "error") if name in f]
        if not fields:  # systems: u_0, u_1, ...
            fields = [(name, np.array(f[name])) for name in sorted(f.keys())]
    return extent, fields


def read_history(path):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        sys.exit(f"{path}: empty history")
    it = np.array([int(r["iteration"]) for r in rows])
    columns = [c for c in rows[0] if c not in ("iteration", "stage")]
    data = {c: np.array([float(r[c]) if r[c] else np.nan for r in rows]) for c in columns}
    return it, data


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("solution", help="HDF5 file written by PINNWriteSolution()")
    ap.add_argument("--history", help="CSV written by -pinn_monitor_history")
    ap.add_argument("--out", help="PNG to write (default: the solution file with .png)")
    args = ap.parse_args()
    out = args.out or (args.solution.rsplit(".", 1)[0] + ".png")

    extent, fields = solution_panels(args.solution)
    ncols = len(fields) + (1 if args.history else 0)
    fig, axes = plt.subplots(1, ncols, figsize=(4.6 * ncols, 4.0), squeeze=False)
    titles = {"u": "PINN solution", "u_exact": "exact / reference", "error": "|u - u*|"}
    for ax, (name, value) in zip(axes[0], fields):
        im = ax.imshow(value, origin="lower", extent=extent, cmap="magma" if name == "error" else "viridis")
        ax.set_title(titles.get(name, name))
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        fig.colorbar(im, ax=ax, shrink=0.85)
    if args.history:
        ax = axes[0][-1]
        it, data = read_history(args.history)
        for name, values in data.items():
            keep = np.isfinite(values)  # the error is recorded every -pinn_monitor_every steps only
            style = "k-" if name == "loss" else ("r--" if name == "relative_l2" else "-")
            ax.semilogy(it[keep], values[keep], style, label=name, linewidth=1.2 if name in ("loss", "relative_l2") else 0.8)
        ax.set_xlabel("iteration")
        ax.set_title("training")
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"picture: {out}")


if __name__ == "__main__":
    main()
