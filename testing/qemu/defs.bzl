"""QEMU test and ISO rules used by every subsystem.

qemu_test: boots the kernel (fast path by default, or the GRUB ISO), with
kernel arguments and optional initramfs files, and checks the guest's exit
status and serial log. TCG unless the run is given --config=kvm.
"""

def qemu_test(
        name,
        append = "",
        iso = None,
        initrds = [],
        expect_status = 0,
        expect = [],
        reject = [],
        input = None,
        script = None,
        timeout_s = 50,
        kernel = "//kernel:futura.elf",
        size = "small",
        tags = [],
        **kwargs):
    """A test that boots Futura in QEMU.

    Args:
      name: test name.
      append: kernel command line (fast path only).
      iso: an ISO target to boot through GRUB instead of the fast path.
      initrds: cpio archives passed as boot modules.
      expect_status: the guest's exit status (0 = success).
      expect: extended regexes the serial log must match.
      reject: extended regexes the serial log must not match.
      input: a file fed to the serial console at once.
      script: a console script (see qemu_test.sh): lines to type, @wait REGEX,
        @sleep SECONDS; for interactive sessions.
      timeout_s: QEMU is killed after this many seconds.
      kernel: the kernel ELF for the fast path.
      size: Bazel test size.
      tags: extra tags; "qemu" is always added.
      **kwargs: passed to sh_test.
    """
    data = ["//testing/qemu:futura-qemu"]
    args = ["--runner", "$(location //testing/qemu:futura-qemu)", "--expect-status", str(expect_status)]
    for e in expect:
        args += ["--expect", "'%s'" % e]
    for r in reject:
        args += ["--reject", "'%s'" % r]
    if input:
        data.append(input)
        args += ["--input", "$(location %s)" % input]
    if script:
        data.append(script)
        args += ["--script", "$(location %s)" % script]
    args += ["--", "--timeout", str(timeout_s)]
    if iso:
        data.append(iso)
        args += ["--iso", "--iso-file", "$(location %s)" % iso]
    else:
        data.append(kernel)
        args += ["--kernel-file", "$(location %s)" % kernel]
        if append:
            args += ["--append", "'%s'" % append]
    for f in initrds:
        data.append(f)
        args += ["--initrd", "$(location %s)" % f]
    native.sh_test(
        name = name,
        srcs = ["//testing/qemu:qemu_test.sh"],
        args = args,
        data = data,
        size = size,
        tags = ["qemu"] + tags,
        **kwargs
    )

def futura_iso(name, kernel = "//kernel:futura.elf", cmdline = "", **kwargs):
    """A bootable GRUB ISO (Multiboot2) of `kernel` with a fixed command line.

    The ISO is byte-for-byte reproducible: all file and volume dates are pinned.
    """
    native.genrule(
        name = name,
        srcs = [kernel],
        outs = [name + ".iso"],
        cmd = " ".join([
            "$(location //testing/qemu:make_iso.sh)",
            "$(location %s)" % kernel,
            "'%s'" % cmdline,
            "$@",
        ]),
        tools = ["//testing/qemu:make_iso.sh"],
        **kwargs
    )
