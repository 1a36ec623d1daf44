/* qstat.c

   Usage: qstat [-b QBYTES] [-d] PATH

   Show the state the kernel keeps for the System V queue whose key is
   ftok(PATH, 0x27): messages, bytes used, capacity, last sender and
   receiver and when. With -b first set the capacity (msg_qbytes) with
   IPC_SET; with -d remove the queue afterwards (IPC_RMID).

   See also qsend.c, qrecv.c. Lab 2, handout section 6.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* msg_cbytes (bytes in the queue) is a Linux extension */

#include <time.h>
#include <unistd.h>

#include "qmsg.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: qstat [-b QBYTES] [-d] PATH\n"
                "  -b QBYTES  first set the queue's capacity msg_qbytes (IPC_SET)\n"
                "  -d         remove the queue afterwards (IPC_RMID)\n"
                "  PATH       the file qsend used to name the queue\n");
}

#ifndef STARTER
/* Print "NAME = time", or "never" for a time of 0. */
static void show_time(const char *name, time_t t)
{
    char text[64];
    struct tm tm;

    if (t == 0) {
        printf("%-10s = never\n", name);
        return;
    }
    if (localtime_r(&t, &tm) == NULL || strftime(text, sizeof(text), "%F %T", &tm) == 0)
        die("localtime %lld", (long long)t);
    printf("%-10s = %s\n", name, text);
}

#endif
int main(int argc, char *argv[])
{
    long qbytes = -1;
    int opt, remove = 0, msqid;
    struct msqid_ds ds;
    const char *path;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "b:d")) != -1) {
        switch (opt) {
        case 'b':
            qbytes = number(optarg, "qstat: QBYTES", 1, LONG_MAX);
            break;
        case 'd':
            remove = 1;
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 1 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    path = argv[optind];
    msqid = find_queue(path);

    /* Change the capacity: IPC_SET writes back the whole msqid_ds, so read
       it first. Raising it above msgmnb needs privilege (EPERM). */
    if (msgctl(msqid, IPC_STAT, &ds) == -1)
        die("msgctl IPC_STAT");
    if (qbytes != -1) {
#ifndef STARTER
        ds.msg_qbytes = (msglen_t)qbytes;
        if (msgctl(msqid, IPC_SET, &ds) == -1)
            die("msgctl IPC_SET msg_qbytes=%ld", qbytes);
        if (msgctl(msqid, IPC_STAT, &ds) == -1)
            die("msgctl IPC_STAT");
#else
        /* TODO 12 (handout 6.2): set ds.msg_qbytes, msgctl IPC_SET, and
           read the queue's state again so that the new value is shown. */
#endif
    }

    /* Show the kernel's view */
    printf("IPC key    = 0x%x\n", (unsigned)ds.msg_perm.__key);
    printf("msqid      = %d\n", msqid);
    printf("msg_qnum   = %lu\n", (unsigned long)ds.msg_qnum);
#ifndef STARTER
    printf("msg_cbytes = %lu\n", (unsigned long)ds.msg_cbytes);
    printf("msg_qbytes = %lu\n", (unsigned long)ds.msg_qbytes);
    printf("msg_lspid  = %ld\n", (long)ds.msg_lspid);
    printf("msg_lrpid  = %ld\n", (long)ds.msg_lrpid);
    show_time("msg_stime", ds.msg_stime);
    show_time("msg_rtime", ds.msg_rtime);
    show_time("msg_ctime", ds.msg_ctime);
#else
    /* TODO 11 (handout 6.1): msg_cbytes, msg_qbytes, msg_lspid, msg_lrpid,
       and msg_stime, msg_rtime, msg_ctime as "YYYY-MM-DD HH:MM:SS" or
       "never" for a time of 0, each as "NAME = VALUE". */
#endif

    if (remove) {
#ifndef STARTER
        if (msgctl(msqid, IPC_RMID, NULL) == -1)
            die("msgctl IPC_RMID");
        printf("queue removed\n");
#else
        /* TODO 13 (handout 6.3): remove the queue (msgctl IPC_RMID) */
#endif
    }
    return EXIT_SUCCESS;
}
