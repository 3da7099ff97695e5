#!/usr/bin/env python3
"""Line plot of columns of an `iommusim sweep` CSV (docs/sweeps.md).

    python3 tools/plot.py SWEEP.csv --x COLUMN --y COLUMN [--y COLUMN ...]
        [--series COLUMN] [--logx] [--logy] [--title T] [--out FILE.png]

One line per distinct --series value (and per --y column), points sorted by
x. Rows whose status is "failed", or whose x or y cell is empty, are left out.
Numbers may carry the size suffixes the platform files accept (4KiB) or be
hexadecimal (0x40). Uses matplotlib's Agg backend (no display needed); on
Debian: apt-get install python3-matplotlib.

Exit codes: 0 written, 1 nothing to plot or matplotlib missing, 2 usage or a
column not in the CSV (the message lists the available columns).
"""
import argparse
import csv
import os
import sys

SUFFIXES = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}


def number(text):
    """The value of a cell, or None when it is not a number."""
    t = text.strip()
    if not t:
        return None
    for suffix, scale in SUFFIXES.items():
        if t.endswith(suffix):
            v = number(t[: -len(suffix)])
            return None if v is None else v * scale
    try:
        return float(int(t, 0)) if t.lower().startswith(("0x", "-0x")) else float(t)
    except ValueError:
        return None


def size_text(x):
    """4096 -> 4KiB, 2097152 -> 2MiB: the largest unit that divides evenly."""
    v = int(x)
    for suffix, scale in sorted(SUFFIXES.items(), key=lambda kv: -kv[1]):
        if v >= scale and v % scale == 0:
            return f"{v // scale}{suffix}"
    return str(v)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="iommusim plot", description="Line plot of sweep.csv columns.")
    p.add_argument("csv", metavar="SWEEP.csv")
    p.add_argument("--x", required=True, metavar="COLUMN", help="column on the x axis")
    p.add_argument("--y", required=True, action="append", metavar="COLUMN", help="column on the y axis (repeatable)")
    p.add_argument("--series", metavar="COLUMN", help="one line per distinct value of this column")
    p.add_argument("--logx", action="store_true", help="logarithmic x axis")
    p.add_argument("--logy", action="store_true", help="logarithmic y axis")
    p.add_argument("--title", help="plot title (default: the CSV's path)")
    p.add_argument("--out", metavar="FILE.png", help="output file (default: SWEEP.png next to the CSV)")
    return p.parse_args(argv)


def read_csv(path):
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            return list(reader.fieldnames or []), list(reader)
    except OSError as e:
        sys.exit(f"plot: cannot read {path}: {e.strerror}")


def main(argv):
    a = parse_args(argv)
    columns, rows = read_csv(a.csv)
    wanted = [a.x] + a.y + ([a.series] if a.series else [])
    missing = [c for c in wanted if c not in columns]
    if missing:
        print(
            ("plot: no column " if len(missing) == 1 else "plot: no columns ")
            + ", ".join(f"'{c}'" for c in missing) + f" in {a.csv}\n"
            "available columns:\n  " + "\n  ".join(columns),
            file=sys.stderr,
        )
        return 2

    rows = [r for r in rows if r.get("status", "ok") != "failed"]
    # x may be categorical (not all numbers): then positions in order of first appearance.
    xs_numeric = all(number(r[a.x]) is not None for r in rows if r[a.x].strip())
    categories = []
    if not xs_numeric:
        for r in rows:
            if r[a.x] not in categories:
                categories.append(r[a.x])

    def xval(r):
        return number(r[a.x]) if xs_numeric else float(categories.index(r[a.x]))

    series_values = [None]
    if a.series:
        series_values = []
        for r in rows:
            if r[a.series] not in series_values:
                series_values.append(r[a.series])
        if all(number(s) is not None for s in series_values):
            series_values.sort(key=number)

    lines = []  # (label, xs, ys)
    for y in a.y:
        for s in series_values:
            pts = []
            for r in rows:
                if s is not None and r[a.series] != s:
                    continue
                if not r[a.x].strip():
                    continue
                yv = number(r[y])
                if yv is None:
                    continue
                pts.append((xval(r), yv))
            if not pts:
                continue
            pts.sort()
            parts = ([y] if len(a.y) > 1 else []) + ([f"{a.series}={s}"] if s is not None else [])
            lines.append((", ".join(parts), [p[0] for p in pts], [p[1] for p in pts]))
    if not lines:
        print(f"plot: no row of {a.csv} has numbers in {a.x} and {', '.join(a.y)}", file=sys.stderr)
        return 1

    plt = import_pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    for label, xs, ys in lines:
        ax.plot(xs, ys, marker="o", label=label or None)
    all_x = [x for _, xs, _ in lines for x in xs]
    if a.logx:
        # Powers of two (cache sizes, transfer sizes) read best on a base-2 axis.
        pow2 = all(x > 0 and float(x).is_integer() and (int(x) & (int(x) - 1)) == 0 for x in all_x)
        ax.set_xscale("log", base=2 if pow2 else 10)
        if pow2:
            # A tick at every x of the data, labelled 16, 32, 64 rather than
            # 2^4, 2^5, 2^6, or 4KiB, 2MiB when the column holds sizes.
            sized = any(r[a.x].strip().endswith(tuple(SUFFIXES)) for r in rows)
            ticks = sorted(set(all_x))
            ax.set_xticks(ticks)
            ax.set_xticklabels([size_text(x) if sized else str(int(x)) for x in ticks],
                               rotation=45 if len(ticks) > 8 else 0)
            ax.minorticks_off()
    if a.logy:
        ax.set_yscale("log")
    if not xs_numeric:
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels(categories)
    ax.set_xlabel(a.x)
    ax.set_ylabel(", ".join(a.y))
    ax.set_title(a.title if a.title is not None else a.csv)
    ax.grid(True, which="both", alpha=0.3)
    if any(label for label, _, _ in lines):
        ax.legend()
    fig.tight_layout()
    out = a.out or os.path.splitext(a.csv)[0] + ".png"
    try:
        fig.savefig(out, dpi=100)
    except OSError as e:
        print(f"plot: cannot write {out}: {e.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def import_pyplot():
    try:
        import matplotlib
    except ImportError:
        # Debian's python3-matplotlib belongs to /usr/bin/python3; `python3`
        # on PATH may be another interpreter (pyenv, a venv): retry there once.
        system = "/usr/bin/python3"
        if (
            os.path.exists(system)
            and os.path.realpath(sys.executable) != os.path.realpath(system)
            and not os.environ.get("IOMMUSIM_PLOT_REEXEC")
        ):
            os.environ["IOMMUSIM_PLOT_REEXEC"] = "1"
            sys.stdout.flush()
            os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
        print("plot: needs matplotlib (Debian: apt-get install python3-matplotlib)", file=sys.stderr)
        sys.exit(1)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
