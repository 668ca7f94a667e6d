"""A cc_toolchain_config for clang-14 + lld driven entirely by flag lists.

One rule serves every non-host world Futura builds for (the freestanding kernel,
and later the static musl userland): a world is just a set of compile and link
flags, so each platform's BUILD.bazel states its flags in one readable place.
"""

load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")

_COMPILE_ACTIONS = [
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
]

_C_ONLY_ACTIONS = [ACTION_NAMES.c_compile]

_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _flags_feature(name, actions, flags):
    return feature(
        name = name,
        enabled = True,
        flag_sets = [flag_set(
            actions = actions,
            flag_groups = [flag_group(flags = flags)],
        )] if flags else [],
    )

def _impl(ctx):
    tools = {
        "gcc": ctx.attr.clang,
        "cpp": ctx.attr.clang,
        "ld": "/usr/bin/ld.lld-14",
        "ar": "/usr/bin/llvm-ar-14",
        "nm": "/usr/bin/llvm-nm-14",
        "objcopy": "/usr/bin/llvm-objcopy-14",
        "objdump": "/usr/bin/llvm-objdump-14",
        "strip": "/usr/bin/llvm-strip-14",
        "gcov": "/bin/false",
    }
    features = [
        _flags_feature("futura_compile_flags", _COMPILE_ACTIONS, ctx.attr.compile_flags),
        _flags_feature("futura_c_flags", _C_ONLY_ACTIONS, ctx.attr.c_flags),
        _flags_feature("futura_link_flags", _LINK_ACTIONS, ctx.attr.link_flags),
        feature(name = "opt"),
        feature(name = "dbg"),
        feature(name = "fastbuild"),
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = ctx.attr.toolchain_identifier,
        host_system_name = "x86_64-unknown-linux-gnu",
        target_system_name = ctx.attr.target_system_name,
        target_cpu = "x86_64",
        target_libc = ctx.attr.target_libc,
        compiler = "clang",
        abi_version = "unknown",
        abi_libc_version = "unknown",
        tool_paths = [tool_path(name = k, path = v) for k, v in tools.items()],
        cxx_builtin_include_directories = ctx.attr.builtin_include_dirs,
        features = features,
    )

clang_toolchain_config = rule(
    implementation = _impl,
    attrs = {
        "builtin_include_dirs": attr.string_list(),
        "c_flags": attr.string_list(),
        "clang": attr.string(default = "/usr/bin/clang-14"),
        "compile_flags": attr.string_list(),
        "link_flags": attr.string_list(),
        "target_libc": attr.string(default = "none"),
        "target_system_name": attr.string(mandatory = True),
        "toolchain_identifier": attr.string(mandatory = True),
    },
    provides = [CcToolchainConfigInfo],
)
