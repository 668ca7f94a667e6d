#!/usr/bin/env bash
# make_iso.sh KERNEL_ELF CMDLINE OUT.iso: a GRUB (BIOS) ISO that boots KERNEL_ELF
# through Multiboot2 with the console on COM1 and no menu delay.
# Reproducible: file and volume dates are pinned, so identical inputs give
# byte-identical ISOs.
set -eu
kernel="$1" cmdline="$2" out="$3"
case "$cmdline" in *[\"\;\$\`\\]*) echo "make_iso: command line contains characters GRUB would interpret" >&2; exit 1 ;; esac
command -v grub-mkrescue >/dev/null || { echo "make_iso: grub-mkrescue missing: apt-get install grub-pc-bin grub-common xorriso mtools" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/boot/grub"
cp "$kernel" "$work/iso/boot/futura.elf"
cat > "$work/iso/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry "Futura" {
    multiboot2 /boot/futura.elf $cmdline
    boot
}
CFG
PINNED=2025010100000000
export SOURCE_DATE_EPOCH=1735689600
if ! grub-mkrescue -o "$out" "$work/iso" \
        --modification-date="$PINNED" --set_all_file_dates "$PINNED" > "$work/log" 2>&1; then
    cat "$work/log" >&2
    exit 1
fi
