/* qmsg.h: what qsend, qrecv and qstat agree on: the key, the message
   layout, and one way to fail or to read a number.

   See also qsend.c, qrecv.c, qstat.c. Lab 2, handout sections 2 and 3.
*/
/* SPDX-License-Identifier: MIT */
#ifndef QMSG_H
#define QMSG_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

/* All three programs turn the same file into the same key: ftok(path, PROJ_ID). */
#define PROJ_ID 0x27

/* The longest text qsend accepts, and the body size of a fixed-size (-F)
   message: lab 1's TEXT_SIZE. A variable-size message carries only the
   text's own bytes, with no terminating NUL. */
#define TEXT_MAX 512

#define QUEUE_PERMS    0666 /* read and write for everyone, as in lab 1 */
#define KEY_FILE_PERMS 0644

/* The sender's message: a type, then at most TEXT_MAX bytes of body. */
struct qmsg {
    long mtype;
    char mtext[TEXT_MAX];
};

/* Print "WHAT: reason for errno" on stderr, like perror, and exit.
   WHAT is a printf format, so the message can name the file or value. */
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

/* ARG as a whole decimal number from MIN to MAX, or exit naming WHAT. */
static inline long number(const char *arg, const char *what, long min, long max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno == ERANGE || n < min || n > max)
        fail("%s must be a whole number from %ld to %ld, not \"%s\"", what, min, max, arg);
    return n;
}

/* The msqid of the existing queue named by PATH; never creates one. */
static inline int find_queue(const char *path)
{
    key_t key = ftok(path, PROJ_ID);
    int msqid;

    if (key == -1)
        die("ftok %s", path);
    msqid = msgget(key, 0);
    if (msqid == -1)
        die("msgget %s", path);
    return msqid;
}

#endif
