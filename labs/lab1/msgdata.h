/* msgdata.h: what msgsnd and msgrcv agree on: the key, the message format,
   and one way to fail.

   See also msgsnd.c, msgrcv.c. Lab 1, handout sections 2.3 and 3.1.
*/
/* SPDX-License-Identifier: MIT */
#ifndef MSGDATA_H
#define MSGDATA_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fixed-size bodies. With the default queue capacity (msgmnb = 16384 bytes)
   a queue holds 16384 / 512 = 32 of them; the largest body the kernel allows
   (msgmax = 8192) would leave room for only two. */
#define TEXT_SIZE 512

/* Both programs turn the same file into the same key: ftok(path, PROJ_ID). */
#define PROJ_ID 0x27

#define QUEUE_PERMS    0666 /* read and write for everyone, as in the lecture */
#define KEY_FILE_PERMS 0644 /* an ordinary file: the key needs only its inode */

struct msg_struct {
    long msg_type;         /* > 0; the receiver selects on it */
    char mtext[TEXT_SIZE]; /* a NUL-terminated name */
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

#endif
