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
#ifndef STARTER
    struct msqid_ds ds;
    size_t wire = wire_size(ch, 0);

    if ((unsigned long)ch->capacity > (unsigned long)INT32_MAX / wire) {
        errno = EINVAL;
        return -1;
    }
    if (msgctl(ch->msqid, IPC_STAT, &ds) == -1)
        return -1;
    if (ds.msg_qbytes == ch->capacity * wire)
        return 0;
    ds.msg_qbytes = ch->capacity * wire;
    return msgctl(ch->msqid, IPC_SET, &ds);
#else
    /* TODO 1 (handout 3.4): read the queue's msqid_ds with IPC_STAT, set
       msg_qbytes to ch->capacity padded messages (wire_size), IPC_SET it. */
    (void)ch;
    (void)wire_size;
    return 0;
#endif
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
#ifndef STARTER
    struct chunk *c;

    while ((c = ch->head) != NULL) {
        while (c->first < c->end) {
            struct held *h = (struct held *)(c->data + c->first);

            if (msgsnd(ch->msqid, &h->mtype, h->wire, wait ? 0 : IPC_NOWAIT) == -1)
                return errno == EAGAIN && !wait ? 0 : -1;
            c->first += held_size(h->wire);
            ch->nheld--;
        }
        if (c == ch->tail) { /* keep it: the next message held goes at its start */
            c->first = c->end = 0;
            return 0;
        }
        ch->head = c->next;
        if (ch->spare == NULL) {
            c->first = c->end = 0;
            ch->spare = c;
        } else {
            free(c);
        }
    }
#else
    /* TODO 2 (handout 3.5): for each chunk from ch->head, msgsnd its held
       messages from offset first on (IPC_NOWAIT unless WAIT); stop quietly
       at EAGAIN when not waiting; advance first by held_size and count
       ch->nheld down for each one the kernel took. An emptied chunk: the
       tail is reset (first = end = 0) and kept; another is unlinked and
       becomes ch->spare, or is freed if there is a spare already. */
    (void)ch;
    (void)wait;
    (void)held_size;
#endif
    return 0;
}

/* Unbounded: copy the message built in ch->buf to the end of the held ones.
   Only its own bytes: ten thousand small messages must not cost 8 KiB each. */
static int hold(struct channel *ch, size_t wire)
{
#ifndef STARTER
    struct chunk *c = ch->tail;
    size_t need = held_size(wire);
    struct held *h;

    if (c == NULL || c->end + need > CHUNK_BYTES) {
        if (ch->spare != NULL) {
            c = ch->spare;
            ch->spare = NULL;
        } else if ((c = malloc(sizeof(*c) + CHUNK_BYTES)) == NULL) {
            return -1;
        }
        c->next = NULL;
        c->first = c->end = 0;
        if (ch->tail != NULL)
            ch->tail->next = c;
        else
            ch->head = c;
        ch->tail = c;
    }
    h = (struct held *)(c->data + c->end);
    h->wire = wire;
    h->mtype = ch->buf->mtype;
    memcpy(h->mtext, &ch->buf->h, wire);
    c->end += need;
    ch->nheld++;
    return 0;
#else
    /* TODO 3 (handout 3.5): if the tail chunk has no room for held_size(wire)
       more bytes (or there is none), take ch->spare or malloc a chunk of
       CHUNK_BYTES and link it at the tail; then write a struct held at the
       tail's end (wire, the type and the mtext from ch->buf) and count it. */
    (void)ch;
    (void)wire;
    errno = ENOSYS;
    return -1;
#endif
}

/* Put the message built in ch->buf into the queue, as the capacity says. */
static int deliver(struct channel *ch, size_t wire, int flags)
{
#ifndef STARTER
    struct ch_msg ack;

    if (ch->capacity == CH_UNBOUNDED) {
        /* Never wait; never overtake a held message. Room may have appeared:
           move out what is held first, then the new message if nothing is
           left, and hold it otherwise. */
        if (flush_held(ch, 0) == -1)
            return -1;
        if (ch->nheld == 0) {
            if (msgsnd(ch->msqid, ch->buf, wire, IPC_NOWAIT) == 0)
                return 0;
            if (errno != EAGAIN)
                return -1;
        }
        if (hold(ch, wire) == -1)
            return -1;
        /* The queue is full: let the receiver run, if it shares our CPU,
           rather than fill our memory ahead of it; and say from now on that
           we run ahead (F_AHEAD). */
        ch->ahead = 1;
        sched_yield();
        return 0;
    }
    if (msgsnd(ch->msqid, ch->buf, wire, (flags & CH_NONBLOCK) ? IPC_NOWAIT : 0) == -1)
        return -1;
    if (!(ch->buf->h.flags & CH_F_ACK))
        return 0;
    /* Rendezvous: return only once the receiver has taken this message. */
    if (msgrcv(ch->msqid, &ack, sizeof(ack.h), TYPE_ACK, 0) == -1)
        return -1;
    if (ack.h.seq != ch->buf->h.seq) {
        errno = EPROTO;
        return -1;
    }
    return 0;
#else
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
#endif
}

