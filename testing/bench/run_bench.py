#!/usr/bin/python3
"""Boots futbench on Futura and on Linux in identical QEMU machines and writes
bench-report.md with SVG charts (see README.md in this directory).

    bazel run //testing/bench -- [--tcg|--kvm] [--only NAME[,NAME]] [--quick]
                                 [--iters N] [--linux-kernel PATH] [--out DIR]
    bazel run //testing/bench:perf_mm -- [--tcg|--kvm] [--quick] [--out DIR]

Both kernels get the same QEMU machine: -M pc, the same -accel/-cpu, -m 1G,
one CPU, qboot firmware, the same initramfs. Only -kernel and -append differ.
Uses Python's standard library only (Debian's python3).
"""

import argparse
import datetime
import glob
import hashlib
import html
import math
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

QBOOT = "/usr/share/qemu/qboot.rom"
LINUX_PACKAGE_HINT = "install it with: apt-get install linux-image-amd64"
SEED_CLAIM = ">90% less fork overhead, ~100 ms -> <10 ms"
PERF_MM_WORKLOADS = ["fork_rss0", "fork_rss16m", "fork_rss256m", "fork_write16m"]
FIELD_RE = re.compile(r'(\w+)=("([^"]*)"|\S+)')


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- booting


def accel_label(args):
    return "TCG icount" if args.icount else args.accel.upper()


