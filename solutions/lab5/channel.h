/* channel.h: a message channel over one System V queue, with a capacity of
   zero (rendezvous), n (bounded) or unbounded, and blocking or non-blocking
   send and receive; plus the error helpers the lab's programs share.

   See also channel.c (the library), producer.c and consumer.c (the demos),
   bench.c (the benchmark). Lab 5, handout section 3.
*/
/* SPDX-License-Identifier: MIT */
#ifndef CHANNEL_H
#define CHANNEL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The queue's key is ftok(PATH, CH_PROJ_ID), as in lab 1. */
#define CH_PROJ_ID 0x27

/* Capacities: 0 is a rendezvous, n > 0 lets n messages wait, and
   CH_UNBOUNDED never makes the sender wait. */
#define CH_UNBOUNDED (-1L)

/* Every message starts with this header (handout 3.1). */
struct ch_header {
    uint32_t seq;   /* 1, 2, 3, ... per channel: shows loss, duplication, reordering */
    uint32_t len;   /* bytes of body that follow */
    uint32_t flags; /* CH_F_ACK, CH_F_EOS */
    uint32_t spare; /* keeps the body 8-byte aligned; always 0 */
};
#define CH_F_ACK 1u /* the sender waits for an acknowledgement (zero capacity) */
#define CH_F_EOS 2u /* end of stream: the sender has closed */

/* The kernel refuses messages longer than msgmax (8192 by default), header included. */
#define CH_WIRE_MAX 8192
#define CH_BODY_MAX (CH_WIRE_MAX - sizeof(struct ch_header))

/* Roles and flags. */
enum ch_role { CH_SENDER, CH_RECEIVER };
#define CH_NONBLOCK 1 /* ch_send/ch_recv: fail with EAGAIN instead of waiting */

struct channel;

/* Open the channel named by PATH (created, with its queue, if missing).
   CAPACITY matters to the sender only; MSGSIZE is the largest body.
   Returns NULL with errno set on failure. */
struct channel *ch_open(const char *path, enum ch_role role, long capacity, size_t msgsize);

/* Send LEN bytes of BODY. Returns 0, or -1 with errno: EAGAIN (CH_NONBLOCK on a
   full channel: nothing was sent, send it again later), EMSGSIZE, EINVAL,
   EIDRM (the queue was removed while the send waited). */
int ch_send(struct channel *ch, const void *body, size_t len, int flags);

/* Receive one message into BODY (CAP bytes), its length into *LEN and its
   sequence number into *SEQ. Returns 1, or 0 at end of stream, or -1 with
   errno: EAGAIN (CH_NONBLOCK and nothing waiting), EMSGSIZE, EIDRM. A message
   may be empty, so its length cannot double as the end-of-stream mark. */
int ch_recv(struct channel *ch, void *body, size_t cap, size_t *len, uint32_t *seq, int flags);

/* Messages an unbounded channel holds in this process (not yet in the kernel). */
size_t ch_held(const struct channel *ch);

/* Sender: deliver what is held, then send end of stream. Receiver: remove the
   queue. Both: free the channel. Returns 0, or -1 with errno (freed anyway). */
int ch_close(struct channel *ch);

/* For the programs, not the library: print "WHAT: reason for errno" on
   stderr, like perror, and exit. WHAT is a printf format. */
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

/* Parse a whole decimal number in [MIN, MAX]; exit naming WHAT if it is not. */
static inline long parse_long(const char *s, long min, long max, const char *what)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
        fail("%s must be a number from %ld to %ld, not \"%s\"", what, min, max, s);
    return v;
}

#endif
