/* pong.c

   Usage: pong PATH      (indirect: the named mailbox ftok(PATH, 0x27))
          pong -d        (direct: a mailbox of our own, key = our pid)

   Answer each ping with a pong of the same round until a goodbye, then
   remove the mailbox we created. Indirect: anyone who knows PATH can talk
   to us. Direct: a partner must be told our pid, and we reply to the
   mailbox of the pid each ping names.

   See also ping.c. Lab 4, handout section 3.4.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction is POSIX */

#include <sys/msg.h>

#include "mbox.h"

static int mine = -1; /* the mailbox we created */

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: pong PATH | pong -d\n"
            "  PATH  indirect: file whose identity names the shared mailbox (created if missing)\n"
            "  -d    direct: own a mailbox whose key is our pid, and print that pid\n");
}

static void remove_mine(void)
{
#ifndef STARTER
    if (mine != -1 && msgctl(mine, IPC_RMID, NULL) == -1)
        perror("pong: msgctl IPC_RMID");
    mine = -1;
#else
    /* TODO 12 (handout 3.4, 4): if we created a mailbox (mine != -1),
       remove it (msgctl IPC_RMID, perror if that fails); then forget it. */
#endif
}

int main(int argc, char *argv[])
{
    int direct, to;
    struct ping_msg m;
    key_t key;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (argc != 2 || argv[1][0] == '\0' || (argv[1][0] == '-' && strcmp(argv[1], "-d") != 0)) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    direct = strcmp(argv[1], "-d") == 0;
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* Our mailbox: named by a file (indirect) or by our identity (direct) */
    key = direct ? (key_t)getpid() : key_of(argv[1], PROJ_ID, 1);
#ifndef STARTER
    catch_signal(SIGINT, note_signal);
    catch_signal(SIGTERM, note_signal);
    if (atexit(remove_mine) != 0)
        fail("pong: atexit failed");
    mine = msgget(key, QUEUE_PERMS | IPC_CREAT | IPC_EXCL);
    if (mine == -1)
        die("pong: msgget 0x%x", (unsigned)key);
#else
    /* TODO 12 (handout 3.4, 4): catch SIGINT and SIGTERM (catch_signal,
       note_signal) and register remove_mine with atexit; then create the
       mailbox with QUEUE_PERMS | IPC_CREAT | IPC_EXCL, so that a second
       pong on the same PATH fails (die) instead of sharing it. */
    (void)mine;
    (void)remove_mine;
#endif
    printf("pong: pid %d, mailbox 0x%x\n", (int)getpid(), (unsigned)key);

    /* Answer until goodbye (round 0) */
#ifndef STARTER
    for (;;) {
        if (msgrcv(mine, &m, PING_MSG_SIZE, direct ? 0 : PING_TYPE, 0) == -1) {
            if (errno == EINTR && stop_signal != 0)
                fail("pong: stopped by signal %d", (int)stop_signal);
            die("pong: msgrcv");
        }
        if (m.round == 0)
            break;
        printf("pong: ping %ld from pid %ld\n", m.round, m.from);
        to = mine;
        if (direct) {
            /* Direct: the reply goes to the mailbox that bears the sender's name */
            to = msgget((key_t)m.from, 0);
            if (to == -1)
                die("pong: no mailbox for pid %ld: msgget", m.from);
        }
        m.mtype = PONG_TYPE;
        if (msgsnd(to, &m, PING_MSG_SIZE, 0) == -1)
            die("pong: msgsnd");
    }
    printf("pong: goodbye from pid %ld\n", m.from);
#else
    /* TODO 13 (handout 3.4): loop: msgrcv a ping from our mailbox. Indirect,
       take type PING_TYPE only: our own answers wait in the same mailbox.
       Direct, the mailbox is ours alone: any type. EINTR with stop_signal
       set: leave through fail ("pong: stopped by signal N"), so that the
       atexit handler runs; else die. A round of 0 is the goodbye: leave
       the loop. Otherwise print "pong: ping R from pid P" and send the
       same message back as type PONG_TYPE: indirect, to our own mailbox;
       direct, to the mailbox whose key is the sender's pid
       (msgget((key_t)m.from, 0), which ping created). After the loop print
       "pong: goodbye from pid P". */
    (void)direct;
    (void)to;
    (void)m;
#endif
    return EXIT_SUCCESS;
}
