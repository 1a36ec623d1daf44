/* worker.c

   Usage: worker [-r | -l] [-s] PATH ID

   Worker number ID of the feeder's shared mailbox ftok(PATH, 0x27): say
   ready, then take jobs until a stop arrives, logging "begin" and "end" of
   each job with the time in microseconds, and report the count to the
   feeder. Plain: take type 1, so the kernel picks which worker gets each
   job. -r: take only type ID (the feeder's round-robin). -l: hold the
   feeder's lock (semaphore ftok(PATH, 0x28)) around receive and work, so
   at most one worker is ever between "begin" and "end". -s: wait for
   Enter before ending each job, to watch the others wait.

   See also feeder.c. Lab 4, handout section 3.3.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* System V IPC is XSI */

#include <sys/msg.h>
#include <sys/sem.h>

#include "mbox.h"

static void usage(FILE *to)
{
    fprintf(to,
            "Usage: worker [-r | -l] [-s] PATH ID\n"
            "  -r    round-robin: take only jobs of type ID\n"
            "  -l    hold the feeder's lock around each receive and job\n"
            "  -s    step: wait for Enter before ending each job\n"
            "  PATH  the file the feeder named its mailbox with\n"
            "  ID    this worker's number, 1 to %d\n",
            MAX_WORKERS);
}

/* Add DELTA to the lock: -1 takes it (waiting while it is 0), +1 frees it.
   SEM_UNDO: if we die holding it, the kernel gives it back. A lock that
   is gone means the feeder has left: worker ID says so and stops. */
static void lock_op(int lock, short delta, long id)
{
#ifndef STARTER
    struct sembuf op = {.sem_num = 0, .sem_op = delta, .sem_flg = SEM_UNDO};

    if (semop(lock, &op, 1) == -1) {
        if (errno == EIDRM || errno == EINVAL)
            fail("worker %ld: the feeder removed the lock", id);
        die("worker %ld: semop", id);
    }
#else
    /* TODO 11 (handout 3.3): one semop on semaphore 0 adding DELTA, with
       SEM_UNDO. EIDRM or EINVAL mean the feeder removed the lock: print
       "worker ID: the feeder removed the lock" and exit non-zero (fail);
       any other failure, die. */
    (void)lock;
    (void)delta;
    (void)id;
#endif
}

static void report(int queue, long kind, long id, long count)
{
#ifndef STARTER
    struct job_msg m;

    memset(&m, 0, sizeof(m));
    m.mtype = REPORT_TYPE;
    m.kind = kind;
    m.worker = id;
    m.seq = count;
    if (msgsnd(queue, &m, JOB_MSG_SIZE, 0) == -1)
        die("worker %ld: msgsnd", id);
#else
    /* TODO 10 (handout 3.3, 4): a job_msg, zeroed first (memset), of type
       REPORT_TYPE, with KIND (READY or DONE), our ID as worker and COUNT
       as seq; msgsnd it, and die naming the worker if that fails. */
    (void)queue;
    (void)kind;
    (void)id;
    (void)count;
#endif
}

int main(int argc, char *argv[])
{
    int round_robin = 0, locked = 0, step = 0, queue, lock = -1, opt;
    long id, count = 0;
    struct job_msg m;
    char answer[64];
    key_t key;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "rls")) != -1) {
        if (opt == 'r')
            round_robin = 1;
        else if (opt == 'l')
            locked = 1;
        else if (opt == 's')
            step = 1;
        else {
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 2 || argv[optind][0] == '\0' || (round_robin && locked)) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    id = get_long(argv[optind + 1], 1, MAX_WORKERS, "ID");
    setvbuf(stdout, NULL, _IOLBF, 0); /* the log must be in order, line by line */

    /* Open the feeder's mailbox (and lock); never create them */
#ifndef STARTER
    key = key_of(argv[optind], PROJ_ID, 0);
    queue = msgget(key, 0);
    if (queue == -1)
        die("worker %ld: no mailbox 0x%x: msgget", id, (unsigned)key);
    if (locked) {
        lock = semget(key_of(argv[optind], SEM_PROJ_ID, 0), 1, 0);
        if (lock == -1)
            die("worker %ld: no lock: semget", id);
    }
#else
    /* TODO 10 (handout 3.3, 4): the mailbox is msgget(key_of(PATH, PROJ_ID,
       0), 0) and, with -l only, the lock is semget(key_of(PATH, SEM_PROJ_ID,
       0), 1, 0): no IPC_CREAT, the feeder owns both. If either is missing,
       die naming the worker. */
    (void)key;
    (void)lock;
    queue = -1;
#endif
    report(queue, READY, id, 0);

    /* Take jobs until our stop: lock, receive, work, unlock */
#ifndef STARTER
    for (;;) {
        if (locked)
            lock_op(lock, -1, id);
        if (msgrcv(queue, &m, JOB_MSG_SIZE, round_robin ? id : JOB_TYPE, 0) == -1) {
            /* EIDRM: removed while we slept; EINVAL: removed before we got here */
            if (errno == EIDRM || errno == EINVAL)
                fail("worker %ld: the feeder removed the mailbox", id);
            die("worker %ld: msgrcv", id);
        }
        if (m.kind == STOP) {
            if (locked)
                lock_op(lock, 1, id);
            break;
        }
        printf("worker %ld: begin %ld at %lld\n", id, m.seq, now_us());
        if (step && fgets(answer, sizeof(answer), stdin) == NULL && ferror(stdin))
            die("worker %ld: read stdin", id);
        printf("worker %ld: end %ld at %lld\n", id, m.seq, now_us());
        count++;
        if (locked)
            lock_op(lock, 1, id);
    }
#else
    /* TODO 10 (handout 3.3): loop until a STOP arrives:
       - with -l, take the lock first: lock_op(lock, -1, id) (TODO 11).
       - msgrcv one job: type ID with -r, else JOB_TYPE. The kernel hands
         each message to exactly one receiver. EIDRM or EINVAL mean the
         feeder removed the mailbox: say "worker ID: the feeder removed the
         mailbox" and exit non-zero (fail); any other failure, die.
       - a STOP: give the lock back (with -l) and leave the loop.
       - a JOB: print "worker ID: begin SEQ at TIME" (now_us), with -s read
         a line from stdin (fgets into answer), print "worker ID: end SEQ
         at TIME", count it, and with -l give the lock back (+1) only now,
         after the end line. */
    (void)round_robin;
    (void)step;
    (void)m;
    (void)answer;
    (void)lock_op;
#endif
    report(queue, DONE, id, count);
    printf("worker %ld: done, %ld job(s)\n", id, count);
    return EXIT_SUCCESS;
}
