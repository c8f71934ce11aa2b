#!/usr/bin/python3
"""Convergence of DCDM against CG and CG+ICC: relative residual ||r_k||/||b|| against iteration, one curve per
run, on one semilog figure, from the HDF5 files examples/dcdm_poisson3d writes (dataset /residual_history with
the attributes solver, iterations, converged_reason, bnorm, rtol, n, setup_time, solve_time).

    cd build/examples
    mpiexec -n 2 ./dcdm_poisson3d -ksp_dcdm_model ../../data/dcdm_k64.h5 -output dcdm
    mpiexec -n 2 ./dcdm_poisson3d -ksp_type cg -pc_type none -output cg
    mpiexec -n 2 ./dcdm_poisson3d -ksp_type cg -pc_type bjacobi -sub_pc_type icc -output cg_icc
    ../../tools/plot_dcdm.py dcdm.h5 cg.h5 cg_icc.h5 --out dcdm_convergence.png

Needs Debian's python3-matplotlib and python3-h5py.
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_run(path):
    with h5py.File(path, "r") as f:
        if "residual_history" not in f:
            sys.exit(f"{path}: no /residual_history dataset (written by examples/dcdm_poisson3d)")
        d = f["residual_history"]
        hist = np.array(d, dtype=float).ravel()
        attrs = {k: d.attrs[k] for k in d.attrs}
    if hist.size == 0:
        sys.exit(f"{path}: empty residual history")
    bnorm = float(np.ravel(attrs.get("bnorm", [hist[0]]))[0]) or hist[0] or 1.0
    return hist / bnorm, attrs


def scalar(attrs, key, default=None):
    return np.ravel(attrs[key])[0] if key in attrs else default


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="HDF5 files written by dcdm_poisson3d -output <prefix>")
    ap.add_argument("--labels", nargs="+", help="curve labels (default: the solver each file names)")
    ap.add_argument("--out", default="dcdm_convergence.png", help="PNG to write (default dcdm_convergence.png)")
    ap.add_argument("--title", help="figure title (default: grid size and tolerance)")
    args = ap.parse_args()
    if args.labels and len(args.labels) != len(args.files):
        sys.exit("--labels needs one label per file")

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    rtols, sizes = set(), set()
    for i, path in enumerate(args.files):
        rel, attrs = read_run(path)
        solver = args.labels[i] if args.labels else text(scalar(attrs, "solver", path))
        its = int(scalar(attrs, "iterations", rel.size - 1))
        reason = text(scalar(attrs, "converged_reason", ""))
        t = scalar(attrs, "setup_time", None), scalar(attrs, "solve_time", None)
        label = f"{solver}: {its} it"
        if t[0] is not None and t[1] is not None:
            label += f", {float(t[0]) + float(t[1]):.2f} s"
        if reason and not reason.startswith("CONVERGED"):
            label += f" ({reason})"
        ax.semilogy(np.arange(rel.size), rel, label=label, lw=1.6)
        if "rtol" in attrs:
            rtols.add(float(scalar(attrs, "rtol")))
        if "n" in attrs:
            sizes.add(int(scalar(attrs, "n")))
    for rtol in sorted(rtols):
        ax.axhline(rtol, color="grey", ls=":", lw=1)
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"$\Vert b - Ax_k\Vert \,/\, \Vert b\Vert$")
    title = args.title
    if title is None:
        grid = ", ".join(f"{n}³" for n in sorted(sizes))
        title = f"pressure Poisson with obstacles{', ' + grid if grid else ''}"
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=130)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
