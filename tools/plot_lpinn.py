#!/usr/bin/python3
"""Pictures of a Lagrangian PINN run from the HDF5 file PINNLagrangianWriteGrid() writes (examples/lpinn.c
with -output): u(x,t) of the LPINN next to the reference, the error, and the characteristic lines x(X,t).

    tools/plot_lpinn.py lpinn.h5 [--out lpinn.png] [--lines 16]

Needs Debian's python3-matplotlib and python3-h5py.
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read(path):
    """the file's datasets and attributes; a missing file, or one that is not PINNLagrangianWriteGrid()'s (a checkpoint,
    say), ends the program with a message instead of a traceback"""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        sys.exit(f"{path}: cannot open it as HDF5 ({e})")
    with f:
        missing = [k for k in ("x_lo", "period") if k not in f.attrs]
        if missing or "u" not in f:
            sys.exit(f"{path}: not a grid file of PINNLagrangianWriteGrid() (lpinn examples' -output): no "
                     + ", ".join(missing + ([] if "u" in f else ["dataset u"])))
        data = {k: np.array(f[k]) for k in f.keys()}
        data["x_lo"] = float(f.attrs["x_lo"])
        data["period"] = float(f.attrs["period"])
    return data


def wrapped_line(x, lo, period):
    """x wrapped into [lo, lo + period), with NaN where it jumps, so the line is not drawn across the domain"""
    w = lo + np.mod(x - lo, period)
    jump = np.abs(np.diff(w)) > 0.5 * period
    out = w.astype(float).copy()
    return np.insert(out, np.nonzero(jump)[0] + 1, np.nan), jump


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="HDF5 file of PINNLagrangianWriteGrid()")
    ap.add_argument("--out", help="PNG file (default: the HDF5 file's name with .png)")
    ap.add_argument("--lines", type=int, default=16, help="number of characteristic lines drawn (default 16)")
    ap.add_argument("--frame", choices=("auto", "fixed", "comoving"), default="auto",
                    help="characteristics in the fixed frame, or as x - s t with s their mean speed (auto: comoving when "
                         "the mean drift exceeds half a period, e.g. c = 50)")
    args = ap.parse_args()
    if args.lines < 1:
        ap.error(f"--lines {args.lines}: draw at least 1 characteristic")
    out = args.out or (args.file[:-3] if args.file.endswith(".h5") else args.file) + ".png"
    outdir = os.path.dirname(out) or "."
    if not os.path.isdir(outdir) or not os.access(outdir, os.W_OK):
        sys.exit(f"cannot write {out}: directory {outdir} does not exist or is not writable")
    d = read(args.file)
    x, t, lo, period = d["x"], d["t"], d["x_lo"], d["period"]
    panels = [("LPINN u(x,t)", d["u"], "viridis")]
    if "u_reference" in d:
        panels += [("reference", d["u_reference"], "viridis"), ("error u - reference", d["error"], "RdBu_r")]
    fig, axes = plt.subplots(1, len(panels) + 1, figsize=(4.2 * (len(panels) + 1), 3.6), constrained_layout=True)
    vmin = min(float(np.nanmin(p[1])) for p in panels[:2])
    vmax = max(float(np.nanmax(p[1])) for p in panels[:2])
    for ax, (title, a, cmap) in zip(axes, panels):
        # cells centred on the grid points (x_i, t_j), as the characteristics panel draws them
        if title.startswith("error"):
            m = float(np.nanmax(np.abs(a))) or 1.0
            im = ax.pcolormesh(x, t, a, shading="nearest", cmap=cmap, vmin=-m, vmax=m)
            title = f"{title} (max {m:.2e})"
        else:
            im = ax.pcolormesh(x, t, a, shading="nearest", cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_xlim(lo, lo + period)  # as the characteristics panel
        ax.set_ylim(float(t[0]), float(t[-1]))
        ax.set_title(title)
        ax.set_xlabel("x")
        ax.set_ylabel("t")
        fig.colorbar(im, ax=ax)
    ax = axes[-1]
    xc = d["characteristics"]  # nt x nl, x(X_i, t_j) unwrapped
    nl = xc.shape[1]
    speed = float(np.mean(xc[-1] - xc[0])) / max(float(t[-1] - t[0]), 1e-300)
    comoving = args.frame == "comoving" or (args.frame == "auto" and abs(speed) * float(t[-1] - t[0]) > 0.5 * period)
    if comoving:
        xc = xc - speed * (t[:, None] - float(t[0]))
    lines = min(args.lines, nl)  # every label's line at most
    for i in np.linspace(0, nl, lines, endpoint=False).astype(int):
        w, jump = wrapped_line(xc[:, i], lo, period)
        tt = np.insert(t.astype(float), np.nonzero(jump)[0] + 1, np.nan)
        ax.plot(w, tt, lw=0.8, color="k")
    ax.set_xlim(lo, lo + period)
    ax.set_ylim(float(t[0]), float(t[-1]))
    ax.set_title(f"{lines} of {nl} characteristics" + (" (comoving)" if comoving else ""))
    ax.set_xlabel(f"x - {speed:.3g} t (mod period)" if comoving else "x")
    ax.set_ylabel("t")
    try:
        fig.savefig(out, dpi=110)
    except OSError as e:
        sys.exit(f"cannot write {out}: {e}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
