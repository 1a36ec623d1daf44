/* ping.c

   Usage: ping PATH ROUNDS        (indirect: pong's mailbox ftok(PATH, 0x27))
          ping -d PID ROUNDS      (direct: pong's mailbox is keyed by its PID)

   Play ROUNDS rounds of ping-pong with a running pong, then say goodbye.
   Indirect: both sides know only PATH; the replies come back on the same
   mailbox as type 2. Direct: we must be told pong's pid, and we own a
   mailbox keyed by our own pid for its replies, removed before we leave,
   on SIGINT and SIGTERM too.

   See also pong.c. Lab 4, handout section 3.4.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction is POSIX */

#include <sys/msg.h>

#include "mbox.h"

static int mine = -1; /* direct: our own mailbox */

static void usage(FILE *to)
{
    fprintf(to, "Usage: ping PATH ROUNDS | ping -d PID ROUNDS\n"
                "  PATH    indirect: the file pong named its mailbox with\n"
                "  -d PID  direct: pong's pid, which is its mailbox's key\n"
                "  ROUNDS  how many pings (1 to 1000)\n");
}

static void remove_mine(void)
{
#ifndef STARTER
    if (mine != -1 && msgctl(mine, IPC_RMID, NULL) == -1)
        perror("ping: msgctl IPC_RMID");
    mine = -1;
#else
    /* TODO 14 (handout 3.4, 4): if we created a mailbox (mine != -1),
       remove it (msgctl IPC_RMID, perror if that fails); then forget it. */
#endif
}

/* msgsnd or msgrcv failed: a signal means leave (remove_mine runs), else die. */
static _Noreturn void stopped(const char *call)
{
    if (errno == EINTR && stop_signal != 0)
        fail("ping: stopped by signal %d", (int)stop_signal);
    die("ping: %s", call);
}

static void send_ping(int to, long round)
{
#ifndef STARTER
    struct ping_msg m;

    memset(&m, 0, sizeof(m));
    m.mtype = PING_TYPE;
    m.from = getpid();
    m.round = round;
    if (msgsnd(to, &m, PING_MSG_SIZE, 0) == -1)
        stopped("msgsnd");
#else
    /* TODO 15 (handout 3.4, 4): a ping_msg, zeroed first (memset), of
       type PING_TYPE, with our pid (pong's direct answer goes to the
       mailbox it names) and ROUND; msgsnd it to TO. A failure goes to
       stopped("msgsnd"). */
    (void)to;
    (void)round;
    (void)stopped;
#endif
}

int main(int argc, char *argv[])
{
    int direct, partner, replies;
    long rounds, r;
    struct ping_msg m;
    key_t key;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    direct = argc == 4 && strcmp(argv[1], "-d") == 0;
    if ((argc != 3 && !direct) || argv[1][0] == '\0' || (argc == 3 && argv[1][0] == '-')) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    rounds = get_long(argv[argc - 1], 1, 1000, "ROUNDS");

    /* Find pong: by the file we share, or by its identity */
    if (direct)
        key = (key_t)get_long(argv[2], 2, 0x7fffffff, "PID");
    else
        key = key_of(argv[1], PROJ_ID, 0);
    partner = msgget(key, 0);
    if (partner == -1)
        die("ping: no pong at 0x%x: msgget", (unsigned)key);
    replies = partner;
    if (direct) {
        /* We own a mailbox and may wait on it for long: a Ctrl-C or a kill
           must not leave it behind (handout 4) */
#ifndef STARTER
        if (atexit(remove_mine) != 0)
            fail("ping: atexit failed");
        catch_signal(SIGINT, note_signal);
        catch_signal(SIGTERM, note_signal);
        mine = msgget((key_t)getpid(), QUEUE_PERMS | IPC_CREAT | IPC_EXCL);
        if (mine == -1)
            die("ping: msgget 0x%x", (unsigned)getpid());
        replies = mine;
#else
        /* TODO 14 (handout 3.4, 4): register remove_mine with atexit,
           catch SIGINT and SIGTERM (catch_signal, note_signal), create our
           own mailbox, key getpid(), with QUEUE_PERMS | IPC_CREAT |
           IPC_EXCL (die if that fails), and take the replies from it. */
        (void)mine;
        (void)remove_mine;
#endif
    }

#ifndef STARTER
    for (r = 1; r <= rounds; r++) {
        send_ping(partner, r);
        if (msgrcv(replies, &m, PING_MSG_SIZE, PONG_TYPE, 0) == -1)
            stopped("msgrcv");
        printf("ping: pong %ld\n", m.round);
    }
    send_ping(partner, 0);
    printf("ping: done, %ld round(s)\n", rounds);
#else
    /* TODO 15 (handout 3.4): for rounds 1..ROUNDS: send_ping to the
       partner, msgrcv the answer, type PONG_TYPE, from replies (a failure
       goes to stopped("msgrcv"), which leaves cleanly on a signal), and
       print "ping: pong R". Then say goodbye with round 0 and print "ping:
       done, ROUNDS round(s)". */
    (void)rounds;
    (void)replies;
    (void)r;
    (void)m;
    (void)send_ping;
#endif
    return EXIT_SUCCESS;
}
