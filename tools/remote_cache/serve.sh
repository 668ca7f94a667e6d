#!/usr/bin/env bash
# Serves a Bazel HTTP remote cache from Debian's nginx (WebDAV module), on 127.0.0.1
# unless told otherwise.
#
#   tools/remote_cache/serve.sh [--port N] [--dir PATH] [--bind ADDR] [--foreground | --stop]
#
# Bazel's HTTP cache protocol is plain GET/HEAD/PUT on /ac/<sha256> (action results)
# and /cas/<sha256> (file contents). nginx runs as the current user, not as a system
# service: its config, pid file, logs and temp files all live in the storage directory,
# so several caches (one per directory and port) can run side by side.
#
# Starting is idempotent: if this directory's server is already up on the same port,
# the script says so and exits 0. A port held by anything else is an error (exit 1).
set -euo pipefail

readonly PROG="${0##*/}"
port=9092
bind=127.0.0.1
dir=""
mode=start

usage() {
    cat <<EOF
usage: $PROG [--port N] [--dir PATH] [--bind ADDR] [--foreground | --stop]

Starts nginx as a WebDAV store that Bazel's --remote_cache=http://... protocol uses.
  --port N       port to listen on (default 9092, as in .bazelrc's build:remote-cache)
  --dir PATH     storage directory: blobs, nginx.conf, nginx.pid, logs
                 (default ~/.cache/futura-remote-cache)
  --bind ADDR    IPv4 address to listen on (default 127.0.0.1). The cache has no
                 authentication: use another address only on a trusted network.
  --foreground   run nginx in the foreground (Ctrl-C stops it)
  --stop         stop the server that serves --dir
EOF
}

die() {
    echo "$PROG: error: $*" >&2
    exit 1
}

while (($#)); do
    case "$1" in
        --port) port="${2:?--port needs a value}"; shift 2 ;;
        --port=*) port="${1#*=}"; shift ;;
        --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
        --dir=*) dir="${1#*=}"; shift ;;
        --bind) bind="${2:?--bind needs a value}"; shift 2 ;;
        --bind=*) bind="${1#*=}"; shift ;;
        --foreground) mode=foreground; shift ;;
        --stop) mode=stop; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

if [[ -z "$dir" ]]; then
    dir="${HOME:?set HOME or pass --dir}/.cache/futura-remote-cache"
