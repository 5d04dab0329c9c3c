/* Pseudo-terminals and processes for the session agent: what Swift cannot reach in glibc's headers
 * (POSIX_SPAWN_SETSID and posix_spawn_file_actions_addchdir_np are GNU extensions, and
 * ioctl is variadic). */
#ifndef CPSEUDOTERMINAL_H
#define CPSEUDOTERMINAL_H

#include <stddef.h>
#include <sys/types.h>

/* Opens a new pseudo-terminal's controlling side (close-on-exec, not this process's
 * controlling terminal) and writes its subordinate side's path into `path`. Returns the
 * descriptor, or -errno. */
int cpt_open(char *path, size_t path_size);

/* Sets the window size the subordinate side reports (TIOCSWINSZ); the kernel sends
 * SIGWINCH to its foreground process group. Returns 0 or -errno. */
int cpt_set_window_size(int fd, unsigned short rows, unsigned short columns);

/* Starts `argv` (searched in PATH when it has no slash) as the leader of a new session
 * whose controlling terminal and standard streams are the terminal at `tty`, in
 * `directory`, with `envp`, default signal dispositions and no blocked signals. Writes
 * the child's pid. Returns 0 or an errno. */
int cpt_spawn(pid_t *pid, const char *tty, const char *directory, char *const argv[], char *const envp[]);

/* Starts `argv` (searched in PATH when it has no slash) as the leader of a new process
 * group, sharing this process's standard streams, in `directory`, with `envp`, default
 * signal dispositions and no blocked signals. Writes the child's pid. Returns 0 or an
 * errno. */
int cpt_spawn_group(pid_t *pid, const char *directory, char *const argv[], char *const envp[]);

/* Starts the executable at the path `argv[0]` with its standard output on `output`
 * (standard input and error on /dev/null), default signals and an empty signal mask.
 * Returns 0 or an errno value. For short commands whose answer the agent reads. */
int cpt_spawn_reading(pid_t *pid, int output, char *const argv[], char *const envp[]);

#endif
