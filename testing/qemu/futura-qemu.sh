#!/usr/bin/env bash
# Boots a Futura kernel in QEMU with the serial console on this terminal.
# Used by `bazel run //:qemu` and by every QEMU test (testing/qemu/qemu_test.bzl).
#
# Guest exit status: the kernel writes 0x40+s to QEMU's isa-debug-exit port, so
# QEMU exits with 129+2*s; this script turns that back into s. QEMU's own exit
# 0 (window closed, Ctrl-A X, ACPI off) stays 0; QEMU errors stay non-zero.
set -u

usage() {
    cat <<'USAGE'
usage: futura-qemu [options]
  --tcg              software emulation (default; always works)
  --kvm              hardware virtualization (opt-in; needs a working /dev/kvm)
  --iso              boot the GRUB ISO instead of the fast direct-boot path
  --gdb              start paused with a gdb stub on :1234 and print the gdb command
  --mem SIZE         guest memory, e.g. 256M or 1G (default 256M)
  --smp N            number of CPUs (default 1)
  --append "ARGS"    kernel command line (fast path only; the ISO's is fixed)
  --initrd FILE      extra initramfs (newc cpio) passed as a boot module and unpacked
                     over the built-in one; at most one (QEMU's direct boot passes a
                     single module): to add several, concatenate them
                     (cat a.cpio b.cpio > both.cpio), which Futura unpacks in order
  --timeout SECS     kill QEMU after SECS seconds and fail (default: none)
  --log FILE         also copy the serial console to FILE
  -h, --help         this text
Ctrl-A X quits QEMU when the console is a terminal.
USAGE
}

die() { echo "futura-qemu: $*" >&2; exit 2; }

kernel="" iso="" accel="${FUT_ACCEL:-tcg}" use_iso=0 gdb=0 mem=256M smp=1
append="" timeout_s="" log="" initrd=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel-file) kernel="$2"; shift 2 ;;
        --iso-file) iso="$2"; shift 2 ;;
        --tcg) accel=tcg; shift ;;
        --kvm) accel=kvm; shift ;;
        --iso) use_iso=1; shift ;;
        --gdb) gdb=1; shift ;;
        --mem) [ $# -ge 2 ] || die "--mem needs a size"; mem="$2"; shift 2 ;;
        --smp) [ $# -ge 2 ] || die "--smp needs a number"; smp="$2"; shift 2 ;;
        --append) [ $# -ge 2 ] || die "--append needs an argument"; append="${append:+$append }$2"; shift 2 ;;
        --initrd)
            [ $# -ge 2 ] || die "--initrd needs a file"
            [ -z "$initrd" ] || die "--initrd may be given once (QEMU's direct boot passes one module); concatenate archives instead: cat a.cpio b.cpio > both.cpio"
            initrd="$2"; shift 2 ;;
        --timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout_s="$2"; shift 2 ;;
        --log) [ $# -ge 2 ] || die "--log needs a file"; log="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        --) shift ;;
        *) echo "futura-qemu: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp wants a positive number, got '$smp'"
[[ "$mem" =~ ^[1-9][0-9]*[MG]?$ ]] || die "--mem wants a size like 256M or 1G, got '$mem'"
[ -z "$timeout_s" ] || [[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants seconds"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: apt-get install qemu-system-x86"

args=(-M pc -m "$mem" -smp "$smp" -no-reboot -display none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)

case "$accel" in
    tcg) args+=(-accel tcg -cpu max) ;;
    kvm)
        if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
            die "--kvm: /dev/kvm is missing or not accessible; use --tcg"
        fi
        # -arch-capabilities: some nested hypervisors refuse that MSR.
        args+=(-accel kvm -cpu host,-arch-capabilities) ;;
    *) die "unknown accelerator '$accel' (FUT_ACCEL must be tcg or kvm)" ;;
esac

if [ "$use_iso" = 1 ]; then
    [ -f "$iso" ] || die "no ISO image given (--iso-file)"
    [ -z "$append" ] || die "--append cannot change the ISO's command line; drop --iso to use the fast path"
    [ -z "$initrd" ] || die "--initrd works with the fast path only; drop --iso"
    args+=(-cdrom "$iso" -boot d)
else
    [ -f "$kernel" ] || die "no kernel image given (--kernel-file)"
    args+=(-kernel "$kernel")
    # qboot starts a direct-boot kernel much faster than SeaBIOS.
    [ -f /usr/share/qemu/qboot.rom ] && args+=(-bios /usr/share/qemu/qboot.rom)
    [ -n "$append" ] && args+=(-append "$append")
    if [ -n "$initrd" ]; then
        [ -f "$initrd" ] || die "--initrd: no such file: $initrd"
        # QEMU 7.2 hands a PVH kernel exactly one module; a comma-separated list
        # (multiboot1 only) would be taken as one file name.
        args+=(-initrd "$initrd")
    fi
fi

if [ -t 0 ]; then
    args+=(-serial mon:stdio)   # Ctrl-A X quits, Ctrl-A C reaches the QEMU monitor
else
    args+=(-serial stdio)       # scripted input reaches the guest byte for byte
fi

if [ "$gdb" = 1 ]; then
    args+=(-s -S)
    sym="$(readlink -f "$kernel" 2>/dev/null || echo "$kernel")"
    echo "futura-qemu: waiting for gdb; connect with:" >&2
    echo "  gdb -ex 'target remote localhost:1234' '$sym'" >&2
fi

run() {
    if [ -n "$timeout_s" ]; then
        timeout -k 5 "$timeout_s" qemu-system-x86_64 "${args[@]}"
    else
        qemu-system-x86_64 "${args[@]}"
    fi
}

if [ -n "$log" ]; then
    run > >(tee "$log")
    rc=$?
    wait
else
    run
    rc=$?
fi

if [ -n "$timeout_s" ] && [ "$rc" = 124 ]; then
    echo "futura-qemu: TIMEOUT: the guest did not finish within ${timeout_s}s" >&2
    exit 124
fi
if [ "$rc" -ge 129 ] && [ $((rc % 2)) = 1 ]; then
    status=$(((rc - 129) / 2))
    echo "futura-qemu: guest exited with status $status" >&2
    exit "$status"
fi
if [ "$rc" != 0 ] && [ "$accel" = kvm ]; then
    echo "futura-qemu: QEMU failed under KVM (exit $rc). Nested or software KVM is often" >&2
    echo "  unreliable (see ENVIRONMENT notes); rerun with --tcg." >&2
fi
[ "$rc" = 0 ] || echo "futura-qemu: QEMU exited with status $rc" >&2
exit "$rc"