int ch_send(struct channel *ch, const void *body, size_t len, int flags)
{
#ifndef STARTER
    size_t wire;

    if (ch->role != CH_SENDER || len > ch->msgsize) {
        errno = ch->role != CH_SENDER ? EINVAL : EMSGSIZE;
        return -1;
    }
    /* A rendezvous has nowhere for a message to wait: it cannot be non-blocking. */
    if (ch->capacity == 0 && (flags & CH_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    ch->buf->mtype = TYPE_DATA;
    ch->buf->h.seq = ch->seq + 1;
    ch->buf->h.len = (uint32_t)len;
    ch->buf->h.flags = ch->capacity == 0 ? CH_F_ACK : 0;
    if (ch->ahead)
        ch->buf->h.flags = F_AHEAD;
    memcpy(ch->buf->body, body, len);
    wire = wire_size(ch, len);
    if (deliver(ch, wire, flags) == -1)
        return -1; /* EAGAIN: not sent; the same sequence number goes next time */
    ch->seq++;
    return 0;
}

/* msgrcv a data message into ch->buf. Nothing waiting: EAGAIN with
   CH_NONBLOCK; otherwise sleep until a message comes, but first, if the
   sender runs ahead (F_AHEAD), yield once: it never sleeps, so on a CPU we
   share it is ready to run, and a yield costs less than a sleep and a
   wake-up. */
static int take(struct channel *ch, int flags)
{
    size_t max = sizeof(ch->buf->h) + sizeof(ch->buf->body);
    int wait = !(flags & CH_NONBLOCK);
    int first = wait && !ch->peer_ahead ? 0 : IPC_NOWAIT;

    if (msgrcv(ch->msqid, ch->buf, max, TYPE_DATA, first) != -1)
        return 0;
    if (errno != ENOMSG)
        return -1; /* waiting, msgrcv never says ENOMSG */
    if (!wait) {
        errno = EAGAIN; /* nothing waiting */
        return -1;
    }
    sched_yield();
    return msgrcv(ch->msqid, ch->buf, max, TYPE_DATA, 0) == -1 ? -1 : 0;
#else
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
#endif
}

int ch_recv(struct channel *ch, void *body, size_t cap, size_t *len, uint32_t *seq, int flags)
{
#ifndef STARTER
    struct ch_msg *m = ch->buf;
    struct ch_msg ack;

    if (ch->role != CH_RECEIVER) {
        errno = EINVAL;
        return -1;
    }
    if (take(ch, flags) == -1)
        return -1;
    ch->peer_ahead = (m->h.flags & F_AHEAD) != 0;
    if (m->h.flags & CH_F_ACK) {
        memset(&ack.h, 0, sizeof(ack.h));
        ack.mtype = TYPE_ACK;
        ack.h.seq = m->h.seq;
        if (msgsnd(ch->msqid, &ack, sizeof(ack.h), 0) == -1)
            return -1;
    }
    *seq = m->h.seq;
    *len = 0;
    if (m->h.flags & CH_F_EOS)
        return 0;
    if (m->h.len > cap || m->h.len > CH_BODY_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    memcpy(body, m->body, m->h.len);
    *len = m->h.len;
    return 1;
#else
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
#endif
}

size_t ch_held(const struct channel *ch)
{
    return ch->nheld;
}

int ch_close(struct channel *ch)
{
#ifndef STARTER
    int ret = 0, saved = 0;
    struct chunk *c;

    if (ch->role == CH_SENDER) {
        /* Deliver everything held, then tell the receiver we are done. */
        ch->buf->mtype = TYPE_DATA;
        ch->buf->h.seq = ch->seq + 1;
        ch->buf->h.len = 0;
        ch->buf->h.flags = CH_F_EOS; /* never CH_F_ACK: the receiver removes the queue on
                                        reading it, and our wait would race that (3.3) */
        if (flush_held(ch, 1) == -1 || msgsnd(ch->msqid, ch->buf, wire_size(ch, 0), 0) == -1)
            ret = -1;
    } else if (msgctl(ch->msqid, IPC_RMID, NULL) == -1) {
        ret = -1; /* the receiver owns the queue */
    }
    saved = errno;
    while ((c = ch->head) != NULL) {
        ch->head = c->next;
        free(c);
    }
    free(ch->spare);
#else
    /* TODO 7 (handout 3.2, 3.3, 3.5): a sender delivers everything held
       (waiting for room) and then sends end of stream (CH_F_EOS, never with
       CH_F_ACK: the receiver removes the queue on reading it); a receiver
       removes the queue (IPC_RMID). Both free every chunk, and the spare. */
#endif
    free(ch->buf);
    free(ch);
#ifndef STARTER
    errno = saved;
    return ret;
#else
    return 0;
#endif
}