def qemu_command(args, kernel, append, extra=()):
    """The one QEMU command line both kernels run under."""
    # -nodefaults: no VGA, NIC or drives that neither kernel uses; creating
    # them is ~40 ms of QEMU start-up inside boot_to_user for both kernels.
    cmd = [args.qemu, "-M", "pc", "-nodefaults", "-m", args.mem, "-smp", "1", "-no-reboot",
           "-display", "none", "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if args.accel == "kvm":
        cmd += ["-accel", "kvm", "-cpu", "host,-arch-capabilities"]
    else:
        cmd += ["-accel", "tcg", "-cpu", "max"]
        if args.icount:
            # Guest time from the instruction count: 1 ns per instruction,
            # idle time skipped. Deterministic and blind to host load.
            cmd += ["-icount", "shift=0,sleep=off"]
    if os.path.exists(QBOOT):
        cmd += ["-bios", QBOOT]
    cmd += ["-kernel", kernel, "-initrd", args.initramfs, "-append", append]
    return cmd + list(extra)


class Boot:
    """One guest run: its serial lines, the host-side time to BENCH_START, and
    how it ended."""

    def __init__(self, label):
        self.label = label
        self.lines = []
        self.boot_ms = None
        self.status = None  # QEMU's exit status, or None when killed
        self.problem = None  # why the run is incomplete, if it is


def boot(args, label, kernel, append, log_path, extra=()):
    cmd = qemu_command(args, kernel, append, extra)
    b = Boot(label)
    log("%s: %s" % (label, " ".join(cmd)))
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    deadline = start + args.timeout
    start_deadline = start + args.start_timeout
    with open(log_path, "wb") as out:
        while True:
            now = time.monotonic()
            limit = deadline if b.boot_ms is not None else min(deadline, start_deadline)
            if now >= limit:
                b.problem = ("no BENCH_START within %d s" % args.start_timeout
                             if b.boot_ms is None else "timed out after %d s" % args.timeout)
                os.killpg(proc.pid, signal.SIGKILL)
                break
            if not sel.select(timeout=min(1.0, limit - now)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            arrived = time.monotonic()
            if not chunk:
                break
            out.write(chunk)
            pending += chunk
            while b"\n" in pending:
                raw, pending = pending.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").replace("\r", "")
                b.lines.append(line)
                if b.boot_ms is None and "BENCH_START" in line:
                    b.boot_ms = (arrived - start) * 1e3
            if args.verbose:
                sys.stderr.write(chunk.decode("utf-8", "replace"))
    if pending:
        b.lines.append(pending.decode("utf-8", "replace").replace("\r", ""))
    b.status = proc.wait()
    sel.close()
    if not b.problem and not any(l.startswith("BENCH_END") for l in b.lines):
        b.problem = "the guest stopped before BENCH_END (QEMU exit status %s)" % b.status
    if b.problem:
        log("%s: %s; log: %s" % (label, b.problem, log_path))
        if args.accel == "kvm":
            log("%s: KVM runs fail on machines with nested or software KVM; rerun with --tcg"
                % label)
    return b


# ---------------------------------------------------------------- parsing


def parse_fields(text):
    return {m.group(1): (m.group(3) if m.group(3) is not None else m.group(2))
            for m in FIELD_RE.finditer(text)}


def parse_run(b):
    """Results of one boot: {name: fields} in output order, plus BENCH_INFO."""
    results, info, begun = {}, {}, []
    b.errors = []
    for line in b.lines:
        i = line.find("BENCH")
        if i < 0:
            continue
        tag, _, rest = line[i:].partition(" ")
        fields = parse_fields(rest)
        if tag == "BENCH_INFO":
            info = fields
        elif tag == "BENCH_ERROR":
            b.errors.append(rest)
        elif tag == "BENCH_BEGIN":
            begun.append(fields.get("name", "?"))
        elif tag == "BENCH" and "name" in fields:
            for k in ("median", "p10", "p90", "min", "max"):
                if k in fields:
                    fields[k] = float(fields[k])
            results[fields["name"]] = fields
    # A workload that began but left no line: the boot ended inside it.
    for name in begun:
        if not any(r == name or r.startswith(name + "_") for r in results):
            results[name] = {"name": name, "status": "incomplete",
                             "reason": b.problem or "no result line"}
    return results, info


def run_problems(label, b):
    """What went wrong in a suite boot, for the notes (empty when nothing did)."""
    found = ["%s: %s" % (label, b.problem)] if b.problem else []
    found += ["%s: futbench: %s" % (label, e) for e in b.errors]
    return found


def merge_rounds(rounds):
    """One result per workload from several boots: the median of the rounds'
    medians, the spread from the lowest p10 to the highest p90, n summed."""
    merged = {}
    for res in rounds:
        for name in res:
            merged.setdefault(name, None)
    for name in merged:
        rs = [res[name] for res in rounds if name in res]
        num = [r for r in rs if "median" in r]
        if len(num) <= 1:
            merged[name] = (num or rs)[0]
            continue
        m = dict(num[0])
        meds = sorted(r["median"] for r in num)
        k = len(meds)
        m["median"] = meds[k // 2] if k % 2 else (meds[k // 2 - 1] + meds[k // 2]) / 2
        m["p10"] = min(r["p10"] for r in num)
        m["p90"] = max(r["p90"] for r in num)
        m["n"] = str(sum(int(r.get("n", 0)) for r in num))
        merged[name] = m
    return merged


def boot_result(boots):
    times = sorted(b.boot_ms for b in boots if b.boot_ms is not None)
    if not times:
        return None
    n = len(times)
    pick = lambda p: times[min(n - 1, int(round(p * (n - 1))))]
    return {"name": "boot_to_user", "unit": "ms", "median": pick(0.5), "p10": pick(0.1),
            "p90": pick(0.9), "n": str(n)}


# ---------------------------------------------------------------- report


def fmt(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.3g" % v


def cell(r):
    if r is None:
        return "n/a (not run)"
    if "median" not in r:
        return "%s: %s" % (r.get("status", "?"), r.get("reason", ""))
    return "%s [%s–%s]" % (fmt(r["median"]), fmt(r["p10"]), fmt(r["p90"]))


def ratio_of(f, l):
    if f and l and "median" in f and "median" in l and l["median"] > 0 and f["median"] > 0:
        return f["median"] / l["median"]
    return None


def verdict(f, l, ratio):
    if ratio is None:
        return "n/a"
    word = "better" if ratio < 1 else "worse" if ratio > 1 else "equal"
    if max(f["p10"], l["p10"]) <= min(f["p90"], l["p90"]):
        word += " (within spread)"
    return word


def machine_info(args):
    model, mem = "?", "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                         "?")
        with open("/proc/meminfo") as f:
            kb = next(int(l.split()[1]) for l in f if l.startswith("MemTotal"))
            mem = "%.1f GiB" % (kb / 1048576)
    except (OSError, StopIteration, ValueError):
        pass
    try:
        qv = subprocess.run([args.qemu, "--version"], capture_output=True, text=True,
                            timeout=10).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        qv = "?"
    return model, os.cpu_count(), mem, qv


def workspace_commit():
    ws = os.environ.get("BUILD_WORKSPACE_DIRECTORY") or os.path.join(
        os.path.dirname(os.path.realpath(__file__)), "..", "..")
    try:
        return subprocess.run(["git", "-C", ws, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def workspace_dirty():
    ws = os.environ.get("BUILD_WORKSPACE_DIRECTORY") or os.path.join(
        os.path.dirname(os.path.realpath(__file__)), "..", "..")
    try:
        r = subprocess.run(["git", "-C", ws, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, timeout=10)
        return " + uncommitted changes" if r.stdout.strip() else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def kernel_label(info, fallback):
    if info.get("sysname"):
        return "%s %s" % (info["sysname"], info.get("release", ""))
    return fallback


def table_rows(fut, lin):
    names = list(fut)
    names += [n for n in lin if n not in fut]
    return names


def write_report(args, out, fut, lin, fut_info, lin_info, linux_note, perf, charts, notes):
    model, ncpu, mem, qv = machine_info(args)
    lines = [
        "# Futura vs Linux: futbench report",
        "",
        "- machine: %s, %s CPUs, %s RAM" % (model, ncpu, mem),
        "- accelerator: %s%s (%s); guest: -M pc -cpu %s -m %s -smp 1, qboot firmware"
        % (args.accel.upper(), " with -icount shift=0,sleep=off: times are instruction counts "
           "(1 ns = 1 guest instruction), not wall-clock" if args.icount else ", wall-clock guest time",
           qv, "max" if args.accel == "tcg" else "host", args.mem),
        "- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "- Futura: %s (commit %s%s), futura.elf sha256 %s" % (
            kernel_label(fut_info, "Futura"), args.commit, args.dirty,
            sha256(args.futura_kernel)[:16]),
        "- Linux: %s" % (linux_note or "%s, %s" % (kernel_label(lin_info, "Linux"),
                                                    args.linux_kernel)),
        "- mode: %s%s, %d round(s) per kernel; host load average before the runs: %s"
        % ("quick" if args.quick else "full", ", --iters %d" % args.iters if args.iters else "",
           args.rounds, args.loadavg),
        "",
        "Cells: median [p10–p90] of the samples, in the row's unit; lower is better for every",
        "row. Ratio = Futura median / Linux median (below 1: Futura is faster). \"within spread\"",
        "marks rows whose p10–p90 ranges overlap. Timings under TCG compare the kernels' work",
        "under emulation, not their speed on hardware.",
        "",
        "| workload | unit | Futura | Linux | ratio Futura/Linux | Futura is |",
        "|---|---|---|---|---|---|",
    ]
    for name in table_rows(fut, lin):
        f, l = fut.get(name), lin.get(name)
        unit = (f or l or {}).get("unit", "")
        r = ratio_of(f, l)
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            name, unit, cell(f), cell(l) if lin or not linux_note else "n/a (not run)",
            "%.2f" % r if r is not None else "n/a", verdict(f, l, r)))
    lines += ["", "Derived rates (from the medians): " + derived_rates(fut, lin), ""]
    if notes:
        lines += ["## Notes", ""] + ["- " + n for n in notes] + [""]
    if perf:
        lines += ["## perf_mm: copy-on-write fork vs. eager copy (Futura, `fork=copy`)", ""]
        lines += perf_table(perf) + [""]
    lines += ["## Charts", ""]
    for title, path in charts:
        lines.append("- %s: [%s](%s)" % (title, path, path))
    lines.append("")
    with open(os.path.join(out, "bench-report.md"), "w") as f:
        f.write("\n".join(lines))


def derived_rates(fut, lin):
    parts = []
    for name, what, conv in (("pipe_throughput", "pipe MiB/s", lambda m: 62500 / m),
                             ("pagefault_64m", "faults/s", lambda m: 1e9 / m),
                             ("file_read_16m", "read MiB/s", lambda m: 16e3 / m),
                             ("file_mmap_16m", "mmap read MiB/s", lambda m: 16e3 / m)):
        vals = []
        for label, res in (("Futura", fut), ("Linux", lin)):
            r = res.get(name)
            if r and r.get("median"):
                vals.append("%s %s" % (label, fmt(conv(r["median"]))))
        if vals:
            parts.append("%s: %s" % (what, ", ".join(vals)))
    return "; ".join(parts) or "none"


def perf_table(perf):
    cow, copy = perf
    rows = ["| workload | COW fork (us) | fork=copy (us) | reduction |", "|---|---|---|---|"]
    for name in PERF_MM_WORKLOADS:
        a, b = cow.get(name), copy.get(name)
        red = "n/a"
        if a and b and "median" in a and "median" in b and b["median"] > 0:
            red = "%.1f%%" % (100.0 * (b["median"] - a["median"]) / b["median"])
        rows.append("| %s | %s | %s | %s |" % (name, cell(a), cell(b), red))
    rows += ["", "Seed's claim: %s. Reduction = (copy - COW) / copy of the medians;" % SEED_CLAIM,
             "fork_write16m shows where COW moves the cost: the child pays one copy per page "
             "it writes."]
    return rows


# ---------------------------------------------------------------- charts


def svg_valid(path):
    try:
        ET.parse(path)
        return True
    except (ET.ParseError, OSError):
        return False


def bar_chart_builtin(path, title, labels, values):
    """Horizontal bars of Futura/Linux ratios on a log2 axis, 1.0 marked."""
    h_row, left, width = 22, 170, 520
    axis_y = 40 + h_row * len(labels) + 4
    height = axis_y + 50
    lo = min([0.25] + [v for v in values]) / 1.2
    hi = max([4.0] + [v for v in values]) * 1.2
    lmin, lmax = math.log2(lo), math.log2(hi)
    x = lambda v: left + (math.log2(v) - lmin) / (lmax - lmin) * width
    e = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="12">' % (left + width + 60, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14">%s</text>' % html.escape(title)]
    for k in range(-10, 11):
        t = 2.0 ** k
        if lo <= t <= hi:
            e.append('<line x1="%.1f" y1="34" x2="%.1f" y2="%d" stroke="#ddd"/>'
                     % (x(t), x(t), axis_y))
            e.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>'
                     % (x(t), axis_y + 14, t))
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = 40 + i * h_row
        x0, x1 = x(1.0), x(v)
        color = "#2a9d4b" if v <= 1 else "#d1495b"
        e.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                 % (left - 6, y + 14, html.escape(lab)))
        e.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" stroke="black"/>'
                 % (min(x0, x1), y + 3, max(1.0, abs(x1 - x0)), h_row - 6, color))
        e.append('<text x="%.1f" y="%d">%.2f</text>' % (max(x0, x1) + 4, y + 14, v))
    e.append('<line x1="%.1f" y1="34" x2="%.1f" y2="%d" stroke="black" stroke-width="2"/>'
             % (x(1.0), x(1.0), axis_y))
    e.append('<text x="%d" y="%d">ratio Futura/Linux (log scale; left of 1 = Futura faster)'
             '</text>' % (left, axis_y + 34))
    e.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(e) + "\n")


