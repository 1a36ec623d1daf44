/* mqtool.c: the grader's own view of POSIX message queues, so that tests
   never trust a submission's output about the queue it used.

   Usage: mqtool stat NAME                  print "flags maxmsg msgsize curmsgs"
          mqtool create NAME MAXMSG MSGSIZE create the queue (it must not exist)
          mqtool send NAME PRIO TEXT...     send each PRIO TEXT pair, never waiting
          mqtool receive NAME               print "PRIO TEXT" for one message
          mqtool drain NAME                 ... for every message, in queue order
          mqtool unlink NAME

   Exit status: 0 done; 1 no such queue (stat, unlink) or an empty queue
   (receive); 2 any other error, with a perror-style message.
   Used by grader/lib/ext-mqueue.tcl.
*/
/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static mqd_t open_queue(const char *name, int flags)
{
    mqd_t mq = mq_open(name, flags | O_NONBLOCK);

    if (mq == (mqd_t)-1) {
        if (errno == ENOENT)
            exit(1);
        die("mq_open");
    }
    return mq;
}

/* Receive one message into a buffer of the queue's size; 0 when empty. */
static int receive_one(mqd_t mq)
{
    struct mq_attr a;
    unsigned prio;
    ssize_t n;
    char *buf;

    if (mq_getattr(mq, &a) == -1)
        die("mq_getattr");
    buf = malloc((size_t)a.mq_msgsize);
    if (buf == NULL)
        die("malloc");
    n = mq_receive(mq, buf, (size_t)a.mq_msgsize, &prio);
    if (n == -1) {
        if (errno != EAGAIN)
            die("mq_receive");
        free(buf);
        return 0;
    }
    /* Text up to the first NUL: a sender may or may not have sent one */
    printf("%u %.*s\n", prio, (int)strnlen(buf, (size_t)n), buf);
    free(buf);
    return 1;
}

int main(int argc, char *argv[])
{
    const char *cmd = argc > 2 ? argv[1] : "", *name = argc > 2 ? argv[2] : "";
    struct mq_attr a;
    mqd_t mq;

    if (strcmp(cmd, "stat") == 0 && argc == 3) {
        mq = open_queue(name, O_RDONLY);
        if (mq_getattr(mq, &a) == -1)
            die("mq_getattr");
        printf("%s %ld %ld %ld\n", (a.mq_flags & O_NONBLOCK) ? "O_NONBLOCK" : "0", a.mq_maxmsg,
               a.mq_msgsize, a.mq_curmsgs);
    } else if (strcmp(cmd, "create") == 0 && argc == 5) {
        memset(&a, 0, sizeof(a));
        a.mq_maxmsg = atol(argv[3]);
        a.mq_msgsize = atol(argv[4]);
        /* The test's programs may run under another uid (the sandbox's
           throwaway uid): the queue the grader prepares must be theirs too.
           It lives in the test's private IPC namespace. */
        umask(0);
        mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0666, &a);
        if (mq == (mqd_t)-1)
            die("mq_open O_CREAT");
    } else if (strcmp(cmd, "send") == 0 && argc % 2 == 1) {
        mq = open_queue(name, O_WRONLY);
        for (int i = 3; i + 1 < argc; i += 2)
            if (mq_send(mq, argv[i + 1], strlen(argv[i + 1]), (unsigned)atol(argv[i])) == -1)
                die("mq_send");
    } else if (strcmp(cmd, "receive") == 0 && argc == 3) {
        mq = open_queue(name, O_RDONLY);
        if (!receive_one(mq))
            return 1;
    } else if (strcmp(cmd, "drain") == 0 && argc == 3) {
        mq = open_queue(name, O_RDONLY);
        while (receive_one(mq))
            ;
    } else if (strcmp(cmd, "unlink") == 0 && argc == 3) {
        if (mq_unlink(name) == -1) {
            if (errno == ENOENT)
                return 1;
            die("mq_unlink");
        }
        return 0;
    } else {
        fprintf(stderr, "usage: mqtool stat|create|send|receive|drain|unlink NAME ...\n");
        return 2;
    }
    if (mq_close(mq) == -1)
        die("mq_close");
    return 0;
}
