/* qrecv.c

   Usage: qrecv [-t TYPE] [-x] [-n | -w SECONDS] [-c COUNT] [-s SIZE] [-T] PATH

   Receive messages from the System V queue whose key is ftok(PATH, 0x27)
   and print each as "TYPE TEXT". TYPE chooses which message comes next
   (0 any, > 0 that type, < 0 the lowest type up to |TYPE|, -x any type but
   TYPE). qrecv waits for each message, or with -n stops when none is
   waiting, or with -w gives up after SECONDS without one. A message longer
   than SIZE bytes is an error (E2BIG), or with -T is cut to SIZE.
   A removed queue (EIDRM) and a signal (EINTR) end the wait with a report.

   See also qsend.c, qstat.c. Lab 2, handout section 5.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* MSG_EXCEPT is a Linux extension */

#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <unistd.h>

#include "qmsg.h"

/* The receive buffer: a type, then SIZE bytes (allocated to measure). */
struct qbuf {
    long mtype;
    char mtext[];
};

static volatile sig_atomic_t timed_out;

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: qrecv [-t TYPE] [-x] [-n | -w SECONDS] [-c COUNT] [-s SIZE] [-T] PATH\n"
            "  -t TYPE     0 any type (default); > 0 that type; < 0 lowest type up to |TYPE|\n"
            "  -x          any type except TYPE (MSG_EXCEPT); needs TYPE > 0\n"
            "  -n          non-blocking: stop when no message is waiting (IPC_NOWAIT)\n"
            "  -w SECONDS  give up when no message comes within SECONDS\n"
            "  -c COUNT    stop after COUNT messages (default: no limit)\n"
            "  -s SIZE     receive buffer of SIZE bytes (default %d)\n"
            "  -T          cut longer messages to SIZE (MSG_NOERROR) instead of failing\n"
            "  PATH        the file qsend used to name the queue\n",
            TEXT_MAX);
}

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

#ifndef STARTER
/* SIGINT and SIGTERM only have to interrupt the wait: msgrcv then fails
   with EINTR and the loop reports it. */
static void on_signal(int sig)
{
    (void)sig;
}

#endif
/* Arm (SECONDS > 0) or disarm (0) the timer that ends a wait. After the
   first expiry it fires every 100 ms, so a wait that began just after an
   expiry is still cut short. */
static void set_timer(long seconds)
{
#ifndef STARTER
    struct itimerval it = {{0, seconds ? 100000 : 0}, {seconds, 0}};

    if (setitimer(ITIMER_REAL, &it, NULL) == -1)
        die("setitimer");
#else
    /* TODO 8 (handout 5.4): setitimer(ITIMER_REAL, ...) with it_value
       SECONDS and it_interval 100 ms; SECONDS 0 disarms the timer. */
    (void)seconds;
#endif
}

static void catch_signals(void)
{
    struct sigaction sa;

    /* No SA_RESTART: a signal must end the wait, not resume it. */
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
#ifndef STARTER
    sa.sa_handler = on_signal;
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        die("sigaction");
#else
    /* TODO 10 (handout 5.6): catch SIGINT and SIGTERM too, with a handler
       of their own that does nothing (a timeout and a signal must differ). */
#endif
    sa.sa_handler = on_alarm;
    if (sigaction(SIGALRM, &sa, NULL) == -1)
        die("sigaction");
}

