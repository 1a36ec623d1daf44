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
    key = ftok(path, PROJ_ID);
    if (key == -1)
        die("client: no server for %s: ftok", path);
    port = msgget(key, 0);
    if (port == -1 && errno == ENOENT)
        fail("client: no server for %s (no port 0x%x)", path, (unsigned)key);
    if (port == -1)
        die("client: msgget");

    /* Send the request; zero it first so no stale byte reaches the kernel */
    memset(&msg, 0, sizeof(msg));
    msg.mtype = REQUEST_TYPE;
    msg.pid = getpid();
    memcpy(msg.text, text, strlen(text));
    if (msgsnd(port, &msg, PORT_MSG_SIZE, 0) == -1) {
        if (errno == EIDRM)
            fail("client: the server removed its port before our request went in");
        die("client: msgsnd");
    }

#ifndef STARTER
    /* Wait for the reply of type getpid(); SIGALRM interrupts the wait */
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
#else
    /* Wait for the reply */
    /* TODO 5 (handout 3.1): receive only the reply meant for us, give up
       after LIMIT seconds (catch_signal(SIGALRM, ...) and alarm), and tell
       apart a removed port (EIDRM, EINVAL) from a timeout (EINTR). */
    if (msgrcv(port, &msg, PORT_MSG_SIZE, 0, 0) == -1)
        die("client: msgrcv");
    (void)limit;
#endif
    msg.text[TEXT_SIZE - 1] = '\0';
    printf("client %d: %s (request %ld)\n", (int)getpid(), msg.text, msg.seq);
    return EXIT_SUCCESS;
}
