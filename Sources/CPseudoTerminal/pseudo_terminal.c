#define _GNU_SOURCE
#include "CPseudoTerminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int cpt_open(char *path, size_t path_size) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -errno;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, path, path_size) != 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int cpt_set_window_size(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size = {.ws_row = rows, .ws_col = columns};
    return ioctl(fd, TIOCSWINSZ, &size) == 0 ? 0 : -errno;
}

/* Spawns `argv` with `flags` (besides default signals and an empty mask): on the
 * terminal `tty` when it is not NULL; else, when `output` is not -1, with standard
 * output on `output` and standard input and error on /dev/null; in `directory` when it
 * is not NULL. */
static int spawn(pid_t *pid, short flags, const char *tty, int output, const char *directory, char *const argv[],
                 char *const envp[]) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    sigset_t all, none;
    int result;
    sigfillset(&all);
    sigemptyset(&none);
    if ((result = posix_spawnattr_init(&attributes)) != 0) return result;
    if ((result = posix_spawn_file_actions_init(&actions)) != 0) {
        posix_spawnattr_destroy(&attributes);
        return result;
    }
    /* setsid() runs before the file actions, so opening the terminal (without O_NOCTTY)
     * makes it the new session's controlling terminal. */
    if ((result = posix_spawnattr_setflags(&attributes, flags | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) == 0
        && (result = posix_spawnattr_setsigdefault(&attributes, &all)) == 0
        && (result = posix_spawnattr_setsigmask(&attributes, &none)) == 0
        && (result = posix_spawnattr_setpgroup(&attributes, 0)) == 0
        && (tty == NULL
            || ((result = posix_spawn_file_actions_addopen(&actions, 0, tty, O_RDWR, 0)) == 0
                && (result = posix_spawn_file_actions_adddup2(&actions, 0, 1)) == 0
                && (result = posix_spawn_file_actions_adddup2(&actions, 0, 2)) == 0))
        && (output == -1
            || ((result = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)) == 0
                && (result = posix_spawn_file_actions_adddup2(&actions, output, 1)) == 0
                && (result = posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)) == 0))
        && (directory == NULL || (result = posix_spawn_file_actions_addchdir_np(&actions, directory)) == 0)) {
        result = posix_spawnp(pid, argv[0], &actions, &attributes, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return result;
}

int cpt_spawn(pid_t *pid, const char *tty, const char *directory, char *const argv[], char *const envp[]) {
    return spawn(pid, POSIX_SPAWN_SETSID, tty, -1, directory, argv, envp);
}

int cpt_spawn_group(pid_t *pid, const char *directory, char *const argv[], char *const envp[]) {
    return spawn(pid, POSIX_SPAWN_SETPGROUP, NULL, -1, directory, argv, envp);
}


int cpt_spawn_reading(pid_t *pid, int output, char *const argv[], char *const envp[]) {
    return spawn(pid, 0, NULL, output, NULL, argv, envp);
}
