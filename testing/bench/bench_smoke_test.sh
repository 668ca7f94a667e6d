#!/usr/bin/env bash
# Smoke test of the benchmark runner: one --quick run with two samples per
# workload on Futura (and on Linux when /boot/vmlinuz-* exists), then checks of
# the report's format only, never of timings:
#   - the table header; one row per workload futbench lists, plus boot_to_user;
#   - six cells per row, the ratio cell a number or "n/a";
#   - every workload has a Futura result or a status (unsupported/skipped/error);
#   - the perf_mm section with a row per fork size;
#   - the SVG charts exist and parse as XML (also from the built-in writer).
#   bench_smoke_test.sh RUNNER FUTURA_ELF INITRAMFS FUTBENCH
set -u
runner="$1" kernel="$2" initramfs="$3" futbench="$4"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}/bench"
mkdir -p "$out"

linux=(--linux-kernel "$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1)")
if [ -z "${linux[1]}" ]; then
    echo "bench_smoke_test: no /boot/vmlinuz-*: Linux part skipped" \
         "(install it with: apt-get install linux-image-amd64)"
    linux=(--no-linux)
fi

"$runner" --futura-kernel "$kernel" --initramfs "$initramfs" --quick --iters 2 \
    --timeout 150 --out "$out" "${linux[@]}" ${FUT_ACCEL:+--$FUT_ACCEL}
status=$?
if [ "$status" != 0 ]; then
    echo "bench_smoke_test: FAIL: the runner exited with status $status"
    exit 1
fi

"$futbench" --list > "$out/workloads.txt" || {
    echo "bench_smoke_test: FAIL: futbench --list on the host"
    exit 1
}

/usr/bin/python3 - "$out" "$(dirname "$runner")" "${linux[0]}" <<'PY'
import os, re, sys
import xml.etree.ElementTree as ET

out, runner_dir, linux_flag = sys.argv[1], sys.argv[2], sys.argv[3]
linux_ran = linux_flag != "--no-linux"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


report = open(os.path.join(out, "bench-report.md")).read()
header = "| workload | unit | Futura | Linux | ratio Futura/Linux | Futura is |"
check(header in report, "table header missing")
for key in ("- machine:", "- accelerator:", "- date:", "- Futura:", "- Linux:"):
    check(key in report, "report header lacks %r" % key)

table = report[report.find(header):].split("\n\n")[0].splitlines()[2:]
rows = {}
for line in table:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    check(len(cells) == 6, "row does not have 6 cells: %s" % line)
    if len(cells) != 6:
        continue
    name, unit, fut, lin, ratio, verdict = cells
    check(name not in rows, "row %s appears twice" % name)
    rows[name] = cells
    check(re.fullmatch(r"[0-9]+(\.[0-9]+)?|n/a", ratio) is not None,
          "row %s: ratio %r is neither a number nor n/a" % (name, ratio))
    check(unit in ("ns", "us", "ms") or (unit == "" and ratio == "n/a"),
          "row %s: unit %r" % (name, unit))
    check(fut != "n/a (not run)", "row %s: no Futura result" % name)
    if linux_ran:
        check(lin != "n/a (not run)", "row %s: no Linux result" % name)
    else:
        check(lin == "n/a (not run)" and ratio == "n/a",
              "row %s: Linux did not run but has a value" % name)
    if ratio != "n/a":
        check(verdict.split()[0] in ("better", "worse", "equal"), "row %s: verdict" % name)

listed = []
for line in open(os.path.join(out, "workloads.txt")):
    m = re.match(r"  ([a-z0-9_]+) ", line)
    if m:
        listed.append(m.group(1))
check(len(listed) >= 15, "futbench --list names only %d workloads" % len(listed))
check("boot_to_user" in rows, "no boot_to_user row")
for w in listed:
    check(any(r == w or r.startswith(w + "_") for r in rows), "no row for workload %s" % w)
for r in rows:
    check(r == "boot_to_user" or any(r == w or r.startswith(w + "_") for w in listed),
          "row %s is no workload futbench lists" % r)

perf = report[report.find("## perf_mm"):]
check(report.find("## perf_mm") >= 0, "perf_mm section missing")
for w in ("fork_rss0", "fork_rss16m", "fork_rss256m"):
    m = re.search(r"^\| %s \|.*\| (-?[0-9.]+%%|n/a) \|$" % w, perf, re.M)
    check(m is not None, "perf_mm: no row with a reduction for %s" % w)


def valid_svg(path):
    try:
        return ET.parse(path).getroot().tag.endswith("svg")
    except (ET.ParseError, OSError):
        return False


charts = ("ratios.svg", "fork_vs_rss.svg", "munmap_vs_vmas.svg")
for svg in charts:
    check(valid_svg(os.path.join(out, svg)), "%s missing or not valid SVG/XML" % svg)
    check("(%s)" % svg in report, "report does not link %s" % svg)

# The built-in writer too, whichever writer the run used.
sys.path.insert(0, runner_dir)
import run_bench as rb


class Log:
    def __init__(self, path):
        self.lines = open(path, errors="replace").read().replace("\r", "").splitlines()
        self.problem = None


fut = rb.parse_run(Log(os.path.join(out, "futura.log")))[0]
lin = rb.parse_run(Log(os.path.join(out, "linux.log")))[0] if linux_ran else {}


class Args:
    accel, charts, icount = "tcg", "builtin", False


builtin = os.path.join(out, "builtin")
os.makedirs(builtin, exist_ok=True)
written, writer = rb.make_charts(Args(), builtin, fut, lin)
check(writer == "built-in", "--charts builtin used %s" % writer)
for _, svg in written:
    check(valid_svg(os.path.join(builtin, svg)), "built-in %s is not valid SVG/XML" % svg)

print("bench_smoke_test: %d rows (%s), Linux %s" %
      (len(rows), ", ".join(sorted(rows)), "ran" if linux_ran else "skipped"))
for f in failures:
    print("bench_smoke_test: FAIL: " + f)
print("bench_smoke_test: " + ("PASS" if not failures else "%d failures" % len(failures)))
sys.exit(1 if failures else 0)
PY