def axis_ticks(lo, hi, log):
    """(axis_lo, axis_hi, ticks) in data units: decades on a log axis, 1-2-5 steps otherwise."""
    if log:
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        b = max(b, a + 1)
        return 10.0 ** a, 10.0 ** b, [10.0 ** k for k in range(a, b + 1)]
    hi = hi if hi > lo else lo + 1
    raw = (hi - lo) / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    top = math.ceil(hi / step) * step
    return lo, top, [lo + k * step for k in range(int(round((top - lo) / step)) + 1)]


def line_chart_builtin(path, title, xlabel, ylabel, series, logx, logy):
    """series: [(name, color, [(x, y), ...])]; log axes take positive values only."""
    left, top, w, h = 80, 40, 560, 320
    pts = [p for _, _, s in series for p in s] or [(1, 1)]
    xs = [p[0] for p in pts if p[0] > 0 or not logx] or [1]
    ys = [p[1] for p in pts if p[1] > 0 or not logy] or [1]
    x0, x1, xt = axis_ticks(min(xs), max(xs), logx)
    y0, y1, yt = axis_ticks(min(ys) if logy else 0, max(ys), logy)
    t = lambda v, log: math.log10(max(v, 1e-12)) if log else v
    px = lambda v: left + (t(v, logx) - t(x0, logx)) / (t(x1, logx) - t(x0, logx)) * w
    py = lambda v: top + h - (t(v, logy) - t(y0, logy)) / (t(y1, logy) - t(y0, logy)) * h
    e = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="12">' % (left + w + 160, top + h + 60),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14">%s</text>' % html.escape(title)]
    for v in xt:
        e.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e4e4e4"/>'
                 % (px(v), top, px(v), top + h))
        e.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>'
                 % (px(v), top + h + 16, v))
    for v in yt:
        e.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e4e4"/>'
                 % (left, py(v), left + w, py(v)))
        e.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>'
                 % (left - 6, py(v) + 4, v))
    e.append('<polyline points="%d,%d %d,%d %d,%d" fill="none" stroke="black"/>'
             % (left, top, left, top + h, left + w, top + h))
    e.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
             % (left + w / 2, top + h + 36, html.escape(xlabel)))
    e.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">%s</text>'
             % (top + h / 2, top + h / 2, html.escape(ylabel)))
    for i, (name, color, s) in enumerate(series):
        s = [(a, b) for a, b in s if (a > 0 or not logx) and (b > 0 or not logy)]
        if s:
            d = " ".join("%.1f,%.1f" % (px(a), py(b)) for a, b in s)
            e.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>'
                     % (d, color))
            for a, b in s:
                e.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (px(a), py(b), color))
        ly = top + 16 + 18 * i
        e.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                 % (left + w + 12, ly - 4, left + w + 36, ly - 4, color))
        e.append('<text x="%d" y="%d">%s</text>' % (left + w + 42, ly, html.escape(name)))
    e.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(e) + "\n")


