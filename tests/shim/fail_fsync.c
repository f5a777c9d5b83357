/* fail_fsync.c: an LD_PRELOAD shim that makes fsync(2) fail with ENOSPC when
 * NG_SHIM_FAIL_FSYNC is set, so the CLI tests can see what a full disk does
 * to `nergraph build` (tests run as root: permissions prove nothing). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

int fsync(int fd);

int fsync(int fd)
{
    if (getenv("NG_SHIM_FAIL_FSYNC")) {
        errno = ENOSPC;
        return -1;
    }
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real ? real(fd) : 0;
}
