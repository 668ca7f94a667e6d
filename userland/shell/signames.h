/* Signal names and descriptions (Linux numbering). */
#ifndef FUTSH_SIGNAMES_H
#define FUTSH_SIGNAMES_H

/* "INT" for SIGINT, or NULL. */
const char *signal_name(int sig);
/* SIGINT from "INT", "SIGINT", "int" or "2"; -1 if unknown. */
int signal_number(const char *name);
/* "Interrupt", "Killed", ...: what a job listing says about a signal. */
const char *signal_description(int sig);
int signal_max(void);

#endif
