#!/usr/bin/env python3
"""Prints the figures of tools/test_spread.sh's runs: per case and figure, the value for each OpenBLAS kernel and rank
count, and the smallest and largest.   tools/test_spread.py [build-dir]"""
import glob, os, re, sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
NUM = r"([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)"
adam = lambda steps: ("after Adam (rel-L2 at step %d)" % steps, r"\n +%d \w+ +loss [^\n]*rel-L2 %s" % (steps, NUM))
final = ("final relative L2 error", r"relative L2 error %s" % NUM)
dcdm = [("iterations", r": ([0-9]+) iterations, CONVERGED"), ("true relative residual", r"\|\|b - Ax\|\|/\|\|b\|\| = %s" % NUM)]
figures = {
    "poisson2d": [adam(500), final],
    "poisson2d_hard": [adam(500), final],
    "poisson2d_restart": [final],
    "poisson_lshape": [adam(300), final],
    "poisson_nd": [adam(200), final],
    "poisson_nd_hard": [adam(100), final],
    "poisson_nd_das": [adam(50), final],
    "peak2d": [adam(200), final],
    "optimizers": [("Adam loss", r"Adam, 1500 steps: +loss %s" % NUM), ("L-BFGS loss", r"L-BFGS after Adam: loss %s" % NUM),
                   ("L-BFGS/Adam", r"%s times Adam's" % NUM)],
    "plugin_adam": [("|x - a|_inf", r"\|x - a\|_inf = %s" % NUM)],
    "dcdm_cg": dcdm, "dcdm_icc": dcdm, "dcdm_pc": dcdm, "dcdm_shipped": dcdm, "dcdm_neumann": dcdm,
    "nn_fit": [("loss at step 300 (after Adam)", r"step +300 \(\w+\) +loss %s" % NUM), ("u error", r"grid: u %s" % NUM)],
    "dcdm_train": [("final/initial validation loss", r"\(%s of the start\)" % NUM)],
}
for case, figs in figures.items():
    logs = sorted(glob.glob(os.path.join(build, "spread", case, "*_np*.log")))
    if not logs:
        continue
    texts = {os.path.basename(l)[:-4]: open(l, errors="replace").read() for l in logs}
    sigill = [k for k, t in texts.items() if "Illegal instruction" in t]  # a kernel this CPU cannot run
    texts = {k: t for k, t in texts.items() if k not in sigill}
    bad = [k for k, t in texts.items() if "exit code 0" not in t]
    print("== %s (%d runs%s%s)" % (case, len(texts), ", NONZERO EXIT: " + " ".join(bad) if bad else "",
                                   ", SIGILL (skipped): " + " ".join(sigill) if sigill else ""))
    for name, rx in figs:
        vals = {}
        for k, t in texts.items():
            m = re.search(rx, t)
            if m:
                vals[k] = float(m.group(1))
        if not vals:
            print("   %-32s (not found)" % name)
            continue
        lo, hi = min(vals, key=vals.get), max(vals, key=vals.get)
        print("   %-32s best %.4g (%s)  worst %.4g (%s)" % (name, vals[lo], lo, vals[hi], hi))
        print("      " + "  ".join("%s %.4g" % (k, v) for k, v in sorted(vals.items())))
