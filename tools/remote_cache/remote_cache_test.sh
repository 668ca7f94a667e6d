#!/usr/bin/env bash
# Proves that serve.sh's cache makes a clean rebuild run no action locally.
#
#   remote_cache_test.sh [TARGET]     (default //:iso)
#
# 1. Starts serve.sh on a free loopback port with a fresh storage directory.
# 2. Copies the workspace into $TEST_TMPDIR and builds TARGET there with a nested
#    Bazel (own output root, disk cache off, --config=remote-cache pointed at that
#    port): actions run locally and their results are uploaded.
# 3. `bazel clean` in the copy, then the same build again. Bazel's summary line
#    ("INFO: N processes: ...") must count only "remote cache hit" and "internal"
#    processes, and every output must be byte-identical to the first build's.
# The nested Bazel server and nginx are stopped on every exit path.
set -euo pipefail

readonly target="${1:-//:iso}"
readonly runfiles="${TEST_SRCDIR:?run me with bazel test}/${TEST_WORKSPACE:-futura}"
readonly tmp="${TEST_TMPDIR:?run me with bazel test}"
readonly serve="$runfiles/tools/remote_cache/serve.sh"
# The WORKSPACE runfile is a symlink into the real source tree.
src="$(dirname "$(readlink -f "$runfiles/WORKSPACE")")"
readonly src

readonly ws="$tmp/ws" out="$tmp/out" home="$tmp/home" store="$tmp/cache"
readonly other_store="$tmp/cache-other"
# Bazel keeps undeclared outputs (zipped) next to test.log: the nested build logs.
readonly logs="${TEST_UNDECLARED_OUTPUTS_DIR:-$tmp/logs}"
mkdir -p "$ws" "$home" "$logs"
port=""
nested_started=0

log() { echo "remote_cache_test: $*"; }

fail() {
    echo "remote_cache_test: FAIL: $*" >&2
    exit 1
}

# Bazel in the copied workspace, in a clean environment: no TEST_* variables from the
# outer test, a writable HOME, an output root of its own. It exits by itself after
# two idle minutes should the cleanup below never run.
nested_bazel() {
    local cmd="$1"
    shift
    (cd "$ws" && env -i HOME="$home" USER="${USER:-$(id -un)}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bazel --output_user_root="$out" --max_idle_secs=120 "$cmd" "$@")
}

cleanup() {
    local rc=$?
    set +e
    if ((nested_started)); then
        nested_bazel shutdown >/dev/null 2>&1
    fi
    if [[ -n "$port" ]]; then
        if ((rc != 0)) && [[ -s "$store/logs/error.log" ]]; then
            echo "--- nginx error.log (last 20 lines) ---" >&2
            tail -n 20 "$store/logs/error.log" >&2
        fi
        "$serve" --dir "$store" --stop
        "$serve" --dir "$other_store" --stop >/dev/null
    fi
    # Bazel leaves read-only directories behind; make them deletable.
    chmod -R u+w "$out" "$ws" 2>/dev/null
    rm -rf "$out" "$ws" "$home" "$store" "$other_store" "$tmp/first"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT HUP

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_free_port() {
    local p i
    for ((i = 0; i < 50; i++)); do
        p=$((20000 + RANDOM % 30000))
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
    done
    fail "no free loopback port found in 50 tries"
}

# The last "INFO: N processes: ..." line of a Bazel log.
summary_line() {
    grep -E '^INFO: [0-9]+ process(es)?[:.]' "$1" | tail -n 1
}

# Processes in a summary line that did real work here: every kind except
# "internal" (symlinks, file writes) and "remote cache hit".
local_process_count() {
    local line="$1" kinds part n kind total=0
    kinds="${line#*: *: }"
    [[ "$kinds" == "$line" ]] && { echo 0; return; } # "INFO: 0 processes."
    kinds="${kinds%.}"
    IFS=',' read -ra parts <<<"$kinds"
    for part in "${parts[@]}"; do
        read -r n kind <<<"$part"
        case "$kind" in
            internal | "remote cache hit") ;;
            *) total=$((total + n)) ;;
        esac
    done
    echo "$total"
}

remote_hit_count() {
    sed -n 's/.* \([0-9][0-9]*\) remote cache hit.*/\1/p' <<<"$1" | grep . || echo 0
}

# The output files Bazel reports for the target ("Target ... up-to-date:" block).
output_files() {
    awk '/^Target .* up-to-date:$/ { on = 1; next }
         on && /^  [^ ]/ { sub(/^  /, ""); print; next }
         { on = 0 }' "$1"
}

