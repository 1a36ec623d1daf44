/* feeder.c

   Usage: feeder [-r] PATH WORKERS JOBS

   Own one mailbox (the System V queue ftok(PATH, 0x27)) shared by WORKERS
   worker processes, and a lock for them (the System V semaphore
   ftok(PATH, 0x28), value 1). Wait until every worker has said it is
   ready, send JOBS jobs numbered 1..JOBS and one stop per worker, collect
   each worker's count, and remove the queue and the lock. Plain jobs have
   type 1, for whichever worker the kernel picks; with -r, job k goes to
   worker ((k - 1) mod WORKERS) + 1 only, as its type: round-robin.

   See also worker.c. Lab 4, handout section 3.3.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI; sigaction is POSIX */

#include <sys/msg.h>
#include <sys/sem.h>

#include "mbox.h"

/* semctl's fourth argument: the caller declares it (X/Open). */
union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static int queue = -1, lock = -1; /* what we own, once created */

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: feeder [-r] PATH WORKERS JOBS\n"
            "  -r       round-robin: job k only for worker ((k - 1) mod WORKERS) + 1\n"
            "  PATH     file whose identity names the mailbox (created if missing)\n"
            "  WORKERS  how many workers share it (1 to %d)\n"
            "  JOBS     how many jobs to hand out (1 to 100000)\n",
            MAX_WORKERS);
}

static void remove_all(void)
{
#ifndef STARTER
    if (queue != -1 && msgctl(queue, IPC_RMID, NULL) == -1)
        perror("feeder: msgctl IPC_RMID");
    if (lock != -1 && semctl(lock, 0, IPC_RMID) == -1)
        perror("feeder: semctl IPC_RMID");
    if (queue != -1 || lock != -1)
        printf("feeder: removed the queue and the lock\n");
    queue = lock = -1;
#else
    /* TODO 8 (handout 3.3, 4): remove what we created, and only that:
       the queue (msgctl IPC_RMID) if queue != -1, the lock (semctl
       IPC_RMID) if lock != -1, perror for a failure. If either was there,
       print "feeder: removed the queue and the lock". Then forget both
       (-1), so that a second call does nothing. */
#endif
}

/* msgsnd or msgrcv failed: a signal means leave (remove_all runs), else die. */
static _Noreturn void stopped(const char *call)
{
    if (errno == EINTR && stop_signal != 0)
        fail("feeder: stopped by signal %d", (int)stop_signal);
    die("feeder: %s", call);
}

static void send_msg(long type, long kind, long seq)
{
#ifndef STARTER
    struct job_msg m;

    memset(&m, 0, sizeof(m));
    m.mtype = type;
    m.kind = kind;
    m.seq = seq;
    if (msgsnd(queue, &m, JOB_MSG_SIZE, 0) == -1)
        stopped("msgsnd");
#else
    /* TODO 9 (handout 3.3, 4): a job_msg, zeroed first (memset: no
       uninitialised byte may reach the kernel), with TYPE, KIND and SEQ;
       msgsnd it to the queue, waiting for room. A failure goes to
       stopped("msgsnd"), which leaves cleanly on a signal. */
    (void)type;
    (void)kind;
    (void)seq;
#endif
}

/* The next report of KIND from a worker; returns it. */
static struct job_msg report(long kind)
{
    struct job_msg m;

#ifndef STARTER
    if (msgrcv(queue, &m, JOB_MSG_SIZE, REPORT_TYPE, 0) == -1)
        stopped("msgrcv");
    if (m.kind != kind || m.worker < 1 || m.worker > MAX_WORKERS)
        fail("feeder: unexpected report (kind %ld from worker %ld)", m.kind, m.worker);
#else
    /* TODO 9 (handout 3.3): msgrcv one message of type REPORT_TYPE (a
       failure goes to stopped("msgrcv")). Anything but a report of KIND
       from a worker 1..MAX_WORKERS is an error: fail, naming it. */
    memset(&m, 0, sizeof(m));
    (void)kind;
    (void)stopped;
#endif
    return m;
}

