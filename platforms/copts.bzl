"""Compiler options for Futura's own C and C++ sources.

Kernel builds get their flags from the kernel toolchain (platforms/BUILD.bazel);
host builds use Bazel's host toolchain plus these, so both worlds are -Werror.
"""

FUT_C_COPTS = select({
    "@platforms//os:none": [],
    "//conditions:default": ["-std=gnu11", "-Wall", "-Wextra", "-Werror"],
})

FUT_TEST_COPTS = ["-Wall", "-Wextra", "-Werror"]