# --- serve.sh: start, idempotent restart, refusal of a taken port --------------------
port="$(pick_free_port)"
log "starting nginx on 127.0.0.1:$port, storage $store"
"$serve" --port "$port" --dir "$store" | tee "$logs/serve.out"
grep -qF -- "--remote_cache=http://127.0.0.1:$port" "$logs/serve.out" ||
    fail "serve.sh did not print the --remote_cache flag"
"$serve" --port "$port" --dir "$store" >"$logs/serve-again.out" ||
    fail "a second start of the same server was not idempotent"
grep -q "already running" "$logs/serve-again.out" ||
    fail "a second start did not report the running server"
if "$serve" --port "$port" --dir "$other_store" >"$logs/taken.out" 2>&1; then
    fail "serve.sh started a second server on the taken port $port"
fi
grep -q "already in use" "$logs/taken.out" ||
    fail "serve.sh's taken-port message is unclear: $(cat "$logs/taken.out")"

# --- the workspace copy -------------------------------------------------------------
log "copying $src (without bazel-* and .git) to $ws"
tar -C "$src" --exclude='./bazel-*' --exclude=./.git -cf - . | tar -C "$ws" -xf -

readonly flags=(
    --config=remote-cache
    --remote_cache="http://127.0.0.1:$port"
    --disk_cache=
)

# --- build 1: populate the cache ----------------------------------------------------
log "build 1: bazel build ${flags[*]} $target"
nested_started=1
start=$SECONDS
nested_bazel build "${flags[@]}" "$target" 2>&1 | tee "$logs/build1.log"
((PIPESTATUS[0] == 0)) || fail "build 1 of $target failed"
log "build 1 took $((SECONDS - start)) s"
line1="$(summary_line "$logs/build1.log")"
[[ -n "$line1" ]] || fail "build 1 printed no 'INFO: N processes' line"
(($(local_process_count "$line1") > 0)) ||
    fail "build 1 ran nothing locally ('$line1'); the cache was not empty"

n_ac="$(find "$store/store/ac" -type f | wc -l)"
n_cas="$(find "$store/store/cas" -type f | wc -l)"
log "cache now holds $n_ac action results and $n_cas blobs"
((n_ac > 0 && n_cas > 0)) || fail "build 1 uploaded nothing to the cache"

mapfile -t outputs < <(output_files "$logs/build1.log")
((${#outputs[@]} > 0)) || fail "build 1 reported no output files for $target"
mkdir -p "$tmp/first"
for f in "${outputs[@]}"; do
    mkdir -p "$tmp/first/$(dirname "$f")"
    cp -L "$ws/$f" "$tmp/first/$f"
done

# --- build 2: clean output tree, everything from the cache --------------------------
log "bazel clean (nested workspace only)"
nested_bazel clean 2>&1 | tee "$logs/clean.log"
for f in "${outputs[@]}"; do
    [[ ! -e "$ws/$f" ]] || fail "bazel clean left $f behind"
done

log "build 2: bazel build ${flags[*]} $target"
start=$SECONDS
nested_bazel build "${flags[@]}" --execution_log_json_file="$logs/exec2.json" \
    "$target" 2>&1 | tee "$logs/build2.log"
((PIPESTATUS[0] == 0)) || fail "build 2 of $target failed"
log "build 2 took $((SECONDS - start)) s"
line2="$(summary_line "$logs/build2.log")"
[[ -n "$line2" ]] || fail "build 2 printed no 'INFO: N processes' line"
if (($(local_process_count "$line2") != 0)); then
    echo "--- actions that missed the cache (from the execution log) ---" >&2
    awk -F'"' '/^  "progressMessage":/ { msg = $4 }
               /^  "runner":/ && $4 != "remote cache hit" { print "  " $4 ": " msg }' \
        "$logs/exec2.json" >&2
    fail "build 2 ran actions locally: '$line2'"
fi
(($(remote_hit_count "$line2") > 0)) || fail "build 2 had no remote cache hit: '$line2'"

for f in "${outputs[@]}"; do
    [[ -f "$ws/$f" ]] || fail "build 2 did not produce $f"
    cmp "$tmp/first/$f" "$ws/$f" || fail "$f differs between build 1 and build 2"
done

log "evidence, build 1: $line1"
log "evidence, build 2: $line2"
log "outputs byte-identical: ${outputs[*]}"
log "PASS"
