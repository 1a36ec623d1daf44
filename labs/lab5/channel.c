/* channel.c: a message channel over one System V queue.

   Zero capacity: the kernel's queue always buffers, so the sender waits for
   an acknowledgement after each message. Bounded n: the queue's capacity is
   set to exactly n fixed-size messages. Unbounded: what the kernel cannot
   hold waits in the sender's memory, in order, and goes out as room appears.

   See also channel.h (the interface). Lab 5, handout section 3.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <fcntl.h>
#include <sched.h>
#include <sys/msg.h>
#include <unistd.h>

#include "channel.h"

#define KEY_FILE_PERMS 0644
#define QUEUE_PERMS    0666

/* Message types: the receiver takes data, the sender takes acknowledgements. */
#define TYPE_DATA 1L
#define TYPE_ACK  2L

/* A flag of this library's own, beside channel.h's: the message comes from an
   unbounded sender that has run ahead of its receiver (it has had to hold
   messages) and never sleeps; a receiver that finds nothing yields to it
   once before sleeping (handout 3.5). */
#define F_AHEAD 4u

/* A message as msgsnd sees it: the type, then the mtext (header and body). */
struct ch_msg {
    long mtype;
    struct ch_header h;
    char body[CH_BODY_MAX];
};

/* Unbounded: a message the kernel had no room for yet, laid out as msgsnd
   wants from mtype on. Held messages are packed in order into chunks, so that
   holding one costs a copy, not a malloc. */
struct held {
    size_t wire; /* bytes of mtext: header and body, no more */
    long mtype;
    char mtext[];
};
#define CHUNK_BYTES (64 * 1024) /* holds at least 7 of the largest messages */
#define HELD_ALIGN  _Alignof(struct held)

struct chunk {
    struct chunk *next;
    size_t first, end; /* offsets in data: the oldest message held here, free space */
    char data[];       /* struct held, struct held, ..., each at a multiple of HELD_ALIGN */
};

struct channel {
    int msqid;
    enum ch_role role;
    long capacity;
    size_t msgsize;
    uint32_t seq;              /* sender: the last sequence number sent */
    struct ch_msg *buf;        /* one message, for building or receiving */
    struct chunk *head, *tail; /* unbounded: held messages, oldest first */
    struct chunk *spare;       /* an emptied chunk, kept for reuse */
    size_t nheld;
    int ahead;      /* unbounded sender: it has had to hold a message */
    int peer_ahead; /* receiver: the last message had F_AHEAD */
};

/* Bytes of mtext for a body of LEN. A bounded channel pads every message to
   the same size, so that msg_qbytes (which counts bytes) counts messages. */
static size_t wire_size(const struct channel *ch, size_t len)
{
    if (ch->capacity > 0)
        return sizeof(struct ch_header) + ch->msgsize;
    return sizeof(struct ch_header) + len;
}

/* ftok needs an existing file: create PATH on first use. */
static key_t channel_key(const char *path)
{
    int fd = open(path, O_RDONLY | O_CREAT, KEY_FILE_PERMS);

    if (fd == -1 || close(fd) == -1)
        return -1;
    return ftok(path, CH_PROJ_ID);
}

/* Bounded: the queue holds exactly CAPACITY padded messages. Changing
   msg_qbytes above msgmnb needs privilege (EPERM otherwise). */
static int set_capacity(struct channel *ch)
{
    /* TODO 1 (handout 3.4): read the queue's msqid_ds with IPC_STAT, set
       msg_qbytes to ch->capacity padded messages (wire_size), IPC_SET it. */
    (void)ch;
    (void)wire_size;
    return 0;
}

struct channel *ch_open(const char *path, enum ch_role role, long capacity, size_t msgsize)
{
    struct channel *ch;
    key_t key;

    if (msgsize > CH_BODY_MAX || capacity < CH_UNBOUNDED) {
        errno = EINVAL;
        return NULL;
    }
    key = channel_key(path);
    if (key == -1)
        return NULL;
    ch = calloc(1, sizeof(*ch));
    if (ch == NULL)
        return NULL;
    /* calloc: padding sent by a bounded channel is never uninitialised */
    ch->buf = calloc(1, sizeof(*ch->buf));
    if (ch->buf == NULL)
        goto fail;
    ch->role = role;
    ch->capacity = capacity;
    ch->msgsize = msgsize;
    ch->msqid = msgget(key, QUEUE_PERMS | IPC_CREAT);
    if (ch->msqid == -1)
        goto fail;
    if (role == CH_SENDER && capacity > 0 && set_capacity(ch) == -1)
        goto fail;
    return ch;

fail : {
    int saved = errno;

    free(ch->buf);
    free(ch);
    errno = saved;
    return NULL;
}
}