int main(int argc, char *argv[])
{
    long type = 0, wait_s = 0, limit = -1, size = TEXT_MAX, count = 0;
#ifndef STARTER
    int opt, msgflg = 0, except = 0, nowait = 0, msqid, status = EXIT_SUCCESS;
#else
    int opt, msgflg = IPC_NOWAIT, truncate = 0, except = 0, nowait = 0, msqid,
             status = EXIT_SUCCESS;
#endif
    size_t bytes = 0;
    struct qbuf *buf;
    ssize_t n;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "t:xnw:c:s:T")) != -1) {
        switch (opt) {
        case 't':
            type = number(optarg, "qrecv: TYPE", LONG_MIN + 1, LONG_MAX);
            break;
        case 'x':
#ifndef STARTER
            except = 1;
#else
            except = 1; /* TODO 6 (handout 5.2): ask msgrcv for MSG_EXCEPT */
#endif
            break;
        case 'n':
#ifndef STARTER
            nowait = 1;
#else
            nowait = 1; /* TODO 7 (handout 5.3): wait, unless -n asks for IPC_NOWAIT */
#endif
            break;
        case 'w':
            wait_s = number(optarg, "qrecv: SECONDS", 1, 86400);
            break;
        case 'c':
            limit = number(optarg, "qrecv: COUNT", 1, LONG_MAX);
            break;
        case 's':
            size = number(optarg, "qrecv: SIZE", 1, 65536);
            break;
        case 'T':
#ifndef STARTER
            msgflg |= MSG_NOERROR;
#else
            truncate = 1; /* TODO 9 (handout 5.5): ask msgrcv for MSG_NOERROR */
#endif
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 1 || argv[optind][0] == '\0' || (nowait && wait_s)) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    /* The kernel ignores MSG_EXCEPT unless the type is positive: refuse it. */
#ifndef STARTER
    if (except && type <= 0)
        fail("qrecv: -x needs -t TYPE with TYPE > 0");
    if (except)
        msgflg |= MSG_EXCEPT;
    if (nowait)
        msgflg |= IPC_NOWAIT;
#else
    /* TODO 6 (handout 5.2): -x without -t TYPE, TYPE > 0, is an error:
       fail with a message that names -x, such as "qrecv: -x needs -t TYPE
       with TYPE > 0". */
    (void)except;
    /* TODO 5 (handout 5.2): lab 1 read a negative TYPE as 0; pass it on as
       it is, so that the kernel takes the lowest type up to |TYPE|. */
    if (type < 0)
        type = 0;
#endif

    msqid = find_queue(argv[optind]);
    catch_signals();
    buf = malloc(offsetof(struct qbuf, mtext) + (size_t)size);
    if (buf == NULL)
        die("malloc");

    /* Receive until COUNT messages, or until a receive ends otherwise */
    while (limit < 0 || count < limit) {
        if (wait_s)
            set_timer(wait_s);
        n = msgrcv(msqid, buf, (size_t)size, type, msgflg);
        if (wait_s)
            set_timer(0);
        if (n == -1) {
            if (errno == ENOMSG) /* -n and nothing waiting: the normal end */
                break;
#ifndef STARTER
            status = EXIT_FAILURE;
            if (errno == EINTR && timed_out)
                fprintf(stderr,
                        "qrecv: no message within %ld s; giving up (has the sender died?)\n",
                        wait_s);
            else if (errno == EINTR)
                fprintf(stderr, "qrecv: interrupted by a signal while waiting (EINTR)\n");
            else if (errno == EIDRM)
                fprintf(stderr, "qrecv: the queue was removed while waiting (EIDRM)\n");
            else if (errno == E2BIG)
                fprintf(stderr,
                        "qrecv: the next message is longer than %ld bytes (E2BIG); it stays in "
                        "the queue\n",
                        size);
            else
                die("msgrcv");
            break;
#else
            /* TODO 9 (handout 5.5), TODO 10 (handout 5.6): report a message
               too long for the buffer (E2BIG), a timeout or a signal (EINTR:
               which one? see timed_out) and a removed queue (EIDRM); then set
               status to EXIT_FAILURE and stop, so the summary still prints. */
            die("msgrcv");
#endif
        }
        /* A fixed-size body ends in NULs: print the text only. */
        printf("%ld %.*s\n", buf->mtype, (int)strnlen(buf->mtext, (size_t)n), buf->mtext);
#ifndef STARTER
        if ((msgflg & MSG_NOERROR) && n == size)
#else
        if (truncate && n == size)
#endif
            fprintf(stderr,
                    "qrecv: the message filled the %ld-byte buffer; any longer part was "
                    "discarded (MSG_NOERROR)\n",
                    size);
        count++;
        bytes += (size_t)n;
    }
    free(buf);
    printf("messages received: %ld (%zu bytes)\n", count, bytes);
    return status;
}
