/* Assembly helper: declare that the instruction at `insn` may fault and
 * execution resumes at `fixup`. Entries land in the fut_extable section. */
#ifndef FUTURA_ARCH_EXTABLE_H
#define FUTURA_ARCH_EXTABLE_H

#define FUT_EXTABLE_ENTRY(insn, fixup) \
    .pushsection fut_extable, "a";     \
    .balign 8;                         \
    .quad insn, fixup;                 \
    .popsection

#endif
