"""Build a target for another platform than the one on the command line.

`bazel test //...` builds for the host. The kernel image needs the *same*
cc_library targets compiled freestanding, so the image rule moves its binary
into the kernel platform with an outgoing transition; host cc_tests keep
depending on those libraries directly.
"""

def _to_platform_impl(_settings, attr):
    # Host-only options (--config=asan's sanitizer flags, say) must not leak
    # into freestanding code: the platform's toolchain carries its own flags.
    return {
        "//command_line_option:platforms": str(attr.platform),
        "//command_line_option:copt": [],
        "//command_line_option:linkopt": [],
    }

_to_platform = transition(
    implementation = _to_platform_impl,
    inputs = [],
    outputs = [
        "//command_line_option:platforms",
        "//command_line_option:copt",
        "//command_line_option:linkopt",
    ],
)

def _platform_binary_impl(ctx):
    src = ctx.attr.binary[0][DefaultInfo].files.to_list()[0]
    out = ctx.actions.declare_file(ctx.attr.name)
    ctx.actions.symlink(output = out, target_file = src)
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

platform_binary = rule(
    implementation = _platform_binary_impl,
    doc = "Exposes `binary` built for `platform` as a plain file named after this target.",
    attrs = {
        "binary": attr.label(cfg = _to_platform, mandatory = True),
        "platform": attr.label(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