def gnuplot_available(args):
    if args.charts == "builtin":
        return False
    if shutil.which("gnuplot"):
        return True
    in_test = "TEST_SRCDIR" in os.environ
    if args.charts == "auto" and os.geteuid() == 0 and not in_test and shutil.which("apt-get"):
        log("gnuplot is missing; installing gnuplot-nox with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q", "gnuplot-nox"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    if shutil.which("gnuplot"):
        return True
    if args.charts == "gnuplot":
        log("--charts gnuplot: gnuplot is not installed; using the built-in SVG writer")
    return False


def gnuplot(script, cwd):
    try:
        r = subprocess.run(["gnuplot"], input=script, text=True, cwd=cwd, capture_output=True,
                           timeout=60)
        return r.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def bar_chart(args, out, labels, values, use_gp):
    path = os.path.join(out, "ratios.svg")
    title = "futbench: Futura / Linux (median), %s" % accel_label(args)
    if use_gp and labels:
        with open(os.path.join(out, "ratios.dat"), "w") as f:
            for lab, v in zip(labels, values):
                f.write('"%s" %g\n' % (lab, v))
        n = len(labels)
        lo, hi = min([0.25] + values) / 1.3, max([4] + values) * 1.5
        script = "\n".join([
            "set terminal svg size 900,%d dynamic font 'sans,11' background '#ffffff'"
            % (120 + 24 * n),
            "set output 'ratios.svg'",
            "set title '%s' noenhanced" % title,
            "set style fill solid 0.8 border -1",
            "set logscale x 2",
            "set xrange [%g:%g]" % (lo, hi),
            "set yrange [%g:-0.6]" % (n - 0.4),
            "set xlabel 'ratio Futura/Linux (log scale; left of 1 = Futura faster)'",
            "set ytics noenhanced nomirror",
            "set grid xtics",
            "set arrow from first 1, graph 0 to first 1, graph 1 nohead lw 2 lc rgb 'black'",
            "unset key",
            "plot 'ratios.dat' using (1):0:($2 < 1 ? $2 : 1):($2 < 1 ? 1 : $2):($0 - 0.35):"
            "($0 + 0.35):($2 <= 1 ? 0x2a9d4b : 0xd1495b):ytic(1) with boxxyerror "
            "lc rgb variable, '' using ($2 < 1 ? 1 : $2):0:(sprintf(' %.2f', $2)) "
            "with labels left font ',9'",
        ])
        if gnuplot(script, out) and svg_valid(path):
            return path
        log("gnuplot failed on the ratio chart; using the built-in SVG writer")
    bar_chart_builtin(path, title, labels, values)
    return path


def curve_points(res, curve):
    pts = []
    for r in res.values():
        if r.get("curve") == curve and "median" in r:
            pts.append((float(r["x"]), r["median"]))
    return sorted(pts)


def line_chart(args, out, fname, title, xlabel, ylabel, curve, fut, lin, logx, logy, use_gp):
    path = os.path.join(out, fname)
    series = [("Futura", "#1f77b4", curve_points(fut, curve)),
              ("Linux", "#ff7f0e", curve_points(lin, curve))]
    if use_gp and any(s for _, _, s in series):
        plots = []
        for name, color, pts in series:
            if not pts:
                continue
            dat = "%s_%s.dat" % (curve, name.lower())
            with open(os.path.join(out, dat), "w") as f:
                f.writelines("%g %g\n" % p for p in pts)
            plots.append("'%s' using 1:2 with linespoints lw 2 pt 7 lc rgb '%s' title '%s'"
                         % (dat, color, name))
        script = "\n".join([
            "set terminal svg size 800,480 dynamic font 'sans,11' background '#ffffff'",
            "set output '%s'" % fname,
            "set title '%s' noenhanced" % title,
            "set xlabel '%s' noenhanced" % xlabel,
            "set ylabel '%s' noenhanced" % ylabel,
            "set grid",
            "set key left top",
            "set logscale x" if logx else "set xrange [0:*]",
            "set logscale y" if logy else "set yrange [0:*]",
            "plot " + ", ".join(plots),
        ])
        if gnuplot(script, out) and svg_valid(path):
            return path
        log("gnuplot failed on %s; using the built-in SVG writer" % fname)
    line_chart_builtin(path, title, xlabel, ylabel, series, logx, logy)
    return path


def make_charts(args, out, fut, lin):
    use_gp = gnuplot_available(args)
    labels, values = [], []
    for name in table_rows(fut, lin):
        f, l = fut.get(name), lin.get(name)
        if (f or {}).get("curve") or (l or {}).get("curve"):
            continue
        r = ratio_of(f, l)
        if r is not None:
            labels.append(name)
            values.append(r)
    charts = [("Futura/Linux ratio per workload", bar_chart(args, out, labels, values, use_gp))]
    charts.append(("fork+exit+wait vs. parent RSS", line_chart(
        args, out, "fork_vs_rss.svg", "fork+exit+wait time vs. parent RSS (%s)"
        % accel_label(args), "parent RSS (MiB)", "median time (us)", "fork_vs_rss",
        fut, lin, False, False, use_gp)))
    charts.append(("munmap vs. number of VMAs", line_chart(
        args, out, "munmap_vs_vmas.svg", "munmap of a range vs. VMAs in it (%s)"
        % accel_label(args), "VMAs (log scale)", "median time (us, log scale)",
        "munmap_vs_vmas", fut, lin, True, True, use_gp)))
    return [(t, os.path.basename(p)) for t, p in charts], ("gnuplot" if use_gp else "built-in")


# ---------------------------------------------------------------- main


def find_linux_kernel(args):
    """Returns (path, note): note explains a missing kernel."""
    if args.no_linux:
        return None, "not run (--no-linux)"
    if args.linux_kernel:
        if os.path.isfile(args.linux_kernel):
            return args.linux_kernel, None
        return None, "not run: --linux-kernel %s does not exist" % args.linux_kernel
    found = sorted(glob.glob("/boot/vmlinuz-*"), key=version_key)
    if not found and args.install:
        if os.geteuid() != 0:
            log("--install needs root")
        else:
            log("installing linux-image-amd64 with apt-get")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            subprocess.run(["apt-get", "install", "-y", "-q", "linux-image-amd64"], env=env)
            found = sorted(glob.glob("/boot/vmlinuz-*"), key=version_key)
    if found:
        return found[-1], None
    log("no Linux kernel in /boot/vmlinuz-*; " + LINUX_PACKAGE_HINT +
        " (or run this as root with --install); writing a Futura-only report")
    return None, "not run: no /boot/vmlinuz-*; " + LINUX_PACKAGE_HINT


def version_key(path):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def locate(path, what, default_rel):
    """A file given on the command line, or the bazel-bin default."""
    if path and os.path.exists(path):
        return os.path.abspath(path)
    ws = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..")
    cand = os.path.join(ws, "bazel-bin", default_rel)
    if os.path.exists(cand):
        return os.path.abspath(cand)
    sys.exit("bench: cannot find %s (%s); run through `bazel run //testing/bench`" %
             (what, path or cand))


def guest_args(args, only):
    a = []
    if args.quick:
        a.append("--quick")
    if args.iters:
        a += ["--iters", str(args.iters)]
    if only:
        a += ["--only", ",".join(only)]
    return a


def run_perf_mm(args, out):
    a = " ".join(guest_args(args, None))
    cows, copies = [], []
    for r in range(args.rounds):
        sfx = "" if r == 0 else "-round%d" % (r + 1)
        cows.append(parse_run(boot(
            args, "futura perf_mm (COW fork)" + sfx, args.futura_kernel,
            ("init=/bin/perf_mm -- " + a).strip(),
            os.path.join(out, "futura-perf_mm%s.log" % sfx)))[0])
        copies.append(parse_run(boot(
            args, "futura perf_mm (fork=copy)" + sfx, args.futura_kernel,
            ("fork=copy init=/bin/perf_mm -- " + a).strip(),
            os.path.join(out, "futura-perf_mm-copy%s.log" % sfx)))[0])
    return merge_rounds(cows), merge_rounds(copies)


# ---------------------------------------------------------------- profiling


def load_blocks(path):
    """tbprof output: instructions executed per block start address."""
    counts = {}
    with open(path) as f:
        for line in f:
            vaddr, insns, execs = line.split()
            a = int(vaddr, 16)
            counts[a] = counts.get(a, 0) + int(insns) * int(execs)
    return counts


def kernel_symbols(elf):
    """Sorted (address, name) of the text symbols of an ELF, via nm."""
    for nm in ("nm", "llvm-nm-14", "llvm-nm"):
        if shutil.which(nm):
            r = subprocess.run([nm, "-n", "--defined-only", elf], capture_output=True, text=True)
            syms = []
            for line in r.stdout.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "tTwW":
                    syms.append((int(p[0], 16), p[2]))
            return syms
    return []


def attribute(counts, syms):
    """Instructions per function (user space as one entry)."""
    import bisect
    addrs = [a for a, _ in syms]
    per = {}
    for a, n in counts.items():
        if a < 0x800000000000:
            name = "[user space]"
        elif syms:
            i = bisect.bisect_right(addrs, a) - 1
            name = syms[i][1] if i >= 0 else "[kernel %x]" % a
        else:
            name = "[kernel]"
        per[name] = per.get(name, 0) + n
    return per


def run_profile(args, out):
    """Where a workload's instructions go: two icount boots per kernel with the
    tbprof plugin, one with --iters 1 and one with --iters N+1; the difference
    is N samples of the workload, without boot and set-up."""
    if not args.tbprof:
        args.tbprof = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..",
                                   "bazel-bin", "testing", "bench", "libtbprof.so")
    if not os.path.exists(args.tbprof):
        sys.exit("bench: --profile needs the tbprof plugin (bazel run //testing/bench -- ...)")
    if args.accel != "tcg":
        sys.exit("bench: --profile works with TCG only")
    args.icount = True
    name, n = args.profile, args.profile_samples
    # Futura only: Linux's boots differ run to run (KASLR, random seeds, kernel
    # threads), so the difference of two of its runs is not the workload's.
    kernels = [("futura", args.futura_kernel, "init=/bin/futbench -- ",
                kernel_symbols(args.futura_kernel))]
    lines = ["# profile of %s: guest instructions per sample (icount), %d samples" % (name, n)]
    for kind, kernel, prefix, syms in kernels:
        runs = []
        for iters in (1, n + 1):
            prof = os.path.join(out, "tbprof-%s-%s-%d.txt" % (kind, name, iters))
            ga = " ".join(["--only", name, "--iters", str(iters)] + (["--quick"] if args.quick
                                                                     else []))
            b = boot(args, "%s profile %s x%d" % (kind, name, iters), kernel, prefix + ga,
                     os.path.join(out, "profile-%s-%s-%d.log" % (kind, name, iters)),
                     ["-plugin", "%s,out=%s" % (os.path.abspath(args.tbprof), prof)])
            if b.problem or not os.path.exists(prof):
                sys.exit("bench: profile boot failed: %s" % (b.problem or "no plugin output"))
            runs.append((load_blocks(prof), parse_run(b)[0]))
        diff = dict(runs[1][0])
        for a, c in runs[0][0].items():
            diff[a] = diff.get(a, 0) - c
        per = attribute(diff, syms)
        total = sum(per.values())
        res = runs[1][1]
        lines.append("")
        lines.append("## %s: %.0f instructions per sample" % (kind, total / n))
        for rname, r in res.items():
            if "median" in r:
                lines.append("%s median %s %s" % (rname, fmt(r["median"]), r.get("unit", "")))
        lines.append("%14s %7s  %s" % ("instr/sample", "share", "function"))
        for fname, v in sorted(per.items(), key=lambda kv: -kv[1])[:args.profile_top]:
            lines.append("%14.0f %6.1f%%  %s" % (v / n, 100.0 * v / total if total else 0, fname))
    text = "\n".join(lines) + "\n"
    path = os.path.join(out, "profile-%s.txt" % name)
    with open(path, "w") as f:
        f.write(text)
    print(text)
    print("bench: wrote %s" % path)
    return 0


