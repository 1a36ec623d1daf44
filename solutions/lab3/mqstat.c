/* mqstat.c

   Usage: mqstat [-n] /NAME

   Print the attributes of the POSIX queue /NAME as mq_getattr reports them
   through a new descriptor: flags, maxmsg, msgsize and curmsgs. With -n the
   descriptor is first switched to non-blocking with mq_setattr, which shows
   that the flag belongs to the descriptor, not to the queue.

   See also mqsnd.c, mqrcv.c. Lab 3, handout section 5.
*/
/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mq_*, getopt */

#include <fcntl.h>
#include <unistd.h>

#include "mqlab.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: mqstat [-n] /NAME\n"
                "  -n     switch this descriptor to non-blocking (mq_setattr) first\n"
                "  /NAME  the queue to describe\n");
}

int main(int argc, char *argv[])
{
    struct mq_attr attr, nonblock = {.mq_flags = O_NONBLOCK};
    int opt, set_nonblock = 0;
    const char *name;
    mqd_t mq;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "n")) != -1) {
        if (opt != 'n') {
            usage(stderr);
            return EXIT_FAILURE;
        }
        set_nonblock = 1;
    }
    if (argc - optind != 1) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    name = argv[optind];
    check_name(name);

    /* Looking needs no right to read or write: open for reading, never create */
#ifndef STARTER
    mq = mq_open(name, O_RDONLY);
#else
    /* TODO 1 (handout 5): open the existing queue NAME for reading only */
    errno = ENOSYS;
    mq = (mqd_t)-1;
#endif
    if (mq == (mqd_t)-1)
        die("mq_open %s", name);
#ifndef STARTER
    if (set_nonblock && mq_setattr(mq, &nonblock, NULL) == -1)
        die("mq_setattr O_NONBLOCK");
    if (mq_getattr(mq, &attr) == -1)
        die("mq_getattr");
#else

    /* TODO 2 (handout 5): with -n, switch this descriptor to non-blocking
       (mq_setattr with NONBLOCK); then read the attributes into ATTR */
    (void)set_nonblock;
    (void)nonblock;
    memset(&attr, 0, sizeof(attr));
#endif

    printf("%s\n", name);
    printf("flags   = %s\n", (attr.mq_flags & O_NONBLOCK) ? "O_NONBLOCK" : "0");
    printf("maxmsg  = %ld\n", attr.mq_maxmsg);
    printf("msgsize = %ld\n", attr.mq_msgsize);
    printf("curmsgs = %ld\n", attr.mq_curmsgs);

    if (mq_close(mq) == -1)
        die("mq_close");
    return EXIT_SUCCESS;
}
