/* msgsnd.c

   Usage: msgsnd PATH [DATAFILE]

   Send each "TYPE NAME" line of DATAFILE (default ./msgsnd.txt) as one
   fixed-size message on the System V queue whose key is ftok(PATH, 0x27).
   PATH and the queue are created when missing. A full queue makes the
   sender wait (blocking send). The queue is left for msgrcv to empty.

   See also msgrcv.c. Lab 1, handout section 3.
*/
#ifdef STARTER
/* Starter code: the TODOs mark your work; each names the handout section
   that explains it. Run `make grade` to see how far you are. */
#endif
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; getline is POSIX.1-2008 */

#include <ctype.h>
#include <fcntl.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgdata.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: msgsnd PATH [DATAFILE]\n"
                "  PATH      file whose identity names the queue (created if missing)\n"
                "  DATAFILE  \"type name\" lines to send (default ./msgsnd.txt)\n");
}

/* ftok needs an existing file: create PATH on first use. */
static void make_key_file(const char *path)
{
#ifndef STARTER
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
    printf("shared file object created\n");
#else
    /* TODO 1 (handout 3.1): if stat(path) fails with ENOENT, create the file
       with open(O_WRONLY | O_CREAT | O_EXCL, KEY_FILE_PERMS), close it, and
       print "shared file object created". Any other failure: die(). */
    (void)path;
#endif
}

/* Split LINE into a positive type and a name of at most TEXT_SIZE - 1 bytes.
   Returns 0 for a blank line, 1 for a message; exits on anything else,
   naming FILE:LINENO so the user can find it. */
static int parse_line(char *line, const char *file, long lineno, struct msg_struct *msg)
{
#ifndef STARTER
    char *p = line, *end;
    size_t len;
    long type;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return 0;

    errno = 0;
    type = strtol(p, &end, 10);
    if (end == p || !isspace((unsigned char)*end))
        fail("%s:%ld: expected \"TYPE NAME\" with a numeric TYPE", file, lineno);
    if (errno == ERANGE || type <= 0)
        fail("%s:%ld: TYPE must be a positive long, not %.*s", file, lineno, (int)(end - p), p);

    for (p = end; isspace((unsigned char)*p); p++)
        ;
    len = strlen(p);
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        len--;
    if (len == 0)
        fail("%s:%ld: NAME is missing", file, lineno);
    if (len > TEXT_SIZE - 1)
        fail("%s:%ld: NAME is %zu bytes; at most %d fit in a message", file, lineno, len,
             TEXT_SIZE - 1);

    /* Zero the whole body: msgsnd copies all TEXT_SIZE bytes into the kernel,
       and bytes past the name must not be stale stack contents. */
    memset(msg, 0, sizeof(*msg));
    msg->msg_type = type;
    memcpy(msg->mtext, p, len);
    return 1;
#else
    /* TODO 4 (handout 3.4): skip leading blanks (a blank line returns 0);
       read TYPE with strtol and check it is a number followed by a blank,
       and > 0; the rest of the line, without surrounding blanks, is NAME:
       it must not be empty nor longer than TEXT_SIZE - 1. On a bad line:
       fail("%s:%ld: ...", file, lineno, ...).
       TODO 5 (handout 3.5): clear the whole message with memset before
       filling in msg_type and copying NAME into mtext. */
    (void)line, (void)file, (void)lineno, (void)msg;
    return 0;
#endif
}

int main(int argc, char *argv[])
{
    const char *path, *datafile;
    struct msg_struct msg;
#ifndef STARTER
    struct msqid_ds ds;
#endif
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
#ifndef STARTER
    int msqid, count = 0, status;
    key_t key;
#else
    int count = 0;
#endif
    FILE *fp;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (argc < 2 || argc > 3 || argv[1][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    path = argv[1];
    datafile = argc == 3 ? argv[2] : "./msgsnd.txt";

    /* Open the key file, then the queue */
    make_key_file(path);
#ifndef STARTER
    key = ftok(path, PROJ_ID);
    if (key == -1)
        die("ftok %s", path);
    printf("\nIPC key = 0x%x\n", (unsigned)key);

    msqid = msgget(key, QUEUE_PERMS | IPC_CREAT);
    if (msqid == -1)
        die("msgget");
#else
    /* TODO 2 (handout 3.1, 3.2): key = ftok(path, PROJ_ID); print
       "\nIPC key = 0x%x\n"; then msqid = msgget(key, QUEUE_PERMS | IPC_CREAT).
       Check both for -1 and die() with the call's name. */
#endif

    fp = fopen(datafile, "r");
    if (fp == NULL)
        die("fopen %s", datafile);

#ifndef STARTER
    /* Report the room left, from the queue's own capacity: an administrator
       or another program may have changed msg_qbytes. */
    if (msgctl(msqid, IPC_STAT, &ds) == -1)
        die("msgctl IPC_STAT");
    printf("number of messages remained = %lu, empty slots = %ld\n", (unsigned long)ds.msg_qnum,
           (long)(ds.msg_qbytes / TEXT_SIZE) - (long)ds.msg_qnum);
    printf("Blocking Sending ... \n");
#else
    /* TODO 3 (handout 3.3): msgctl(msqid, IPC_STAT, &ds) and print
       "number of messages remained = %lu, empty slots = %ld", where the
       empty slots come from ds.msg_qbytes / TEXT_SIZE - ds.msg_qnum;
       then print "Blocking Sending ... ". */
#endif

#ifndef STARTER
    /* Send messages; msgflg 0 makes msgsnd wait while the queue is full */
#else
    /* Send messages */
#endif
    while (getline(&line, &cap, fp) != -1) {
        if (!parse_line(line, datafile, ++lineno, &msg))
            continue;
        printf("%ld %s\n", msg.msg_type, msg.mtext);
#ifndef STARTER
        if (msgsnd(msqid, &msg, TEXT_SIZE, 0) == -1)
            die("msgsnd");
#else
        /* TODO 6 (handout 3.5): send TEXT_SIZE bytes of msg with
           msgsnd(msqid, &msg, TEXT_SIZE, 0): flag 0 waits while the queue
           is full. die() if it fails. */
#endif
        count++;
    }
    if (ferror(fp))
        die("read %s", datafile);
    free(line);
    if (fclose(fp) == EOF)
        die("fclose %s", datafile);

    printf("number of sent messages = %d\n", count);
#ifndef STARTER
    fflush(stdout); /* our lines first, then the child's */
    status = system("ipcs -q");
    if (status == -1)
        die("system");
    if (status != 0)
        fprintf(stderr, "msgsnd: ipcs -q failed (status %d); the messages were sent\n", status);
#else
    /* TODO 7 (handout 3.6): fflush(stdout), then system("ipcs -q"); die()
       if system returns -1. */
#endif
    return EXIT_SUCCESS;
}
