/* client.c

   Usage: client [-t SECONDS] PATH TEXT

   Ask the server that owns the port ftok(PATH, 0x27) to upper-case TEXT,
   and print the answer. The request carries our pid; the server replies
   with a message whose type is that pid, so among many clients on one
   port each receives only its own reply. Exits non-zero when there is no
   server, when the server removes its port while we wait, or when no
   reply comes within SECONDS (default 3).

   See also server.c. Lab 4, handout section 3.1.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction is POSIX */

#include <sys/msg.h>

#include "mbox.h"

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: client [-t SECONDS] PATH TEXT\n"
            "  -t SECONDS  give up when no reply comes in time (default 3)\n"
            "  PATH        the file the server named its port with\n"
            "  TEXT        what to upper-case (at most %d bytes)\n",
            TEXT_SIZE - 1);
}

int main(int argc, char *argv[])
{
    struct port_msg msg;
    const char *path, *text;
    long limit = 3;
    int port, opt;
    key_t key;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't') {
            usage(stderr);
            return EXIT_FAILURE;
        }
        limit = get_long(optarg, 1, 3600, "SECONDS");
    }
    if (argc - optind != 2 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    path = argv[optind];
    text = argv[optind + 1];
    if (strlen(text) > TEXT_SIZE - 1)
        fail("client: TEXT is %zu bytes; at most %d fit in a request", strlen(text), TEXT_SIZE - 1);

    /* Find the port; never create it: that is the server's job */
#ifndef STARTER
    key = ftok(path, PROJ_ID);
    if (key == -1)
        die("client: no server for %s: ftok", path);
    port = msgget(key, 0);
    if (port == -1 && errno == ENOENT)
        fail("client: no server for %s (no port 0x%x)", path, (unsigned)key);
    if (port == -1)
        die("client: msgget");
#else
    /* TODO 2 (handout 3.1): key = ftok(path, PROJ_ID), then msgget(key, 0)
       (no IPC_CREAT: a client never creates the port). A missing path or
       port (ENOENT) means there is no server: say "client: no server for
       PATH ..." and exit non-zero; any other failure, die. */
    (void)path;
    (void)key;
    port = -1;
#endif

    /* Send the request; zero it first so no stale byte reaches the kernel */
#ifndef STARTER
    memset(&msg, 0, sizeof(msg));
    msg.mtype = REQUEST_TYPE;
    msg.pid = getpid();
    memcpy(msg.text, text, strlen(text));
    if (msgsnd(port, &msg, PORT_MSG_SIZE, 0) == -1) {
        if (errno == EIDRM)
            fail("client: the server removed its port before our request went in");
        die("client: msgsnd");
    }
#else
    /* TODO 2 (handout 3.1): memset the message, then type REQUEST_TYPE, our
       pid, the text; msgsnd it (EIDRM: the server removed its port). */
    (void)text;
#endif

    /* Wait for the reply of type getpid(); SIGALRM interrupts the wait */
#ifndef STARTER
    catch_signal(SIGALRM, note_signal);
    alarm((unsigned)limit);
    if (msgrcv(port, &msg, PORT_MSG_SIZE, (long)getpid(), 0) == -1) {
        /* EIDRM: removed while we slept; EINVAL: removed before we got here */
        if (errno == EIDRM || errno == EINVAL)
            fail("client: the server removed its port while we waited for a reply");
        if (errno == EINTR && stop_signal == SIGALRM)
            fail("client: no reply from the server within %ld s", limit);
        die("client: msgrcv");
    }
    alarm(0);
    msg.text[TEXT_SIZE - 1] = '\0';
    printf("client %d: %s (request %ld)\n", (int)getpid(), msg.text, msg.seq);
#else
    /* TODO 3 (handout 3.1): catch_signal(SIGALRM, note_signal) and
       alarm(LIMIT), then msgrcv only the type getpid(): the reply meant for
       us. EIDRM or EINVAL: the port was removed, say "client: the server
       removed its port while we waited for a reply"; EINTR after SIGALRM:
       say "client: no reply from the server within LIMIT s"; either way
       exit non-zero. Then alarm(0) and print "client P: TEXT (request N)"
       with the reply's text and seq. */
    (void)port;
    (void)limit;
    (void)msg;
#endif
    return EXIT_SUCCESS;
}