def parse_cmdline(argv):
    p = argparse.ArgumentParser(
        prog="bazel run //testing/bench --",
        description="Boot futbench on Futura and Linux 6.1 in the same QEMU machine; write "
                    "bench-report.md and SVG charts.")
    acc = p.add_mutually_exclusive_group()
    acc.add_argument("--tcg", dest="accel", action="store_const", const="tcg",
                     help="software emulation (default)")
    acc.add_argument("--kvm", dest="accel", action="store_const", const="kvm",
                     help="KVM for both kernels (only where KVM really works)")
    p.add_argument("--icount", action="store_true",
                   help="TCG with -icount shift=0,sleep=off: guest time counts instructions "
                        "(1 ns each); deterministic, unaffected by host load")
    p.add_argument("--only", action="append", default=[],
                   help="workloads (comma-separated; trailing * = prefix; 'perf_mm' adds the "
                        "COW-vs-copy section)")
    p.add_argument("--quick", action="store_true", help="few samples, short curves")
    p.add_argument("--iters", type=int, default=0, help="samples per workload")
    p.add_argument("--linux-kernel", help="Linux bzImage (default: newest /boot/vmlinuz-*)")
    p.add_argument("--no-linux", action="store_true", help="Futura only")
    p.add_argument("--install", action="store_true",
                   help="apt-get install linux-image-amd64 when missing (root)")
    p.add_argument("--out", help="output directory (default: $TMPDIR/futura-bench)")
    p.add_argument("--mem", default="1G", help="guest RAM for both kernels (default 1G)")
    p.add_argument("--timeout", type=int, default=0,
                   help="seconds per boot (default 1800, 300 with --quick)")
    p.add_argument("--start-timeout", type=int, default=60,
                   help="seconds until the program's first line (default 60)")
    p.add_argument("--rounds", type=int, default=1,
                   help="boot each kernel this many times, alternating, and merge (default 1)")
    p.add_argument("--boots", type=int, default=0,
                   help="boots per kernel for boot_to_user (default 3, 1 with --quick)")
    p.add_argument("--charts", choices=["auto", "gnuplot", "builtin"], default="auto",
                   help="chart writer (auto: gnuplot if present, installed if root)")
    p.add_argument("--perf-mm", action="store_true",
                   help="only perf_mm: Futura with COW fork and with fork=copy")
    p.add_argument("--no-perf-mm", action="store_true", help="skip the perf_mm section")
    p.add_argument("--profile", metavar="NAME",
                   help="instead of the suite: where workload NAME's guest instructions go on "
                        "Futura, by kernel function (icount + the tbprof QEMU plugin)")
    p.add_argument("--profile-samples", type=int, default=5,
                   help="samples the profile averages over (default 5)")
    p.add_argument("--profile-top", type=int, default=15, help="functions listed (default 15)")
    p.add_argument("--tbprof", help=argparse.SUPPRESS)
    p.add_argument("--futura-kernel", help=argparse.SUPPRESS)
    p.add_argument("--initramfs", help=argparse.SUPPRESS)
    p.add_argument("--qemu", default="qemu-system-x86_64", help=argparse.SUPPRESS)
    p.add_argument("-v", "--verbose", action="store_true", help="echo the guests' consoles")
    args = p.parse_args(argv)
    args.accel = args.accel or os.environ.get("FUT_ACCEL", "tcg")
    if not args.timeout:
        args.timeout = 300 if args.quick else 1800
    if not args.boots:
        args.boots = 1 if args.quick else 3
    return args


