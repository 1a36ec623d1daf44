/* lsq.c

   Usage: lsq

   List every System V message queue this process can see, with what the
   kernel records about who owns and who uses it: owner and creator uid,
   permissions, messages, and the pids of the last sender and receiver.
   The kernel keeps no creator pid for a queue: a server that wants to be
   found must say its pid itself (server.c prints it).

   See also server.c. Lab 4, handout section 3.2.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* MSG_INFO and MSG_STAT: Linux's way to walk all queues */

#include <sys/msg.h>

#include "mbox.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: lsq\n"
                "  list the message queues: key, msqid, owner, creator, perms, messages,\n"
                "  last sender pid (lspid) and last receiver pid (lrpid)\n");
}

int main(int argc, char *argv[])
{
    struct msginfo info;
    struct msqid_ds ds;
    int maxidx, i, id;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (argc != 1) {
        usage(stderr);
        return EXIT_FAILURE;
    }

    /* MSG_INFO returns the highest slot in use; MSG_STAT reads slot i */
    maxidx = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&info);
    if (maxidx == -1)
        die("lsq: msgctl MSG_INFO");
    /* Columns wide enough for any value: a uid reaches 4294967295 (ten
       digits, common in containers), a pid 4194304 (seven) */
    printf("%-10s %-6s %-10s %-10s %-5s %-8s %-7s %s\n", "key", "msqid", "owner", "creator",
           "perms", "messages", "lspid", "lrpid");
    for (i = 0; i <= maxidx; i++) {
#ifndef STARTER
        id = msgctl(i, MSG_STAT, &ds);
        if (id == -1) {
            if (errno == EINVAL || errno == EACCES) /* an empty slot, or not ours to see */
                continue;
            die("lsq: msgctl MSG_STAT %d", i);
        }
        printf("0x%08x %-6d %-10u %-10u %-5o %-8lu %-7d %d\n", (unsigned)ds.msg_perm.__key, id,
               (unsigned)ds.msg_perm.uid, (unsigned)ds.msg_perm.cuid,
               (unsigned)ds.msg_perm.mode & 0777, (unsigned long)ds.msg_qnum, (int)ds.msg_lspid,
               (int)ds.msg_lrpid);
#else
        /* TODO 7 (handout 3.2): read slot i with msgctl(i, MSG_STAT, &ds),
           which returns the msqid; skip empty slots (EINVAL) and hidden ones
           (EACCES); print one row: key (ds.msg_perm.__key), msqid, uid,
           cuid, mode & 0777 in octal, msg_qnum, msg_lspid, msg_lrpid. */
        (void)ds;
        (void)id;
#endif
    }
    return EXIT_SUCCESS;
}
