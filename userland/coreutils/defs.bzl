"""The coreutils programs, for whoever assembles a root file system.

    load("//userland/coreutils:defs.bzl", "COREUTILS", "COREUTILS_ROOTFS_FILES")

    ROOTFS_FILES = dict(COREUTILS_ROOTFS_FILES)
    ROOTFS_FILES["/etc/motd"] = "motd.txt"
    initramfs(name = "rootfs", files = ROOTFS_FILES)

COREUTILS lists the program names; each is the target
//userland/coreutils:<name>, a static musl ELF. COREUTILS_ROOTFS_FILES maps
"/bin/<name>" to that label, in the form initramfs(files = ...) takes.
"""

COREUTILS = [
    "cat",
    "cp",
    "date",
    "dmesg",
    "find",
    "free",
    "grep",
    "head",
    "hexdump",
    "ln",
    "ls",
    "mkdir",
    "mv",
    "od",
    "ps",
    "rm",
    "rmdir",
    "sort",
    "stat",
    "tail",
    "tee",
    "touch",
    "uname",
    "uniq",
    "wc",
]

COREUTILS_ROOTFS_FILES = {
    "/bin/" + name: "//userland/coreutils:" + name
    for name in COREUTILS
}
