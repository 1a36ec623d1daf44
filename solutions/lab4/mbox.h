/* mbox.h: what the lab 4 programs agree on: keys, message formats, and one
   way to fail, parse a number, catch a signal and print a time.

   See also server.c, client.c, feeder.c, worker.c, ping.c, pong.c, lsq.c.
   Lab 4, handout sections 2 and 3.
*/
/* SPDX-License-Identifier: MIT */
#ifndef MBOX_H
#define MBOX_H

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#define PROJ_ID     0x27 /* ftok(PATH, PROJ_ID) names the queue */
#define SEM_PROJ_ID 0x28 /* ftok(PATH, SEM_PROJ_ID) names the feeder's lock */
#define QUEUE_PERMS 0666
#define FILE_PERMS  0644

/* --- The port (server.c, client.c), handout 3.1 --- */

/* Requests travel as type 1: pid 1 is init, so no client's reply type can
   be mistaken for a request. A reply's type is the client's pid. */
#define REQUEST_TYPE 1L
#define TEXT_SIZE    256

struct port_msg {
    long mtype;           /* REQUEST_TYPE, or the client's pid in a reply */
    long pid;             /* who asked */
    long seq;             /* the server's count of requests, in a reply */
    char text[TEXT_SIZE]; /* NUL-terminated */
};
#define PORT_MSG_SIZE (sizeof(struct port_msg) - sizeof(long))

/* --- The shared mailbox (feeder.c, worker.c), handout 3.3 --- */

#define MAX_WORKERS 16
#define JOB_TYPE    1L   /* plain and locked modes: any worker takes type 1 */
#define REPORT_TYPE 100L /* worker -> feeder; above every worker's type */

enum job_kind { JOB, STOP, READY, DONE };

struct job_msg {
    long mtype;  /* JOB_TYPE, a worker number (round-robin) or REPORT_TYPE */
    long kind;   /* enum job_kind */
    long seq;    /* JOB: 1, 2, ...; DONE: how many jobs the worker did */
    long worker; /* READY and DONE: who reports */
};
#define JOB_MSG_SIZE (sizeof(struct job_msg) - sizeof(long))

/* --- Direct and indirect exchange (ping.c, pong.c), handout 3.4 --- */

#define PING_TYPE 1L /* indirect: ping -> pong */
#define PONG_TYPE 2L /* indirect: pong -> ping */

struct ping_msg {
    long mtype;
    long from;  /* the sender's pid: direct replies go to its mailbox */
    long round; /* 1, 2, ...; 0 means goodbye */
};
#define PING_MSG_SIZE (sizeof(struct ping_msg) - sizeof(long))

/* Print "WHAT: reason for errno" on stderr, like perror, and exit. exit()
   runs the atexit handlers, which is how owners remove their IPC objects
   on an error too. WHAT is a printf format. */
static inline _Noreturn void die(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(saved));
    exit(EXIT_FAILURE);
}

/* Like die, for errors that have no errno: bad input. */
static inline _Noreturn void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

/* ARG as a whole number in [MIN, MAX], or exit naming WHAT. */
static inline long get_long(const char *arg, long min, long max, const char *what)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno == ERANGE || v < min || v > max)
        fail("bad %s \"%s\": expected a number from %ld to %ld", what, arg, min, max);
    return v;
}

/* Set by the handler; the main loop sees EINTR from a blocked call, reads
   it and leaves through exit(), so the cleanup code runs outside the
   handler. */
static volatile sig_atomic_t stop_signal;

static inline void note_signal(int sig)
{
    stop_signal = sig;
}

/* Catch SIG without SA_RESTART, so a blocked msgrcv returns EINTR. */
static inline void catch_signal(int sig, void (*handler)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    if (sigaction(sig, &sa, NULL) == -1)
        die("sigaction");
}

/* ftok(PATH, PROJ). An owner passes CREATE to make PATH first when it is
   missing (ftok needs an existing file); a user of someone else's queue
   does not, so a missing PATH means there is nobody to talk to. */
static inline key_t key_of(const char *path, int proj, int create)
{
    key_t key;
    int fd;

    if (create) {
        fd = open(path, O_WRONLY | O_CREAT, FILE_PERMS);
        if (fd == -1)
            die("create %s", path);
        if (close(fd) == -1)
            die("close %s", path);
    }
    key = ftok(path, proj);
    if (key == -1)
        die("ftok %s", path);
    return key;
}

/* Microseconds on the monotonic clock: one clock for every process, so
   the workers' logs can be compared. */
static inline long long now_us(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
        die("clock_gettime");
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
