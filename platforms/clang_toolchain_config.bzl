"""A cc_toolchain_config for clang-14 + lld driven entirely by flag lists.

One rule serves every non-host world Futura builds for (the freestanding kernel
and the static musl userland): a world is just a set of compile and link flags,
so each platform's BUILD.bazel states its flags in one readable place.

Link command order. Bazel's built-in ("legacy") features put the program's
objects and libraries before every toolchain flag. A hosted world needs its C
runtime around them - crt1.o crti.o first, then the program, then -lc crtn.o -
so when `link_startfiles` or `link_endfiles` is given, this rule defines its own
`libraries_to_link` and `user_link_flags` features (same flags as Bazel's),
which replaces the built-in ones and lets it order the link line as:

    -o OUT  link_flags  link_startfiles  OBJECTS+LIBRARIES  linkopts  link_endfiles

Static PIE. When `static_pie_link_flags` is given the toolchain offers a feature
`static_pie`; a binary with `features = ["static_pie"]` links with
`static_pie_link_flags` and `static_pie_link_startfiles` in place of
`link_flags` and `link_startfiles`.
"""

load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
    "variable_with_value",
    "with_feature_set",
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

def _link_flags_feature(name, flags, pie_flags, pie_defined):
    """Link flags, with a static-PIE alternative when the toolchain offers one."""
    if not pie_defined:
        return _flags_feature(name, _LINK_ACTIONS, flags)
    flag_sets = []
    if flags:
        flag_sets.append(flag_set(
            actions = _LINK_ACTIONS,
            flag_groups = [flag_group(flags = flags)],
            with_features = [with_feature_set(not_features = ["static_pie"])],
        ))
    if pie_flags:
        flag_sets.append(flag_set(
            actions = _LINK_ACTIONS,
            flag_groups = [flag_group(flags = pie_flags)],
            with_features = [with_feature_set(features = ["static_pie"])],
        ))
    return feature(name = name, enabled = True, flag_sets = flag_sets)

def _when_type(type_name, flags, **kwargs):
    return flag_group(
        flags = flags,
        expand_if_equal = variable_with_value(name = "libraries_to_link.type", value = type_name),
        **kwargs
    )

# Bazel's own libraries_to_link (tools/cpp/unix_cc_toolchain_config.bzl), so it
# can sit between the start files and the end files.
_LIBRARIES_TO_LINK = feature(
    name = "libraries_to_link",
    flag_sets = [flag_set(
        actions = _LINK_ACTIONS,
        flag_groups = [flag_group(
            iterate_over = "libraries_to_link",
            expand_if_available = "libraries_to_link",
            flag_groups = [
                _when_type("object_file_group", ["-Wl,--start-lib"]),
                flag_group(
                    flags = ["-Wl,-whole-archive"],
                    expand_if_true = "libraries_to_link.is_whole_archive",
                ),
                _when_type(
                    "object_file_group",
                    ["%{libraries_to_link.object_files}"],
                    iterate_over = "libraries_to_link.object_files",
                ),
                _when_type("object_file", ["%{libraries_to_link.name}"]),
                _when_type("interface_library", ["%{libraries_to_link.name}"]),
                _when_type("static_library", ["%{libraries_to_link.name}"]),
                _when_type("dynamic_library", ["-l%{libraries_to_link.name}"]),
                _when_type("versioned_dynamic_library", ["-l:%{libraries_to_link.name}"]),
                flag_group(
                    flags = ["-Wl,-no-whole-archive"],
                    expand_if_true = "libraries_to_link.is_whole_archive",
                ),
                _when_type("object_file_group", ["-Wl,--end-lib"]),
            ],
        )],
    )],
)

_USER_LINK_FLAGS = feature(
    name = "user_link_flags",
    flag_sets = [flag_set(
        actions = _LINK_ACTIONS,
        flag_groups = [flag_group(
            flags = ["%{user_link_flags}"],
            iterate_over = "user_link_flags",
            expand_if_available = "user_link_flags",
        )],
    )],
)

def _link_features(ctx):
    pie = bool(ctx.attr.static_pie_link_flags)
    features = [_link_flags_feature(
        "futura_link_flags",
        ctx.attr.link_flags,
        ctx.attr.static_pie_link_flags,
        pie,
    )]
    if pie:
        features.append(feature(name = "static_pie"))
    if ctx.attr.link_startfiles or ctx.attr.link_endfiles or pie:
        features += [
            _link_flags_feature(
                "futura_link_startfiles",
                ctx.attr.link_startfiles,
                ctx.attr.static_pie_link_startfiles,
                pie,
            ),
            _LIBRARIES_TO_LINK,
            _USER_LINK_FLAGS,
            _flags_feature("futura_link_endfiles", _LINK_ACTIONS, ctx.attr.link_endfiles),
        ]
    return features

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
    ] + _link_features(ctx) + [
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
        "link_endfiles": attr.string_list(doc = "After the program's objects and libraries (-lc crtn.o)."),
        "link_flags": attr.string_list(),
        "link_startfiles": attr.string_list(doc = "Before the program's objects (crt1.o crti.o)."),
        "static_pie_link_flags": attr.string_list(doc = "Replace link_flags under feature static_pie."),
        "static_pie_link_startfiles": attr.string_list(doc = "Replace link_startfiles under feature static_pie."),
        "target_libc": attr.string(default = "none"),
        "target_system_name": attr.string(mandatory = True),
        "toolchain_identifier": attr.string(mandatory = True),
    },
    provides = [CcToolchainConfigInfo],
)
