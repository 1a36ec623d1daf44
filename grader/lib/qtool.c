/* qtool.c: the grader's own view of System V queues.

   Usage: qtool create PATH PROJ QBYTES    create the queue (0666), set msg_qbytes
          qtool stat   PATH PROJ           print "qnum cbytes qbytes lspid lrpid msqid uid cuid"
          qtool statid MSQID               print "qnum cbytes qbytes lspid lrpid msqid uid cuid"
          qtool peek   MSQID               one line per message, in queue order:
                                           "TYPE SIZE TEXT" (text cut at 60 bytes,
                                           non-printing bytes as '.'), read with
                                           MSG_COPY so the queue is not changed
          qtool send   MSQID TYPE HEX      send one message of TYPE whose mtext
                                           is the bytes HEX spells (two hex
                                           digits a byte), never waiting
          qtool take   MSQID TYPE          remove the first message msgrcv(TYPE) would
                                           give, without waiting; print it like peek
          qtool semcreate PATH PROJ        create a set of one semaphore (0666) under
                                           ftok(PATH, PROJ); print its id
          qtool semid  PATH PROJ           print the id of the set under ftok(PATH, PROJ)

   The grader uses it to prepare a queue (or a semaphore set) before a test
   (send: a message of its own making, for a test of what a receiver does
   with it), to take a message away as a crashed program would, and to read
   what a student's program left, independent of the program's own output.
   Exit status 0, 1 when the queue (the set, the message) does not exist,
   2 on other errors.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* MSG_STAT, MSG_INFO and struct msginfo */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/stat.h>

