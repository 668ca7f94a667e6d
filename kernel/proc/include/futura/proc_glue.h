#ifndef FUTURA_PROC_GLUE_H
#define FUTURA_PROC_GLUE_H

/* Installs the scheduler switch, tick, syscall and user-fault hooks. */
void fut_proc_glue_init(void);

#endif
