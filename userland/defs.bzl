"""userland_binary: a static Linux x86-64 program for Futura, built against musl.

    userland_binary(name, srcs, deps = [], pie = False, ...)

builds `srcs` as a cc_binary for //platforms:userland_x86_64_linux_musl,
whatever the command line's platform, and exposes the static ELF as the
single file of target `name` (bazel-bin/<package>/<name>). The cc_binary
itself is `<name>.musl`; it only builds for the userland platform, so
`bazel build //...` on the host skips it and builds it through `name`.

pie = False links an ET_EXEC at lld's fixed addresses (crt1.o);
pie = True links a static PIE (ET_DYN, rcrt1.o relocates it at start-up),
which the kernel loads at a load bias of its choosing.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//platforms:transition.bzl", "platform_binary")

USERLAND_PLATFORM = "//platforms:userland_x86_64_linux_musl"

def userland_binary(name, srcs, deps = [], pie = False, copts = [], linkopts = [], visibility = None, tags = [], **kwargs):
    """A static musl program built for Futura's userland platform.

    Args:
      name: the target exposing the ELF file (named `name`).
      srcs: C sources and private headers.
      deps: cc_library targets (built for the userland platform).
      pie: link a static PIE instead of a fixed-address executable.
      copts: extra compiler flags (the toolchain already has -Wall -Wextra -Werror).
      linkopts: extra linker flags, placed after the program's objects.
      visibility: of `name`.
      tags: for both targets.
      **kwargs: passed to the cc_binary.
    """
    cc_binary(
        name = name + ".musl",
        srcs = srcs,
        deps = deps,
        copts = copts,
        linkopts = linkopts,
        features = ["static_pie"] if pie else [],
        target_compatible_with = ["//platforms:libc_musl"],
        visibility = ["//visibility:private"],
        tags = tags,
        **kwargs
    )
    platform_binary(
        name = name,
        binary = ":" + name + ".musl",
        platform = USERLAND_PLATFORM,
        visibility = visibility,
        tags = tags,
    )
