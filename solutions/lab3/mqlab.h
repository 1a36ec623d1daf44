/* mqlab.h: what the lab-3 programs share: default attributes, checked
   numbers, the queue-name rule, and one way to fail.

   See also mqsnd.c, mqrcv.c, mqstat.c, mqnotify.c. Lab 3, handout sections 2 and 3.
*/
/* SPDX-License-Identifier: MIT */
#ifndef MQLAB_H
#define MQLAB_H

#include <errno.h>
#include <limits.h>
#include <mqueue.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linux's defaults for a new queue (/proc/sys/fs/mqueue/msg_default and
   msgsize_default), used when only one of -m and -s is given. */
#define DEFAULT_MAXMSG  10
#define DEFAULT_MSGSIZE 8192

#define QUEUE_PERMS 0600 /* a queue is a file in the mqueue filesystem */

/* Print "WHAT: reason for errno" on stderr, like perror, and exit.
   WHAT is a printf format, so the message can name the queue or value. */
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
static inline long get_num(const char *arg, const char *what, long min, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno == ERANGE || v < min || v > max)
        fail("%s must be a number from %ld to %ld, not \"%s\"", what, min, max, arg);
    return v;
}

/* A portable queue name is "/" followed by a name with no other slash. */
static inline void check_name(const char *name)
{
    if (name[0] != '/' || name[1] == '\0' || strchr(name + 1, '/') != NULL)
        fail("queue name \"%s\" must be a slash and a name without slashes, like /lab3", name);
}

/* The one-line summary both mqsnd and mqrcv print after opening. */
static inline void print_attr(const char *name, const struct mq_attr *a)
{
    printf("queue %s: maxmsg = %ld, msgsize = %ld, curmsgs = %ld\n", name, a->mq_maxmsg,
           a->mq_msgsize, a->mq_curmsgs);
}

#endif
