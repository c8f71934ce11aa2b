#!/usr/bin/env python3
"""Pictures of adaptive sampling runs (needs matplotlib; the clouds also h5py).

  plot_samples.py clouds PREFIX [-o clouds.png] [--stages 1,2,5] [--max 6]
      The sample cloud over the squared residual field, one panel per adapt stage, from the files
      PREFIX_stage<k>.h5 that -pinn_sampler_dump PREFIX writes (datasets points, N x dim, and r2,
      nx*ny in row-major x order; attributes stage, step, nx, ny, x_lo, y_lo, x_hi, y_hi, sampler).
      The first two coordinates are shown; the field is drawn as log10(r2).

  plot_samples.py errors RUN.csv [RUN.csv ...] [--labels a,b,...] [-o errors.png]
      The relative L2 error against the adapt stage for several runs (one line each, e.g. one per
      sampler), from the history CSVs (-pinn_monitor_history) of runs with -pinn_sampler_diagnostics:
      the columns sampler_stage and sampler_relative_l2 (the error when each stage began), and the
      history's last relative_l2 (written every -pinn_monitor_every steps) as the last point. Without those columns the relative_l2
      column against the iteration is drawn instead.
"""
import argparse
import csv
import glob
import math
import os
import re
import sys


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def read_history(path):
    """(stages, errors, iterations, errors_by_iteration) of one history CSV"""
    stages, serr, its, ierr = [], [], [], []
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        for row in rows:
            st, se = row.get("sampler_stage", ""), row.get("sampler_relative_l2", "")
            if st and se:
                stages.append(float(st))
                serr.append(float(se))
            e = row.get("relative_l2", "")
            if e:
                its.append(int(row["iteration"]))
                ierr.append(float(e))
    return stages, serr, its, ierr


def plot_errors(files, labels, out):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    by_stage = False
    for path, label in zip(files, labels):
        stages, serr, its, ierr = read_history(path)
        if stages:
            by_stage = True
            x, y = list(stages), list(serr)
            last = ""
            if ierr and its[-1] > 0:  # the history's last error (a multiple of -pinn_monitor_every), after the last stage
                x.append(stages[-1] + 1)
                y.append(ierr[-1])
                last = f" (last point: step {its[-1]})"
            ax.semilogy(x, y, "o-", label=label + last)
            print(f"{label}: {len(stages)} stages, error {y[0]:.3e} -> {y[-1]:.3e}{last}")
        elif its:
            ax.semilogy(its, ierr, "-", label=label)
            print(f"{label}: no stage columns; error vs iteration, {ierr[0]:.3e} -> {ierr[-1]:.3e}")
        else:
            sys.exit(f"{path}: no relative_l2 or sampler_relative_l2 column with values")
    if by_stage:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("adapt stage (last point: the last error in the history)" if by_stage else "iteration")
    ax.set_ylabel("relative L2 error")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


def stage_files(prefix):
    files = glob.glob(glob.escape(prefix) + "_stage*.h5")
    key = lambda p: int(re.search(r"_stage(\d+)\.h5$", p).group(1))
    return sorted((p for p in files if re.search(r"_stage(\d+)\.h5$", p)), key=key)


def plot_clouds(prefix, out, stages, most):
    import h5py
    import numpy as np

    plt = _pyplot()
    files = stage_files(prefix)
    if not files:
        sys.exit(f"no files {prefix}_stage*.h5 (run with -pinn_sampler_dump {prefix})")
    if stages:
        files = [p for p in files if int(re.search(r"_stage(\d+)\.h5$", p).group(1)) in stages]
    elif len(files) > most:  # evenly spread, first and last included
        idx = sorted({round(i * (len(files) - 1) / (most - 1)) for i in range(most)})
        files = [files[i] for i in idx]
    ncol = min(3, len(files))
    nrow = math.ceil(len(files) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.8 * nrow), squeeze=False)
    for ax in axes.flat[len(files):]:
        ax.axis("off")
    for ax, path in zip(axes.flat, files):
        with h5py.File(path, "r") as h:
            a = h.attrs
            val = lambda k: np.asarray(a[k]).ravel()[0]
            nx, ny = int(val("nx")), int(val("ny"))
            ext = [float(val("x_lo")), float(val("x_hi")), float(val("y_lo")), float(val("y_hi"))]
            pts = np.asarray(h["points"]).reshape(-1, np.asarray(h["points"]).shape[-1])
            title = f"{val('sampler').decode() if isinstance(val('sampler'), bytes) else val('sampler')}, stage {int(val('stage'))} (step {int(val('step'))})"
            if "r2" in h:
                r2 = np.asarray(h["r2"]).reshape(ny, nx)
                with np.errstate(divide="ignore", invalid="ignore"):
                    lr = np.log10(np.where(r2 > 0, r2, np.nan))
                im = ax.imshow(lr, origin="lower", extent=ext, cmap="viridis", aspect="auto")
                fig.colorbar(im, ax=ax, label="log10 r2")
        ax.scatter(pts[:, 0], pts[:, 1], s=3, c="red", alpha=0.8, linewidths=0)
        ax.set_xlim(ext[0], ext[1])
        ax.set_ylim(ext[2], ext[3])
        ax.set_title(f"{title}, {len(pts)} points", fontsize=9)
        print(f"{os.path.basename(path)}: {len(pts)} points")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("clouds", help="sample clouds over the residual field per stage")
    c.add_argument("prefix")
    c.add_argument("-o", "--output", default="clouds.png")
    c.add_argument("--stages", default="", help="comma-separated stage numbers (default: up to --max, spread)")
    c.add_argument("--max", type=int, default=6)
    e = sub.add_parser("errors", help="relative L2 error vs stage for several runs")
    e.add_argument("histories", nargs="+")
    e.add_argument("--labels", default="", help="comma-separated labels (default: the file names)")
    e.add_argument("-o", "--output", default="errors.png")
    args = ap.parse_args()
    if args.what == "clouds":
        st = {int(s) for s in args.stages.split(",") if s}
        plot_clouds(args.prefix, args.output, st, max(2, args.max))
    else:
        labels = [s for s in args.labels.split(",") if s] or [os.path.splitext(os.path.basename(p))[0] for p in args.histories]
        if len(labels) != len(args.histories):
            sys.exit(f"{len(labels)} labels for {len(args.histories)} histories")
        plot_errors(args.histories, labels, args.output)


if __name__ == "__main__":
    main()
