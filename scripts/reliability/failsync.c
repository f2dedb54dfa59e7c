/* LD_PRELOAD shim for Vigil's reliability checks: fsync, fdatasync and
 * syncfs fail with EIO while the file named by $FAILSYNC_FLAG exists, and
 * behave normally otherwise. Built by fsync-fault.sh with
 *   gcc -shared -fPIC -O2 -o failsync.so failsync.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static int faulty(void) {
    const char *flag = getenv("FAILSYNC_FLAG");
    return flag != NULL && access(flag, F_OK) == 0;
}

#define WRAP(name)                                                        \
    int name(int fd) {                                                    \
        static int (*real)(int) = NULL;                                   \
        if (faulty()) {                                                   \
            errno = EIO;                                                  \
            return -1;                                                    \
        }                                                                 \
        if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, #name);   \
        return real(fd);                                                  \
    }

WRAP(fsync)
WRAP(fdatasync)
WRAP(syncfs)
