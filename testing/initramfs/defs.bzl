"""initramfs: a newc cpio archive built from Bazel targets, for the kernel's root file system.

    initramfs(
        name = "rootfs",
        files = {"/bin/hello": "//userland/hello", "/etc/motd": "motd.txt"},
        dirs = ["/tmp"],
        symlinks = {"/bin/sh": "hello"},
        modes = {"/tmp": "1777"},
    )

writes `rootfs.cpio` with //tools/mkcpio: deterministic (sorted entries,
mtime 0, owner 0:0), parent directories implied (0755). Every `files` label
must provide exactly one file; it becomes a regular file with mode 0755 if it
is executable and 0644 otherwise. Executable means a target Bazel can run
(cc_binary, sh_binary, genrule(executable = True)), or a file with an execute
bit that is a "#!" script or an ELF program (Bazel marks every build output
executable, so the bit alone does not count; userland_binary outputs are ELF). `modes` overrides the mode of any file or directory by its path
(octal string); directories default to 0755, symlinks are 0777. Paths are
absolute and may not contain blanks, "." or ".." components.

Pass the archive to a QEMU test with qemu_test(initrds = [":rootfs"]) or to
`bazel run //:qemu -- --initrd bazel-bin/<package>/rootfs.cpio`.
"""

def _check_path(what, path):
    if not path.startswith("/") or path == "/":
        fail("%s \"%s\" must be an absolute path below /" % (what, path))
    for c in [" ", "\t", "\n"]:
        if c in path:
            fail("%s \"%s\" may not contain blanks" % (what, path))
    for part in path[1:].split("/"):
        if part in ["", ".", ".."]:
            fail("%s \"%s\" may not have empty, \".\" or \"..\" components" % (what, path))

def _check_mode(path, mode):
    if not mode or len(mode) > 5:
        fail("mode \"%s\" of \"%s\" is not an octal permission mode" % (mode, path))
    for c in mode.elems():
        if c not in "01234567":
            fail("mode \"%s\" of \"%s\" is not an octal permission mode" % (mode, path))

def _initramfs_impl(ctx):
    modes = ctx.attr.modes
    for path, mode in modes.items():
        _check_mode(path, mode)
    used_modes = {}
    lines = []
    inputs = []
    for target, dests in ctx.attr.files.items():
        srcs = target[DefaultInfo].files.to_list()
        if len(srcs) != 1:
            fail("%s must provide exactly one file for the initramfs; it provides %d" %
                 (target.label, len(srcs)))
        src = srcs[0]
        inputs.append(src)
        if not src.is_source and target[DefaultInfo].files_to_run.executable:
            default_mode = "0755"  # a target Bazel can run
        else:
            default_mode = ""  # mkcpio decides from the execute bit and the contents
        for dest in dests.split(" "):
            _check_path("file", dest)
            mode = modes.get(dest, default_mode)
            lines.append(" ".join(["file", dest, src.path, mode]).rstrip(" "))
            used_modes[dest] = True
    for dest in ctx.attr.dirs:
        _check_path("directory", dest)
        lines.append("dir %s %s" % (dest, modes.get(dest, "0755")))
        used_modes[dest] = True
    for dest, target in ctx.attr.symlinks.items():
        _check_path("symlink", dest)
        if not target or " " in target or "\t" in target or "\n" in target:
            fail("symlink target \"%s\" of \"%s\" must be non-empty without blanks" % (target, dest))
        lines.append("symlink %s %s" % (dest, target))
    for path in modes:
        if path not in used_modes:
            fail("modes names \"%s\", which is not in files or dirs" % path)

    manifest = ctx.actions.declare_file(ctx.label.name + ".manifest")
    ctx.actions.write(manifest, "\n".join(lines) + "\n")
    out = ctx.actions.declare_file(ctx.label.name + ".cpio")
    ctx.actions.run(
        executable = ctx.executable._mkcpio,
        arguments = [manifest.path, out.path],
        inputs = inputs + [manifest],
        outputs = [out],
        mnemonic = "MkCpio",
        progress_message = "Building initramfs %s" % out.short_path,
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

_initramfs = rule(
    implementation = _initramfs_impl,
    attrs = {
        # label -> its destination paths, separated by spaces (see initramfs()).
        "files": attr.label_keyed_string_dict(allow_files = True),
        "dirs": attr.string_list(),
        "symlinks": attr.string_dict(),
        "modes": attr.string_dict(),
        "_mkcpio": attr.label(
            default = "//tools/mkcpio",
            executable = True,
            cfg = "exec",
        ),
    },
)

def initramfs(name, files = {}, dirs = [], symlinks = {}, modes = {}, **kwargs):
    """A newc cpio archive `<name>.cpio` of Bazel-built files (see the module docstring).

    Args:
      name: target name; the archive is `<name>.cpio`.
      files: destination path -> label of exactly one file.
      dirs: directories to create (parents of files are implied).
      symlinks: destination path -> link target.
      modes: path -> octal mode string, overriding the defaults.
      **kwargs: passed to the rule (visibility, tags, testonly, ...).
    """

    # Bazel dicts keyed by label are label -> string; one file may have several
    # destinations, which cannot contain blanks, so they are joined with spaces.
    dests_by_label = {}
    for dest, label in files.items():
        _check_path("file", dest)
        if label in dests_by_label:
            dests_by_label[label] += " " + dest
        else:
            dests_by_label[label] = dest
    _initramfs(
        name = name,
        files = dests_by_label,
        dirs = dirs,
        symlinks = symlinks,
        modes = modes,
        **kwargs
    )