static void die(const char *what)
{
    fprintf(stderr, "qtool: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* ftok(3), but on the path itself: the grader runs this on names in a
   folder the student's programs can change, and must not follow a link
   they planted there (glibc's formula: proj, device and inode bits). */
static key_t key_of(const char *path, const char *proj)
{
    struct stat st;

    if (lstat(path, &st) == -1)
        die("ftok");
    if (S_ISLNK(st.st_mode)) {
        errno = ELOOP;
        die("ftok (a symbolic link)");
    }
    return (key_t)((st.st_ino & 0xffff) | ((st.st_dev & 0xff) << 16) |
                   ((unsigned)((int)strtol(proj, NULL, 0) & 0xff) << 24));
}

/* One line for a message, as peek and take print it. */
static void show(long type, ssize_t n, const char *text)
{
    printf("%ld %zd ", type, n);
    for (ssize_t j = 0; j < n && j < 60 && text[j] != '\0'; j++)
        putchar(text[j] >= 32 && text[j] < 127 ? text[j] : '.');
    putchar('\n');
}

/* one message as msgsnd and msgrcv take it, as large as a queue allows;
   static: too big for the stack of a helper that may run with a small one */
static struct {
    long mtype;
    char mtext[65536];
} buf;

/* MSG_COPY (Linux 3.8, CONFIG_CHECKPOINT_RESTORE) copies the message at an
   index without removing it: the only way to look inside a queue unchanged. */
static int peek(int msqid)
{
    ssize_t n;
    long i;

    for (i = 0;; i++) {
        n = msgrcv(msqid, &buf, sizeof(buf.mtext), i, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
        if (n == -1) {
            if (errno == ENOMSG)
                return 0;
            if (errno == ENOSYS || errno == EINVAL)
                fprintf(stderr, "qtool: this kernel cannot peek (MSG_COPY): %s\n", strerror(errno));
            else
                die("msgrcv MSG_COPY");
            return 3;
        }
        show(buf.mtype, n, buf.mtext);
    }
}

static int send_hex(int msqid, long type, const char *hex)
{
    size_t n = strlen(hex) / 2, i;

    if (strlen(hex) % 2 != 0 || n > sizeof(buf.mtext)) {
        fprintf(stderr, "qtool: send: HEX must be pairs of hex digits, at most %zu\n",
                sizeof(buf.mtext));
        return 2;
    }
    for (i = 0; i < n; i++) {
        char pair[3] = {hex[2 * i], hex[2 * i + 1], '\0'};

        if (!isxdigit((unsigned char)pair[0]) || !isxdigit((unsigned char)pair[1])) {
            fprintf(stderr, "qtool: send: \"%s\" is not a hex digit pair\n", pair);
            return 2;
        }
        buf.mtext[i] = (char)strtol(pair, NULL, 16);
    }
    buf.mtype = type;
    if (msgsnd(msqid, &buf, n, IPC_NOWAIT) == -1)
        die("msgsnd");
    return 0;
}

static int take(int msqid, long type)
{
    ssize_t n;

    n = msgrcv(msqid, &buf, sizeof(buf.mtext), type, IPC_NOWAIT | MSG_NOERROR);
    if (n == -1) {
        if (errno == ENOMSG)
            return 1;
        die("msgrcv");
    }
    show(buf.mtype, n, buf.mtext);
    return 0;
}

static int stat_id(int id)
{
    struct msqid_ds ds;

    if (msgctl(id, IPC_STAT, &ds) == -1) {
        if (errno == EINVAL || errno == EIDRM)
            return 1;
        die("msgctl IPC_STAT");
    }
    printf("%lu %lu %lu %ld %ld %d %ld %ld\n", (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, (long)ds.msg_lspid,
           (long)ds.msg_lrpid, id, (long)ds.msg_perm.uid, (long)ds.msg_perm.cuid);
    return 0;
}

int main(int argc, char *argv[])
{
    struct msqid_ds ds;
    int id;

    if (argc == 3 && strcmp(argv[1], "peek") == 0)
        return peek((int)strtol(argv[2], NULL, 0));
    if (argc == 3 && strcmp(argv[1], "statid") == 0)
        return stat_id((int)strtol(argv[2], NULL, 0));
    if (argc == 5 && strcmp(argv[1], "send") == 0)
        return send_hex((int)strtol(argv[2], NULL, 0), strtol(argv[3], NULL, 0), argv[4]);
    if (argc == 4 && strcmp(argv[1], "take") == 0)
        return take((int)strtol(argv[2], NULL, 0), strtol(argv[3], NULL, 0));
    if (argc < 4) {
        fprintf(stderr, "Usage: qtool create|stat|semcreate|semid PATH PROJ [QBYTES] |"
                        " peek|statid MSQID | send MSQID TYPE HEX | take MSQID TYPE\n");
        return 2;
    }
    if (strcmp(argv[1], "create") == 0 && argc == 5) {
        id = msgget(key_of(argv[2], argv[3]), 0666 | IPC_CREAT);
        if (id == -1)
            die("msgget");
        if (msgctl(id, IPC_STAT, &ds) == -1)
            die("msgctl IPC_STAT");
        ds.msg_qbytes = (msglen_t)strtoul(argv[4], NULL, 0);
        if (msgctl(id, IPC_SET, &ds) == -1)
            die("msgctl IPC_SET");
        return 0;
    }
    if (strcmp(argv[1], "semcreate") == 0 || strcmp(argv[1], "semid") == 0) {
        int create = strcmp(argv[1], "semcreate") == 0;

        id = semget(key_of(argv[2], argv[3]), create ? 1 : 0,
                    create ? 0666 | IPC_CREAT | IPC_EXCL : 0);
        if (id == -1) {
            if (errno == ENOENT)
                return 1;
            die("semget");
        }
        printf("%d\n", id);
        return 0;
    }
    if (strcmp(argv[1], "stat") == 0) {
        id = msgget(key_of(argv[2], argv[3]), 0);
        if (id == -1) {
            if (errno == ENOENT)
                return 1;
            die("msgget");
        }
        return stat_id(id);
    }
    fprintf(stderr, "qtool: unknown command %s\n", argv[1]);
    return 2;
}
