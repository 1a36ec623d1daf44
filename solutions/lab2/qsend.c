/* qsend.c

   Usage: qsend [-n] [-F] PATH DATAFILE

   Send each "TYPE TEXT" line of DATAFILE as one message on the System V
   queue whose key is ftok(PATH, 0x27), creating PATH and the queue when
   missing. A message carries only its text's bytes, or with -F a full
   512-byte body as in lab 1. On a full queue qsend waits, or with -n
   stops at once (EAGAIN) and says how many messages got in. The queue is
   left for qrecv; qstat -d removes it.

   See also qrecv.c, qstat.c. Lab 2, handout section 4.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC and sigaction are XSI; getline is POSIX.1-2008 */

#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qmsg.h"

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: qsend [-n] [-F] PATH DATAFILE\n"
            "  -n        non-blocking: stop when the queue is full (EAGAIN)\n"
            "  -F        fixed size: send every text in a %d-byte body, as lab 1 does\n"
            "  PATH      file whose identity names the queue (created if missing)\n"
            "  DATAFILE  \"TYPE TEXT\" lines, one message each\n",
            TEXT_MAX);
}

#ifndef STARTER
/* The handler only has to exist: its return makes a sleeping msgsnd fail
   with EINTR, which the send loop reports. */
static void on_signal(int sig)
{
    (void)sig;
}

#endif
/* ftok needs an existing file: create PATH on first use. */
static void make_key_file(const char *path)
{
    struct stat sb;
    int fd;

    if (stat(path, &sb) == 0)
        return;
    if (errno != ENOENT)
        die("stat %s", path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, KEY_FILE_PERMS);
    if (fd == -1)
        die("create %s", path);
    if (close(fd) == -1)
        die("close %s", path);
}

/* Split LINE into a positive type and a text of 1 to TEXT_MAX bytes; return
   the text's length, 0 for a blank line; exit naming FILE:LINENO otherwise. */
static size_t parse_line(char *line, const char *file, long lineno, struct qmsg *msg)
{
    char *p = line, *end;
    size_t len;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return 0;
    errno = 0;
    msg->mtype = strtol(p, &end, 10);
    if (end == p || !isspace((unsigned char)*end))
        fail("%s:%ld: expected \"TYPE TEXT\" with a numeric TYPE", file, lineno);
    if (errno == ERANGE || msg->mtype <= 0)
        fail("%s:%ld: TYPE must be a positive long, not %.*s", file, lineno, (int)(end - p), p);
    for (p = end; isspace((unsigned char)*p); p++)
        ;
    len = strlen(p);
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        len--;
    if (len == 0)
        fail("%s:%ld: TEXT is missing", file, lineno);
    if (len > TEXT_MAX)
        fail("%s:%ld: TEXT is %zu bytes; at most %d fit in a message", file, lineno, len, TEXT_MAX);
    /* Zero the body: with -F all TEXT_MAX bytes go to the kernel. */
    memset(msg->mtext, 0, sizeof(msg->mtext));
    memcpy(msg->mtext, p, len);
    return len;
}

int main(int argc, char *argv[])
{
#ifndef STARTER
    int opt, msgflg = 0, fixed = 0, msqid, status = EXIT_SUCCESS;
#else
    int opt, msgflg = 0, msqid, status = EXIT_SUCCESS;
#endif
    const char *path, *datafile;
#ifndef STARTER
    struct sigaction sa;
#endif
    struct qmsg msg;
    char *line = NULL;
    size_t cap = 0, len, bytes = 0;
    long lineno = 0, count = 0;
    key_t key;
    FILE *fp;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "nF")) != -1) {
        switch (opt) {
        case 'n':
#ifndef STARTER
            msgflg |= IPC_NOWAIT;
#else
            /* TODO 2 (handout 4.3): non-blocking send: add IPC_NOWAIT to msgflg */
#endif
            break;
        case 'F':
#ifndef STARTER
            fixed = 1;
#else
            /* TODO 1 (handout 4.2): remember that -F asks for fixed-size bodies */
#endif
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 2 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    path = argv[optind];
    datafile = argv[optind + 1];

#ifndef STARTER
    /* Catch SIGINT and SIGTERM without SA_RESTART, so that a send waiting
       for room ends with EINTR and the count is still reported. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) == -1 || sigaction(SIGTERM, &sa, NULL) == -1)
        die("sigaction");
#else
    /* TODO 4 (handout 4.4): catch SIGINT and SIGTERM with sigaction, without
       SA_RESTART, so that a send waiting for room ends with EINTR and the
       count below is still printed. The handler need not do anything. */
#endif

    /* Open the data, the key file, then the queue */
    fp = fopen(datafile, "r");
    if (fp == NULL)
        die("fopen %s", datafile);
    make_key_file(path);
    key = ftok(path, PROJ_ID);
    if (key == -1)
        die("ftok %s", path);
    msqid = msgget(key, QUEUE_PERMS | IPC_CREAT);
    if (msqid == -1)
        die("msgget %s", path);

    /* Send messages: the size is the text's length, or TEXT_MAX with -F */
#ifndef STARTER
    while (getline(&line, &cap, fp) != -1) {
        len = parse_line(line, datafile, ++lineno, &msg);
        if (len == 0)
            continue;
        if (fixed)
            len = TEXT_MAX;
        if (msgsnd(msqid, &msg, len, msgflg) == -1) {
            status = EXIT_FAILURE;
            if (errno == EAGAIN)
                fprintf(stderr, "qsend: queue full (EAGAIN) at %s:%ld; the rest was not sent\n",
                        datafile, lineno);
            else if (errno == EIDRM)
                fprintf(stderr, "qsend: the queue was removed while waiting for room (EIDRM)\n");
            else if (errno == EINTR)
                fprintf(stderr, "qsend: interrupted by a signal while waiting for room (EINTR)\n");
            else
                die("msgsnd");
            break;
        }
        count++;
        bytes += len;
    }
#else
    /* TODO 1 (handout 4.1, 4.2, 4.5): read DATAFILE one line at a time
       (getline into line and cap; line is freed below), and turn each
       line into a message with parse_line, counting lineno for its errors;
       it returns 0 for a blank line: skip that one. Send each message with
       msgsnd and msgflg: lab 1 sent every body whole, but send only the
       text's LEN bytes, and the whole TEXT_MAX only with -F. Count the
       messages sent and the bytes passed to msgsnd (count, bytes).
       TODO 3 (handout 4.3, 4.4): a failed msgsnd is fatal (die) except for
       a full queue under -n (EAGAIN), a removed queue (EIDRM) and a signal
       (EINTR): report which, set status to EXIT_FAILURE and stop sending,
       so the count below says how many got in. */
    (void)parse_line;
    (void)msqid;
    (void)msgflg;
    (void)msg;
    (void)len;
    (void)lineno;
    (void)cap;
#endif
    if (ferror(fp))
        die("read %s", datafile);
    free(line);
    if (fclose(fp) == EOF)
        die("fclose %s", datafile);

    printf("messages sent: %ld (%zu bytes)\n", count, bytes);
    return status;
}