/* Bytes a held message of WIRE bytes of mtext takes in a chunk. */
static size_t held_size(size_t wire)
{
    size_t n = sizeof(struct held) + wire;

    return (n + HELD_ALIGN - 1) / HELD_ALIGN * HELD_ALIGN;
}

/* Unbounded: move held messages into the queue, oldest first, for as long as
   it has room (WAIT == 0) or until all are in (WAIT == 1). An emptied chunk
   becomes the spare (one is kept; the rest are freed). */
static int flush_held(struct channel *ch, int wait)
{
    /* TODO 2 (handout 3.5): for each chunk from ch->head, msgsnd its held
       messages from offset first on (IPC_NOWAIT unless WAIT); stop quietly
       at EAGAIN when not waiting; advance first by held_size and count
       ch->nheld down for each one the kernel took. An emptied chunk: the
       tail is reset (first = end = 0) and kept; another is unlinked and
       becomes ch->spare, or is freed if there is a spare already. */
    (void)ch;
    (void)wait;
    (void)held_size;
    return 0;
}

/* Unbounded: copy the message built in ch->buf to the end of the held ones.
   Only its own bytes: ten thousand small messages must not cost 8 KiB each. */
static int hold(struct channel *ch, size_t wire)
{
    /* TODO 3 (handout 3.5): if the tail chunk has no room for held_size(wire)
       more bytes (or there is none), take ch->spare or malloc a chunk of
       CHUNK_BYTES and link it at the tail; then write a struct held at the
       tail's end (wire, the type and the mtext from ch->buf) and count it. */
    (void)ch;
    (void)wire;
    errno = ENOSYS;
    return -1;
}

/* Put the message built in ch->buf into the queue, as the capacity says. */
static int deliver(struct channel *ch, size_t wire, int flags)
{
    /* TODO 4 (handout 3.3-3.6): unbounded: never wait, never let a new
       message overtake a held one: flush_held what the queue has room for;
       if nothing is held any more, msgsnd with IPC_NOWAIT; on EAGAIN (or if
       messages are still held) hold it, set ch->ahead, then sched_yield so
       that a receiver on our CPU drains the queue. Otherwise msgsnd, with
       IPC_NOWAIT for CH_NONBLOCK; then, if the message asks for an
       acknowledgement (CH_F_ACK), wait for a TYPE_ACK message carrying the
       same sequence number. */
    (void)ch;
    (void)wire;
    (void)flags;
    (void)hold;
    (void)flush_held;
    errno = ENOSYS;
    return -1;
}

int ch_send(struct channel *ch, const void *body, size_t len, int flags)
{
    /* TODO 5 (handout 3.1, 3.5, 3.6): check the role, LEN and flags (a
       rendezvous cannot be non-blocking); build the message in ch->buf:
       TYPE_DATA, the next sequence number, LEN, CH_F_ACK for zero capacity
       (F_AHEAD once ch->ahead is set), the body; hand it to deliver; count
       the sequence number only once it was sent. */
    (void)ch;
    (void)body;
    (void)len;
    (void)flags;
    (void)deliver;
    errno = ENOSYS;
    return -1;
}

int ch_recv(struct channel *ch, void *body, size_t cap, size_t *len, uint32_t *seq, int flags)
{
    /* TODO 6 (handout 3.1, 3.3, 3.5, 3.6): msgrcv a TYPE_DATA message into
       ch->buf (IPC_NOWAIT for CH_NONBLOCK: ENOMSG becomes EAGAIN). If the
       last message had F_AHEAD (ch->peer_ahead), a blocking receive tries
       IPC_NOWAIT first, and on ENOMSG yields once (sched_yield) before it
       waits. Remember whether this message has F_AHEAD; acknowledge it if it
       asks (CH_F_ACK); report end of stream (CH_F_EOS) as 0; otherwise copy
       the body out and return 1. */
    (void)ch;
    (void)body;
    (void)cap;
    (void)len;
    (void)seq;
    (void)flags;
    errno = ENOSYS;
    return -1;
}

size_t ch_held(const struct channel *ch)
{
    return ch->nheld;
}

int ch_close(struct channel *ch)
{
    /* TODO 7 (handout 3.2, 3.3, 3.5): a sender delivers everything held
       (waiting for room) and then sends end of stream (CH_F_EOS, never with
       CH_F_ACK: the receiver removes the queue on reading it); a receiver
       removes the queue (IPC_RMID). Both free every chunk, and the spare. */
    free(ch->buf);
    free(ch);
    return 0;
}