def output_dir(args):
    out = args.out or os.path.join(os.environ.get("TMPDIR", "/tmp"), "futura-bench")
    if not os.path.isabs(out) and os.environ.get("BUILD_WORKING_DIRECTORY"):
        out = os.path.join(os.environ["BUILD_WORKING_DIRECTORY"], out)
    os.makedirs(out, exist_ok=True)
    return os.path.abspath(out)


def print_perf(perf, accel):
    print("perf_mm: fork+exit+wait on Futura, copy-on-write vs. fork=copy (%s)" % accel)
    for row in perf_table(perf):
        print(row)


def main(argv):
    args = parse_cmdline(argv)
    if args.accel == "kvm" and args.icount:
        sys.exit("bench: --icount works with TCG only")
    if args.accel == "kvm" and not (os.access("/dev/kvm", os.R_OK | os.W_OK)):
        sys.exit("bench: --kvm: /dev/kvm is missing or not accessible; use --tcg")
    if not shutil.which(args.qemu):
        sys.exit("bench: %s is missing: apt-get install qemu-system-x86" % args.qemu)
    args.futura_kernel = locate(args.futura_kernel, "the Futura kernel", "kernel/futura.elf")
    args.initramfs = locate(args.initramfs, "the futbench initramfs",
                            "testing/bench/bench_initramfs.cpio")
    out = output_dir(args)
    # Private copies: a rebuild while the guests run must not swap the kernel
    # under a half-finished comparison, and the report names what it measured.
    for attr, name in (("futura_kernel", "futura.elf"), ("initramfs", "bench_initramfs.cpio")):
        dst = os.path.join(out, name)
        if os.path.abspath(getattr(args, attr)) != dst:
            shutil.copyfile(getattr(args, attr), dst)
        setattr(args, attr, dst)
    # The tree as the kernel was built, not as it is when the runs end.
    args.commit, args.dirty = workspace_commit(), workspace_dirty()
    try:
        args.loadavg = " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        args.loadavg = "?"

    if args.profile:
        return run_profile(args, out)

    if args.perf_mm:
        perf = run_perf_mm(args, out)
        with open(os.path.join(out, "perf_mm.md"), "w") as f:
            f.write("# perf_mm (%s)\n\n" % accel_label(args) + "\n".join(perf_table(perf)) +
                    "\n")
        print_perf(perf, accel_label(args))
        print("bench: wrote %s" % os.path.join(out, "perf_mm.md"))
        return 0

    only = [w for o in args.only for w in o.split(",") if w]
    want_perf = not args.no_perf_mm and (not only or "perf_mm" in only)
    only = [w for w in only if w != "perf_mm"]
    skip_suite = bool(args.only) and not only
    linux_kernel, linux_note = find_linux_kernel(args)
    args.linux_kernel = linux_kernel
    ga = " ".join(guest_args(args, only))

    notes, problems, fut, lin, fut_info, lin_info = [], [], {}, {}, {}, {}
    fut_boots, lin_boots = [], []
    if not skip_suite:
        fut_rounds, lin_rounds = [], []
        # Rounds alternate the kernels so that load on the host hits both alike.
        for r in range(args.rounds):
            sfx = "" if r == 0 else "-round%d" % (r + 1)
            b = boot(args, "futura" + sfx, args.futura_kernel,
                     ("init=/bin/futbench -- " + ga).strip(),
                     os.path.join(out, "futura%s.log" % sfx))
            res, fut_info = parse_run(b)
            fut_rounds.append(res)
            fut_boots.append(b)
            problems += run_problems("Futura run" + sfx, b)
            if linux_kernel:
                b = boot(args, "linux" + sfx, linux_kernel,
                         ("console=ttyS0 quiet rdinit=/init -- " + ga).strip(),
                         os.path.join(out, "linux%s.log" % sfx))
                res, lin_info = parse_run(b)
                lin_rounds.append(res)
                lin_boots.append(b)
                problems += run_problems("Linux run" + sfx, b)
        fut, lin = merge_rounds(fut_rounds), merge_rounds(lin_rounds)
        # Extra boots that only time the start-up (futbench --list exits at once).
        for i in range(len(fut_boots), args.boots):
            fut_boots.append(boot(args, "futura boot %d" % (i + 1), args.futura_kernel,
                                  "init=/bin/futbench -- --list",
                                  os.path.join(out, "futura-boot%d.log" % (i + 1))))
            if linux_kernel:
                lin_boots.append(boot(args, "linux boot %d" % (i + 1), linux_kernel,
                                      "console=ttyS0 quiet rdinit=/init -- --list",
                                      os.path.join(out, "linux-boot%d.log" % (i + 1))))
        for res, boots in ((fut, fut_boots), (lin, lin_boots)):
            br = boot_result(boots)
            if br:
                res_items = [("boot_to_user", br)] + list(res.items())
                res.clear()
                res.update(res_items)
    perf = run_perf_mm(args, out) if want_perf else None

    for label, res in (("Futura", fut), ("Linux", lin)):
        for name, r in res.items():
            if "median" not in r:
                notes.append("%s %s: %s (%s)" % (label, name, r.get("status"), r.get("reason")))
    notes[:0] = problems
    charts, writer = make_charts(args, out, fut, lin)
    notes.append("charts written by the %s SVG writer; raw serial logs: *.log" % writer)
    write_report(args, out, fut, lin, fut_info, lin_info,
                 None if linux_kernel else linux_note, perf, charts, notes)
    report = os.path.join(out, "bench-report.md")
    with open(report) as f:
        text = f.read()
    print(text[text.find("| workload"):text.find("\n\n", text.find("| workload"))])
    if perf:
        print()
        print_perf(perf, accel_label(args))
    print("bench: wrote %s (charts: %s)" % (report, ", ".join(p for _, p in charts)))
    for p in problems:
        log("INCOMPLETE: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
