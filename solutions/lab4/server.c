/* server.c

   Usage: server [-n COUNT] PATH

   Create and own the port (the System V queue ftok(PATH, 0x27)), then serve
   requests from any number of clients: each request's text comes back in
   upper case, as a message whose type is the client's pid. The server
   removes its port when it leaves: after COUNT requests, on SIGINT or
   SIGTERM, or on an error. A second server on the same PATH refuses to
   start and names the owner.

   See also client.c, lsq.c. Lab 4, handout sections 3.1 and 3.2.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction is POSIX */

#include <ctype.h>
#include <sys/msg.h>

#include "mbox.h"

static int port = -1; /* our queue, once we own it */

static void usage(FILE *to)
{
    fprintf(to, "Usage: server [-n COUNT] PATH\n"
                "  -n COUNT  stop after COUNT requests (default: run until SIGINT or SIGTERM)\n"
                "  PATH      file whose identity names the port (created if missing)\n");
}

/* The owner's duty, on every way out (exit, die, a signal). */
static void remove_port(void)
{
#ifndef STARTER
    if (port == -1)
        return;
    if (msgctl(port, IPC_RMID, NULL) == -1)
        perror("server: msgctl IPC_RMID");
    else
        printf("server: removed the port\n");
    port = -1;
#else
    /* TODO 5 (handout 3.2): if we own a port (port != -1), remove it with
       msgctl IPC_RMID (perror if that fails), say "server: removed the
       port", and forget it (port = -1), so that a second call does
       nothing. */
#endif
}

/* Someone else owns the port: say who, from the kernel's record of it. */
static _Noreturn void refuse(key_t key)
{
#ifndef STARTER
    struct msqid_ds ds;
    int id = msgget(key, 0);

    if (id == -1 || msgctl(id, IPC_STAT, &ds) == -1)
        die("server: the port 0x%x exists but cannot be read", (unsigned)key);
    fprintf(stderr,
            "server: the port 0x%x is already owned by uid %d (creator uid %d, mode %03o);"
            " last receiver pid %d, last sender pid %d: not starting a second server\n",
            (unsigned)key, (int)ds.msg_perm.uid, (int)ds.msg_perm.cuid,
            (unsigned)ds.msg_perm.mode & 0777, (int)ds.msg_lrpid, (int)ds.msg_lspid);
#else
    /* TODO 6 (handout 3.2): open the existing port with msgget(key, 0),
       read its msqid_ds with msgctl IPC_STAT (die if either fails), print
       on stderr who owns it: "server: the port 0x... is already owned by
       uid U (creator uid C, mode 666); last receiver pid R, last sender pid
       S: not starting a second server" (msg_perm.uid, msg_perm.cuid,
       msg_perm.mode & 0777, msg_lrpid, msg_lspid). Leave the port alone. */
    (void)key;
#endif
    exit(EXIT_FAILURE);
}

int main(int argc, char *argv[])
{
    struct port_msg msg;
    long count = -1, served = 0;
    int opt;
    key_t key;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n') {
            usage(stderr);
            return EXIT_FAILURE;
        }
        count = get_long(optarg, 1, 1000000, "COUNT");
    }
    if (argc - optind != 1 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* one line at a time, even into a pipe */

    /* Create the port; IPC_EXCL makes a second server fail instead of sharing it */
    key = key_of(argv[optind], PROJ_ID, 1);
#ifndef STARTER
    catch_signal(SIGINT, note_signal);
    catch_signal(SIGTERM, note_signal);
    port = msgget(key, QUEUE_PERMS | IPC_CREAT | IPC_EXCL);
    if (port == -1 && errno == EEXIST)
        refuse(key);
    if (port == -1)
        die("server: msgget");
    if (atexit(remove_port) != 0)
        fail("server: atexit failed");
#else
    /* TODO 4 (handout 3.2): catch SIGINT and SIGTERM with catch_signal and
       note_signal, so that a blocked msgrcv returns EINTR instead of the
       signal killing us. Create the port with msgget, QUEUE_PERMS,
       IPC_CREAT and IPC_EXCL: EEXIST means another server owns it, so
       refuse(key); any other failure, die. Once the port is ours, register
       remove_port with atexit, so every way out removes it. */
    (void)refuse;
    (void)remove_port;
#endif
    printf("server: port 0x%x ready (msqid %d, pid %d)\n", (unsigned)key, port, (int)getpid());

    /* Serve: one request, one reply addressed by the client's pid */
#ifndef STARTER
    while ((count == -1 || served < count) && stop_signal == 0) {
        /* A signal landing between the test above and msgrcv is only seen
           at the next one: a window this lab accepts (handout 3.2). */
        if (msgrcv(port, &msg, PORT_MSG_SIZE, REQUEST_TYPE, 0) == -1) {
            if (errno == EINTR && stop_signal != 0)
                break;
            if (errno == EINTR)
                continue;
            die("server: msgrcv");
        }
        msg.text[TEXT_SIZE - 1] = '\0'; /* never trust a client's string */
        served++;
        printf("server: request %ld from pid %ld: %s\n", served, msg.pid, msg.text);
        for (char *p = msg.text; *p != '\0'; p++)
            *p = (char)toupper((unsigned char)*p);
        msg.mtype = msg.pid;
        msg.seq = served;
        if (msg.mtype <= REQUEST_TYPE) {
            fprintf(stderr, "server: request %ld names pid %ld: no reply\n", served, msg.pid);
            continue;
        }
        /* IPC_NOWAIT: a full port must not stop the server; that client loses */
        if (msgsnd(port, &msg, PORT_MSG_SIZE, IPC_NOWAIT) == -1) {
            if (errno != EAGAIN)
                die("server: msgsnd");
            fprintf(stderr, "server: port full: no reply to pid %ld\n", msg.pid);
        }
    }
    if (stop_signal != 0)
        printf("server: %s after %ld request(s)\n", stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
               served);
    else
        printf("server: served %ld request(s)\n", served);
#else
    /* TODO 1 (handout 3.1, 3.2): until COUNT requests are served (count is -1
       without -n) or a signal is noted (stop_signal != 0):
       - msgrcv a request, type REQUEST_TYPE only: a reply waiting in the port
         for a slow client must stay there. EINTR with stop_signal set means
         leave the loop; EINTR without it, try again; anything else, die.
       - NUL-terminate the text (never trust a client's string), count it
         and print "server: request N from pid P: TEXT".
       - upper-case the text (toupper), set mtype to the client's pid and
         seq to N. A pid of 1 or less cannot be a reply's type: say so on
         stderr and go on.
       - msgsnd the reply with IPC_NOWAIT: on EAGAIN (the port is full) say
         that client gets no reply and go on; any other failure, die.
       After the loop print "server: SIGINT after N request(s)" (or SIGTERM)
       when a signal stopped us, else "server: served N request(s)". */
    (void)msg;
    (void)count;
    (void)served;
#endif
    return EXIT_SUCCESS; /* remove_port runs now */
}
