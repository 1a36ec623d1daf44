/* mqrcv.c

   Usage: mqrcv [-t SECONDS] [-b BYTES] /NAME

   Receive every message from the POSIX queue /NAME, highest priority first,
   print them, and say how many remain. Without -t the receiver never waits
   (the queue is switched to non-blocking with mq_setattr); with -t it waits
   up to SECONDS for each message. When the queue is empty, offer to unlink it.

   See also mqsnd.c, mqstat.c. Lab 3, handout section 4.
*/
/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mq_*, getopt, clock_gettime */

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "mqlab.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: mqrcv [-t SECONDS] [-b BYTES] /NAME\n"
                "  -t SECONDS  wait up to SECONDS for each message (default: do not wait)\n"
                "  -b BYTES    receive into a buffer of BYTES (default: the queue's msgsize)\n"
                "  /NAME       the queue mqsnd filled\n");
}

/* Read one answer line; only an answer starting with 'y' means yes. */
static int ask_yes(void)
{
    int c = getchar(), first = c;

    while (c != '\n' && c != EOF)
        c = getchar();
    return first == 'y' || first == 'Y';
}

int main(int argc, char *argv[])
{
    struct mq_attr attr, nonblock = {.mq_flags = O_NONBLOCK};
    long seconds = -1, count = 0;
    const char *name;
    struct timespec deadline;
    size_t bufsize = 0;
    unsigned prio;
    ssize_t n;
    char *buf;
    mqd_t mq;
    int opt;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "t:b:")) != -1) {
        switch (opt) {
        case 't':
            seconds = get_num(optarg, "SECONDS", 0, 86400);
            break;
        case 'b':
            bufsize = (size_t)get_num(optarg, "BYTES", 1, 1 << 24);
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 1) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    name = argv[optind];
    check_name(name);

    /* Find the queue (never create one) and size the buffer from it */
#ifndef STARTER
    mq = mq_open(name, O_RDONLY);
#else
    /* TODO 1 (handout 4.1): open the existing queue NAME for reading only */
    errno = ENOSYS;
    mq = (mqd_t)-1;
#endif
    if (mq == (mqd_t)-1)
        die("mq_open %s", name);
    if (mq_getattr(mq, &attr) == -1)
        die("mq_getattr");
    print_attr(name, &attr);
#ifndef STARTER
    if (bufsize == 0)
        bufsize = (size_t)attr.mq_msgsize;
#else
    /* TODO 2 (handout 4.2): unless -b gave a size, the buffer must hold the
       largest message the queue allows: its mq_msgsize */
    if (bufsize == 0)
        bufsize = 512;
#endif
    buf = malloc(bufsize);
    if (buf == NULL)
        die("malloc %zu bytes", bufsize);

    /* Without a time limit, never wait: receives on an empty queue fail with EAGAIN */
#ifndef STARTER
    if (seconds < 0 && mq_setattr(mq, &nonblock, NULL) == -1)
        die("mq_setattr O_NONBLOCK");
#else
    /* TODO 3 (handout 4.3): unless -t was given, switch the descriptor to
       non-blocking with mq_setattr and NONBLOCK */
    (void)nonblock;
#endif

    /* Receive, highest priority first, until the queue is empty or time runs out */
    for (;;) {
#ifndef STARTER
        if (seconds >= 0) {
            /* The limit is an absolute CLOCK_REALTIME time, not a duration */
            if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
                die("clock_gettime");
            deadline.tv_sec += seconds;
            n = mq_timedreceive(mq, buf, bufsize, &prio, &deadline);
        } else {
            n = mq_receive(mq, buf, bufsize, &prio);
        }
#else
        /* TODO 4 (handout 4.5): with -t, call mq_timedreceive instead, with
           a DEADLINE SECONDS from now on the CLOCK_REALTIME clock */
        (void)deadline;
        n = mq_receive(mq, buf, bufsize, &prio);
#endif
        if (n == -1) {
            if (errno == EAGAIN)
                break;
            if (errno == ETIMEDOUT) {
                printf("no message within %ld s\n", seconds);
                break;
            }
            die("mq_receive (buffer of %zu bytes, msgsize %ld)", bufsize, attr.mq_msgsize);
        }
        /* A message is bytes, not a string: print exactly the N received */
        printf("%u %.*s\n", prio, (int)n, buf);
        count++;
    }
    free(buf);
    printf("number of received messages = %ld\n", count);

    if (mq_getattr(mq, &attr) == -1)
        die("mq_getattr");
    printf("number of messages remaining = %ld\n", attr.mq_curmsgs);

    if (attr.mq_curmsgs == 0) {
        printf("do you want to delete this msg queue?(y/n)");
        fflush(stdout);
#ifndef STARTER
        if (ask_yes() && mq_unlink(name) == -1)
            die("mq_unlink %s", name);
#else
        /* TODO 5 (handout 4.4): on y, remove the queue's name with mq_unlink */
        (void)ask_yes();
#endif
    }
    if (mq_close(mq) == -1)
        die("mq_close");
    return EXIT_SUCCESS;
}