int main(int argc, char *argv[])
{
    long workers, jobs, k, total = 0;
    int round_robin = 0, opt;
    key_t key, semkey;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "r")) != -1) {
        if (opt != 'r') {
            usage(stderr);
            return EXIT_FAILURE;
        }
        round_robin = 1;
    }
    if (argc - optind != 3 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    workers = get_long(argv[optind + 1], 1, MAX_WORKERS, "WORKERS");
    jobs = get_long(argv[optind + 2], 1, 100000, "JOBS");
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* Create the mailbox and the lock; both are ours to remove */
    key = key_of(argv[optind], PROJ_ID, 1);
    semkey = key_of(argv[optind], SEM_PROJ_ID, 0);
#ifndef STARTER
    catch_signal(SIGINT, note_signal);
    catch_signal(SIGTERM, note_signal);
    if (atexit(remove_all) != 0)
        fail("feeder: atexit failed");
    queue = msgget(key, QUEUE_PERMS | IPC_CREAT | IPC_EXCL);
    if (queue == -1)
        die("feeder: msgget 0x%x", (unsigned)key);
    lock = semget(semkey, 1, QUEUE_PERMS | IPC_CREAT | IPC_EXCL);
    if (lock == -1)
        die("feeder: semget 0x%x", (unsigned)semkey);
    if (semctl(lock, 0, SETVAL, (union semun){.val = 1}) == -1) /* 1: free */
        die("feeder: semctl SETVAL");
#else
    /* TODO 8 (handout 3.3, 4): catch SIGINT and SIGTERM (catch_signal,
       note_signal) and register remove_all with atexit, before creating
       anything. Create the queue (msgget, key) and then the lock (semget,
       semkey, one semaphore), both with QUEUE_PERMS | IPC_CREAT | IPC_EXCL:
       if either is already there, die, leaving it alone (remove_all removes
       only what we made). Set the lock's value to 1, free: semctl SETVAL
       with (union semun){.val = 1}. */
    (void)key;
    (void)semkey;
    (void)queue;
    (void)lock;
    (void)remove_all;
#endif
    printf("feeder: waiting for %ld worker(s)\n", workers);

    /* Start only when all are listening, so they compete from the first job */
#ifndef STARTER
    for (k = 0; k < workers; k++)
        report(READY);
    for (k = 1; k <= jobs; k++)
        send_msg(round_robin ? (k - 1) % workers + 1 : JOB_TYPE, JOB, k);
    for (k = 1; k <= workers; k++)
        send_msg(round_robin ? k : JOB_TYPE, STOP, 0);
    printf("feeder: sent %ld job(s) and %ld stop(s)\n", jobs, workers);

    for (k = 0; k < workers; k++) {
        struct job_msg m = report(DONE);

        printf("feeder: worker %ld did %ld job(s)\n", m.worker, m.seq);
        total += m.seq;
    }
    printf("feeder: %ld job(s) done in all\n", total);
    return total == jobs ? EXIT_SUCCESS : EXIT_FAILURE;
#else
    /* TODO 9 (handout 3.3): take one READY report per worker (report), so
       that all compete from the first job. Send jobs 1..JOBS (send_msg, kind
       JOB, seq k): type JOB_TYPE, or with -r the type ((k - 1) mod WORKERS)
       + 1, job k for that worker only. Then one STOP per worker: type
       JOB_TYPE, or with -r each worker's own type 1..WORKERS. Print
       "feeder: sent J job(s) and W stop(s)". Then take one DONE report per
       worker, print "feeder: worker W did K job(s)" and add K to total;
       print "feeder: T job(s) done in all". Exit 0 only when the counts
       add up to JOBS: a lost job must not go unnoticed. */
    (void)round_robin;
    (void)workers;
    (void)k;
    (void)send_msg;
    (void)report;
    (void)total;
    (void)jobs;
    return EXIT_SUCCESS;
#endif
}