fi
[[ "$port" =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) ||
    die "--port must be a number from 1 to 65535, got '$port'"
[[ "$bind" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] ||
    die "--bind must be an IPv4 address such as 127.0.0.1, got '$bind'"

if [[ "$mode" == stop && ! -d "$dir" ]]; then
    echo "$PROG: no server running for $dir"
    exit 0
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd -P)"
readonly conf="$dir/nginx.conf" pidfile="$dir/nginx.pid" logdir="$dir/logs"

# The pid of this directory's running nginx master, or nothing. A pid file whose
# process is gone, or is no longer nginx with our config, is stale and ignored.
running_pid() {
    local pid
    [[ -r "$pidfile" ]] || return 0
    pid="$(<"$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    [[ -r "/proc/$pid/cmdline" ]] || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$conf"; then
        echo "$pid"
    fi
}

# ADDR:PORT of the existing config (the one a running server was started with).
configured_listen() {
    sed -n 's/^ *listen \([0-9.]*:[0-9]*\);.*/\1/p' "$conf" 2>/dev/null | head -n 1
}

# The address clients on this machine connect to.
local_addr() {
    if [[ "$bind" == 0.0.0.0 ]]; then echo 127.0.0.1; else echo "$bind"; fi
}

port_in_use() {
    # Connecting succeeds only if something listens there (on that address or a wildcard).
    (exec 3<>"/dev/tcp/$(local_addr)/$port") 2>/dev/null
}

print_flag() {
    echo "Bazel flag: --remote_cache=http://$(local_addr):$port"
    if [[ "$bind" == 127.* ]]; then
        echo "  (--config=remote-cache means http://127.0.0.1:9092)"
    else
        echo "WARNING: the cache is unauthenticated and listens on $bind:$port: anyone who" \
            "can reach it can read and overwrite build results. Trusted networks only."
    fi
}

stop_server() {
    local pid i
    pid="$(running_pid)"
    if [[ -z "$pid" ]]; then
        echo "$PROG: no server running for $dir"
        rm -f "$pidfile"
        return 0
    fi
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        die "nginx (pid $pid) did not exit within 10 s"
    fi
    rm -f "$pidfile"
    echo "$PROG: stopped nginx (pid $pid) serving $dir"
}

ensure_nginx() {
    PATH="$PATH:/usr/sbin:/sbin"
    command -v nginx >/dev/null && return 0
    if ((EUID != 0)); then
        die "nginx is not installed; run: sudo apt-get install nginx-light"
    fi
    echo "$PROG: nginx not found; installing nginx-light" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends nginx-light >&2
    command -v nginx >/dev/null || die "nginx-light installed but nginx is not on PATH"
}

write_config() {
    local user_line=""
    # A root master would otherwise drop its workers to 'nobody', which cannot write
    # into the storage directory; run them as the directory's owner instead.
    if ((EUID == 0)); then
        user_line="user $(stat -c '%U %G' "$dir");"
    fi
    mkdir -p "$dir/store/ac" "$dir/store/cas" "$logdir" "$dir/tmp"
    cat >"$conf.new" <<EOF
# Generated by tools/remote_cache/serve.sh; rewritten on every start.
$user_line
worker_processes 2;
pid $pidfile;
error_log $logdir/error.log;

events {
    worker_connections 512;
}

http {
    # Debian's build points these at /var/lib/nginx, which only root may write.
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;

    access_log $logdir/access.log;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000;

    server {
        listen $bind:$port;
        server_name futura-remote-cache;
        root $dir/store;

        # Bazel's HTTP cache protocol: GET/HEAD reads, PUT writes, anything else refused.
        location ~ ^/(ac|cas)/[0-9a-f]+\$ {
            limit_except GET PUT { deny all; }
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
            client_max_body_size 0;
        }

        location / {
            return 404;
        }
    }
}
EOF
    mv "$conf.new" "$conf"
}

start_server() {
    local pid running_listen i
    pid="$(running_pid)"
    if [[ -n "$pid" ]]; then
        running_listen="$(configured_listen)"
        if [[ "$running_listen" == "$bind:$port" ]]; then
            echo "$PROG: already running (pid $pid) on $bind:$port, serving $dir"
            print_flag
            return 0
        fi
        die "a server for $dir is already running (pid $pid) on $running_listen;" \
            "stop it first: $PROG --dir $dir --stop"
    fi
    rm -f "$pidfile"

    if port_in_use; then
        echo "$PROG: error: port $port on $(local_addr) is already in use by another program." >&2
        if command -v ss >/dev/null; then
            ss -ltnpH "sport = :$port" >&2 || true
        fi
        echo "$PROG: choose a free port with --port N." >&2
        exit 1
    fi

    ensure_nginx
    write_config
    nginx -t -q -c "$conf" -p "$dir/" -e "$logdir/error.log" ||
        die "nginx rejected the generated config $conf"

    if [[ "$mode" == foreground ]]; then
        echo "$PROG: serving $dir on $bind:$port in the foreground (Ctrl-C stops)"
        print_flag
        exec nginx -c "$conf" -p "$dir/" -e "$logdir/error.log" -g 'daemon off;'
    fi

    nginx -c "$conf" -p "$dir/" -e "$logdir/error.log" ||
        die "nginx failed to start; see $logdir/error.log"
    for ((i = 0; i < 50; i++)); do
        if [[ -n "$(running_pid)" ]] && port_in_use; then
            echo "$PROG: nginx (pid $(running_pid)) serving $dir on $bind:$port"
            echo "  logs: $logdir"
            print_flag
            return 0
        fi
        sleep 0.1
    done
    die "nginx did not come up on $bind:$port; see $logdir/error.log"
}

case "$mode" in
    stop) stop_server ;;
    start | foreground) start_server ;;
esac
