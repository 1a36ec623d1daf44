/* bench.c

   Usage: bench [-m COUNT] [-r RUNS] [-s SIZES] [-c CAPACITIES] [--cpus LIST] [-o CSV]

   Measure the channel: messages per second streamed from one process to
   another, and the round-trip time of a message and its reply, for each
   capacity and message size; beside each, the same pattern on a bare System
   V queue and the kernel floor (a bare msgsnd/msgrcv ping-pong, and a pipe
   ping-pong), all measured in this run. Both processes are pinned to one CPU
   (or to the CPUs --cpus lists), so a figure is the cost of the IPC, not of
   waking another CPU. For unbounded channels, what the sender held in its own
   memory. Prints a table of medians and spreads; writes every figure to CSV
   (plot.sh draws it).

   See also channel.h. Lab 5, handout section 5.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* sched_setaffinity and CPU_SET are Linux's */

#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"

#define MAX_LIST 16
#define MAX_RUNS 101
#define HDR      sizeof(struct ch_header)

static void usage(FILE *to)
{
    fprintf(to, "Usage: bench [-m COUNT] [-r RUNS] [-s SIZES] [-c CAPACITIES] [--cpus LIST] "
                "[-o CSV]\n"
                "  -m COUNT       messages (or round trips) per measurement (default 5000)\n"
                "  -r RUNS        repetitions; the table shows median and spread (default 5)\n"
                "  -s SIZES       bytes per message in the queue, header included,\n"
                "                 from 16 to 8192, comma-separated (default 16,512,8192)\n"
                "  -c CAPACITIES  comma-separated: 0, N or u (default 0,1,4,64,u)\n"
                "  --cpus LIST    pin both processes to these CPUs, comma-separated numbers\n"
                "                 or ranges: 0, 0,1, 0-3 (default: the first CPU allowed);\n"
                "                 -p LIST is the same\n"
                "  -o CSV         write the figures to CSV (default bench.csv)\n");
}

static long count = 5000;
static long msgmnb;         /* the largest capacity, in bytes, of a queue here */
static char keypath[2][64]; /* the two channels' key files */
static pid_t owner;         /* the process that made them, and removes them */
static char *payload;       /* COUNT-independent message bytes, CH_WIRE_MAX of them */
static size_t peak_held;    /* the most messages a sender held, over chan_stream's runs */

/* A bare message: the type, then SIZE bytes of mtext. */
struct bare {
    long mtype;
    char mtext[CH_WIRE_MAX];
};
static struct bare bare;

static double now(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
        die("clock_gettime");
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* fork with stdio flushed first, so nothing buffered is written twice. */
static pid_t start_child(void)
{
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid == -1)
        die("fork");
    return pid;
}

static void reap(pid_t pid)
{
    int status;

    if (waitpid(pid, &status, 0) == -1)
        die("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("bench: a measuring child process failed (status 0x%x)", status);
}

static void bare_send(int q, long type, size_t size)
{
    bare.mtype = type;
    if (msgsnd(q, &bare, size, 0) == -1)
        die("msgsnd");
}

static void bare_recv(int q, long type, size_t size)
{
    if (msgrcv(q, &bare, size, type, 0) == -1)
        die("msgrcv");
}

/* A private queue holding at most QBYTES (0: the default). */
static int bare_queue(unsigned long qbytes)
{
    struct msqid_ds ds;
    int q = msgget(IPC_PRIVATE, 0600);

    if (q == -1)
        die("msgget");
    if (qbytes != 0) {
        if (msgctl(q, IPC_STAT, &ds) == -1)
            die("msgctl IPC_STAT");
        ds.msg_qbytes = qbytes;
        if (msgctl(q, IPC_SET, &ds) == -1)
            die("msgctl IPC_SET msg_qbytes=%lu (above msgmnb needs root)", qbytes);
    }
    return q;
}

static void bare_remove(int q)
{
    if (msgctl(q, IPC_RMID, NULL) == -1)
        die("msgctl IPC_RMID");
}

/* Floor: seconds per round trip of SIZE bytes on a bare queue. */
static double floor_msgq(size_t size)
{
    int q = bare_queue(0);
    double t0, t;
    pid_t pid = start_child();

    if (pid == 0) {
        for (long i = 0; i < count; i++) {
            bare_recv(q, 1, size);
            bare_send(q, 2, size);
        }
        _exit(EXIT_SUCCESS);
    }
    t0 = now();
    for (long i = 0; i < count; i++) {
        bare_send(q, 1, size);
        bare_recv(q, 2, size);
    }
    t = now() - t0;
    reap(pid);
    bare_remove(q);
    return t / count;
}

static void pipe_xfer(int fd, size_t size, int out)
{
    size_t done = 0;

    while (done < size) {
        ssize_t n = out ? write(fd, bare.mtext + done, size - done)
                        : read(fd, bare.mtext + done, size - done);
        if (n <= 0)
            die(out ? "write pipe" : "read pipe");
        done += n;
    }
}

/* Floor: seconds per round trip of SIZE bytes over two pipes. */
static double floor_pipe(size_t size)
{
    int there[2], back[2];
    double t0, t;
    pid_t pid;

    if (pipe(there) == -1 || pipe(back) == -1)
        die("pipe");
    pid = start_child();
    if (pid == 0) {
        for (long i = 0; i < count; i++) {
            pipe_xfer(there[0], size, 0);
            pipe_xfer(back[1], size, 1);
        }
        _exit(EXIT_SUCCESS);
    }
    t0 = now();
    for (long i = 0; i < count; i++) {
        pipe_xfer(there[1], size, 1);
        pipe_xfer(back[0], size, 0);
    }
    t = now() - t0;
    reap(pid);
    if (close(there[0]) == -1 || close(there[1]) == -1 || close(back[0]) == -1 ||
        close(back[1]) == -1)
        die("close pipe");
    return t / count;
}

/* Bare queue, same pattern as a channel of CAP: messages per second.
   0: each message waits for an acknowledgement; n: the queue holds n;
   unbounded: the most a bare queue can do is wait when it is full. */
static double bare_stream(size_t size, long cap)
{
    int q = bare_queue(cap > 0 ? cap * size : 0);
    double t0, t;
    pid_t pid = start_child();

    if (pid == 0) {
        for (long i = 0; i < count; i++) {
            bare_recv(q, 1, size);
            if (cap == 0)
                bare_send(q, 2, HDR);
        }
        _exit(EXIT_SUCCESS);
    }
    t0 = now();
    for (long i = 0; i < count; i++) {
        bare_send(q, 1, size);
        if (cap == 0)
            bare_recv(q, 2, HDR);
    }
    reap(pid);
    t = now() - t0;
    bare_remove(q);
    return count / t;
}

static struct channel *open_or_die(int which, enum ch_role role, long cap, size_t size)
{
    struct channel *ch = ch_open(keypath[which], role, cap, size - HDR);

    if (ch == NULL)
        die("ch_open %s", keypath[which]);
    return ch;
}

/* Receive until end of stream; returns how many messages came. */
static long drain(struct channel *ch)
{
    static char body[CH_BODY_MAX];
    uint32_t seq;
    size_t len;
    long got = 0;
    int n;

    while ((n = ch_recv(ch, body, sizeof(body), &len, &seq, 0)) == 1)
        got++;
    if (n == -1)
        die("ch_recv");
    return got;
}

static void close_or_die(struct channel *ch)
{
    if (ch_close(ch) == -1)
        die("ch_close");
}

/* Channel of capacity CAP: messages per second from one process to another. */
static double chan_stream(size_t size, long cap)
{
    struct channel *ch;
    double t0, t;
    pid_t pid = start_child();

    if (pid == 0) {
        ch = open_or_die(0, CH_RECEIVER, cap, size);
        if (drain(ch) != count)
            fail("bench: the channel lost messages");
        close_or_die(ch);
        _exit(EXIT_SUCCESS);
    }
    ch = open_or_die(0, CH_SENDER, cap, size);
    t0 = now();
    for (long i = 0; i < count; i++) {
        if (ch_send(ch, payload, size - HDR, 0) == -1)
            die("ch_send");
        if (ch_held(ch) > peak_held)
            peak_held = ch_held(ch);
    }
    close_or_die(ch); /* an unbounded channel delivers what it holds here */
    reap(pid);
    t = now() - t0;
    return count / t;
}

/* Channels of capacity CAP both ways: seconds per message and reply. */
static double chan_rtt(size_t size, long cap)
{
    static char body[CH_BODY_MAX];
    struct channel *out, *in;
    uint32_t seq;
    size_t len;
    double t0, t;
    int n;
    pid_t pid = start_child();

    if (pid == 0) {
        in = open_or_die(0, CH_RECEIVER, cap, size);
        out = open_or_die(1, CH_SENDER, cap, size);
        while ((n = ch_recv(in, body, sizeof(body), &len, &seq, 0)) == 1)
            if (ch_send(out, body, len, 0) == -1)
                die("ch_send");
        if (n == -1)
            die("ch_recv");
        close_or_die(out);
        close_or_die(in);
        _exit(EXIT_SUCCESS);
    }
    out = open_or_die(0, CH_SENDER, cap, size);
    in = open_or_die(1, CH_RECEIVER, cap, size);
    t0 = now();
    for (long i = 0; i < count; i++) {
        if (ch_send(out, payload, size - HDR, 0) == -1)
            die("ch_send");
        if (ch_recv(in, body, sizeof(body), &len, &seq, 0) != 1)
            die("ch_recv");
    }
    t = now() - t0;
    close_or_die(out);
    if (drain(in) != 0)
        fail("bench: a reply too many");
    close_or_die(in);
    reap(pid);
    return t / count;
}

/* This process's resident memory, in KiB. */
static long rss_kib(void)
{
    long pages, resident;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f == NULL || fscanf(f, "%ld %ld", &pages, &resident) != 2)
        die("read /proc/self/statm");
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* An unbounded sender alone: COUNT messages of SIZE sent before any receiver
   runs. Returns how many it held, and its resident memory's growth in KiB. */
static void chan_alone(size_t size, size_t *held, long *grew)
{
    struct channel *ch;
    long got[2], rss0;
    int done[2];
    pid_t pid;

    if (pipe(done) == -1)
        die("pipe");
    pid = start_child();
    if (pid == 0) { /* the sender, measured in a fresh process */
        rss0 = rss_kib();
        ch = open_or_die(0, CH_SENDER, CH_UNBOUNDED, size);
        for (long i = 0; i < count; i++)
            if (ch_send(ch, payload, size - HDR, 0) == -1)
                die("ch_send");
        got[0] = (long)ch_held(ch);
        got[1] = rss_kib() - rss0;
        if (write(done[1], got, sizeof(got)) != (ssize_t)sizeof(got))
            die("write pipe");
        close_or_die(ch); /* delivers what it holds, once we receive */
        _exit(EXIT_SUCCESS);
    }
    if (read(done[0], got, sizeof(got)) != (ssize_t)sizeof(got))
        fail("bench: the unbounded sender did not report what it held");
    ch = open_or_die(0, CH_RECEIVER, CH_UNBOUNDED, size);
    if (drain(ch) != count)
        fail("bench: the channel lost messages");
    close_or_die(ch);
    reap(pid);
    if (close(done[0]) == -1 || close(done[1]) == -1)
        die("close pipe");
    *held = (size_t)got[0];
    *grew = got[1];
}

/* RUNS repetitions of one measurement: median, min and max. */
struct figure {
    double median, min, max;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static struct figure summary(double *v, int runs)
{
    struct figure f;

    qsort(v, runs, sizeof(v[0]), cmp_double);
    f.min = v[0];
    f.max = v[runs - 1];
    f.median = runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
    return f;
}

static struct figure measure(double (*fn)(size_t, long), size_t size, long cap, int runs)
{
    double v[MAX_RUNS];

    for (int i = 0; i < runs; i++)
        v[i] = fn(size, cap);
    return summary(v, runs);
}

/* The same for two measurements, their runs alternated, and A / B for each
   pair of runs: a change in the machine's load touches both of a pair alike,
   so the median of the pairs' ratios is fairer than the ratio of medians. */
static void measure_pair(double (*fa)(size_t, long), double (*fb)(size_t, long), size_t size,
                         long cap, int runs, struct figure *a, struct figure *b,
                         struct figure *ratio)
{
    double va[MAX_RUNS], vb[MAX_RUNS], vr[MAX_RUNS];

    for (int i = 0; i < runs; i++) {
        va[i] = fa(size, cap);
        vb[i] = fb(size, cap);
        vr[i] = va[i] / vb[i];
    }
    *a = summary(va, runs);
    *b = summary(vb, runs);
    *ratio = summary(vr, runs);
}

static double floor_msgq_fn(size_t size, long cap)
{
    (void)cap;
    return floor_msgq(size) * 1e6;
}

static double floor_pipe_fn(size_t size, long cap)
{
    (void)cap;
    return floor_pipe(size) * 1e6;
}

static double chan_rtt_fn(size_t size, long cap)
{
    return chan_rtt(size, cap) * 1e6;
}

static int spread(struct figure f)
{
    return (int)(100 * (f.max - f.min) / f.median + 0.5);
}

static const char *cap_name(long cap)
{
    static char buf[32];

    if (cap == CH_UNBOUNDED)
        return "u";
    snprintf(buf, sizeof(buf), "%ld", cap);
    return buf;
}

static void csv_row(FILE *csv, const char *what, size_t size, long cap, struct figure f,
                    const char *unit)
{
    fprintf(csv, "%s,%zu,%s,%.6g,%.6g,%.6g,%s\n", what, size, cap == -2 ? "" : cap_name(cap),
            f.median, f.min, f.max, unit);
}

/* The cost of unbounded: what the sender held in its own memory, streaming
   to a running receiver (the most over chan_stream's runs) and alone. */
static void held_table(FILE *csv, const long *sizes, int nsizes, const size_t *streaming)
{
    printf("\nunbounded: messages held in the sender's memory, streaming (the most over the\n"
           "runs) and alone (all %ld sent before the receiver starts; KiB of message bytes,\n"
           "and how much the sender's resident memory grew)\n",
           count);
    printf("%6s %14s %10s %11s %11s %10s\n", "size", "held_streaming", "held_alone", "alone_kib",
           "rss_kib", "rss/msg_b");
    for (int s = 0; s < nsizes; s++) {
        struct figure f;
        size_t held;
        long grew;

        f.median = f.min = f.max = (double)streaming[s];
        csv_row(csv, "held_streaming_msgs", sizes[s], CH_UNBOUNDED, f, "msgs");
        chan_alone(sizes[s], &held, &grew);
        printf("%6ld %14zu %10zu %11.0f %11ld %10.0f\n", sizes[s], streaming[s], held,
               held * sizes[s] / 1024.0, grew, held ? grew * 1024.0 / held : 0.0);
        f.median = f.min = f.max = (double)held;
        csv_row(csv, "held_alone_msgs", sizes[s], CH_UNBOUNDED, f, "msgs");
        f.median = f.min = f.max = (double)grew;
        csv_row(csv, "rss_alone_kib", sizes[s], CH_UNBOUNDED, f, "KiB");
    }
}

/* Parse "a,b,c" into at most MAX_LIST numbers in [MIN, MAX]; "u" is CH_UNBOUNDED when allowed. */
static int parse_list(char *arg, long *out, long min, long max, int allow_u, const char *what)
{
    int n = 0;

    for (char *tok = strtok(arg, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (n == MAX_LIST)
            fail("%s: at most %d values", what, MAX_LIST);
        out[n++] =
            allow_u && strcmp(tok, "u") == 0 ? CH_UNBOUNDED : parse_long(tok, min, max, what);
    }
    if (n == 0)
        fail("%s: give at least one value", what);
    return n;
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    ssize_t n;

    if (fd == -1)
        return -1;
    n = write(fd, text, strlen(text));
    if (close(fd) == -1 || n != (ssize_t)strlen(text))
        return -1;
    return 0;
}

/* Run in an IPC namespace of our own: no queue can outlive the benchmark, and
   there its msgmnb may be raised to NEED bytes, so that a bounded channel of
   64 large messages fits (msgctl IPC_SET above msgmnb needs CAP_SYS_RESOURCE,
   which even root in a container often lacks). Without root, a user namespace
   gives us the right. Returns the msgmnb in force. */
static long private_ipc(long need)
{
    char text[64];
    long mnb = 0;
    FILE *f;

    if (unshare(CLONE_NEWIPC) == -1) {
        uid_t uid = geteuid();
        gid_t gid = getegid();

        if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) == -1) {
            printf("note: no private IPC namespace (%s): the machine's limits apply\n",
                   strerror(errno));
        } else {
            snprintf(text, sizeof(text), "0 %ld 1\n", (long)uid);
            if (write_text("/proc/self/uid_map", text) == -1 ||
                write_text("/proc/self/setgroups", "deny") == -1)
                die("user namespace: uid_map");
            snprintf(text, sizeof(text), "0 %ld 1\n", (long)gid);
            if (write_text("/proc/self/gid_map", text) == -1)
                die("user namespace: gid_map");
        }
    }
    f = fopen("/proc/sys/kernel/msgmnb", "r");
    if (f == NULL || fscanf(f, "%ld", &mnb) != 1)
        die("read /proc/sys/kernel/msgmnb");
    fclose(f);
    if (mnb < need) {
        snprintf(text, sizeof(text), "%ld\n", need);
        if (write_text("/proc/sys/kernel/msgmnb", text) == 0)
            mnb = need;
    }
    return mnb;
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "bench: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(EXIT_FAILURE);
}

/* Parse LIST ("0", "0,1", "0-3,6") into SET, each CPU one this process may
   run on; a usage error otherwise. */
static void parse_cpus(const char *list, const cpu_set_t *allowed, cpu_set_t *set)
{
    const char *p = list;

    CPU_ZERO(set);
    do {
        char *end;
        long lo, hi;

        if (*p < '0' || *p > '9')
            usage_error("--cpus: \"%s\" is not a list of CPU numbers such as 0 or 0,1", list);
        lo = hi = strtol(p, &end, 10);
        if (*end == '-') {
            p = end + 1;
            if (*p < '0' || *p > '9')
                usage_error("--cpus: \"%s\" has a range without its end", list);
            hi = strtol(p, &end, 10);
        }
        if (hi < lo || hi >= CPU_SETSIZE)
            usage_error("--cpus: \"%s\" names a CPU out of range", list);
        for (long cpu = lo; cpu <= hi; cpu++) {
            if (!CPU_ISSET(cpu, allowed))
                usage_error("--cpus: \"%s\" names a CPU this process may not run on (see "
                            "taskset -p $$)",
                            list);
            CPU_SET(cpu, set);
        }
        p = end;
    } while (*p++ == ',');
    if (p[-1] != '\0')
        usage_error("--cpus: \"%s\" is not a list of CPU numbers such as 0 or 0,1", list);
}

/* Pin this process (and the children it forks) to the CPUs LIST names, or
   to the first one allowed; describe them in SHOWN. */
static void pin(const char *list, char *shown, size_t n)
{
    cpu_set_t allowed, set;
    size_t used;
    int cpu;

    if (sched_getaffinity(0, sizeof(allowed), &allowed) == -1)
        die("sched_getaffinity");
    if (list != NULL) {
        parse_cpus(list, &allowed, &set);
    } else {
        for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); cpu++)
            ;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
    }
    if (sched_setaffinity(0, sizeof(set), &set) == -1)
        die("sched_setaffinity");
    used = (size_t)snprintf(shown, n, "%s", CPU_COUNT(&set) > 1 ? "CPUs " : "CPU ");
    for (cpu = 0; cpu < CPU_SETSIZE && used < n; cpu++)
        if (CPU_ISSET(cpu, &set))
            used += (size_t)snprintf(shown + used, n - used, "%s%d",
                                     shown[used - 1] == ' ' ? "" : ",", cpu);
}

/* At exit, even through die(): the parent removes the key files it made.
   Children exit through here too, and must leave them alone. */
static void remove_keys(void)
{
    if (getpid() != owner)
        return;
    for (int i = 0; i < 2; i++)
        if (keypath[i][0] != '\0' && unlink(keypath[i]) == -1)
            perror(keypath[i]);
}

int main(int argc, char *argv[])
{
    long sizes[MAX_LIST] = {16, 512, 8192}, caps[MAX_LIST] = {0, 1, 4, 64, CH_UNBOUNDED};
    static const struct option longopts[] = {{"cpus", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int nsizes = 3, ncaps = 5, runs = 5, opt;
    const char *csvfile = "bench.csv", *cpus = NULL;
    char cpu_shown[256];
    size_t streaming[MAX_LIST] = {0}; /* unbounded: the most held, per size */
    FILE *csv;

    while ((opt = getopt_long(argc, argv, "m:r:s:c:p:o:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'm':
            count = parse_long(optarg, 1, 100000000, "COUNT");
            break;
        case 'r':
            runs = (int)parse_long(optarg, 1, MAX_RUNS, "RUNS");
            break;
        case 's':
            nsizes = parse_list(optarg, sizes, HDR, CH_WIRE_MAX, 0, "SIZES");
            break;
        case 'c':
            ncaps = parse_list(optarg, caps, 0, 1000000, 1, "CAPACITIES");
            break;
        case 'p':
            cpus = optarg;
            break;
        case 'o':
            csvfile = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_SUCCESS;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    pin(cpus, cpu_shown, sizeof(cpu_shown));
    {
        long need = 0;

        for (int s = 0; s < nsizes; s++)
            for (int c = 0; c < ncaps; c++)
                if (caps[c] * sizes[s] > need)
                    need = caps[c] * sizes[s];
        msgmnb = private_ipc(need);
    }

    /* Two key files for the channels; removed at the end */
    payload = calloc(1, CH_WIRE_MAX);
    if (payload == NULL)
        die("calloc");
    owner = getpid();
    if (atexit(remove_keys) != 0)
        fail("bench: atexit failed");
    for (int i = 0; i < 2; i++) {
        int fd;

        snprintf(keypath[i], sizeof(keypath[i]), "/tmp/bench-key-XXXXXX");
        fd = mkstemp(keypath[i]);
        if (fd == -1) {
            keypath[i][0] = '\0';
            die("mkstemp /tmp/bench-key-XXXXXX");
        }
        if (close(fd) == -1)
            die("close %s", keypath[i]);
    }
    csv = fopen(csvfile, "w");
    if (csv == NULL)
        die("fopen %s", csvfile);
    fprintf(csv, "measure,size,capacity,median,min,max,unit\n");

    printf("bench: %ld messages per measurement, %d runs each, both processes pinned to %s\n"
           "size: bytes per message in the queue, the channel's %zu-byte header included\n"
           "each figure: median of the runs, spread = (max - min) / median\n"
           "queues: msgmnb = %ld bytes (a new queue's capacity)\n",
           count, runs, cpu_shown, HDR, msgmnb);

    /* Kernel floor: a bare round trip, on a queue and on pipes */
    printf("\nkernel floor: one round trip between two processes (microseconds)\n");
    printf("%6s %12s %7s %12s %7s\n", "size", "msgq_rtt_us", "spread", "pipe_rtt_us", "spread");
    struct figure qfloor[MAX_LIST];
    for (int s = 0; s < nsizes; s++) {
        struct figure p;

        qfloor[s] = measure(floor_msgq_fn, sizes[s], 0, runs);
        p = measure(floor_pipe_fn, sizes[s], 0, runs);
        printf("%6ld %12.2f %6d%% %12.2f %6d%%\n", sizes[s], qfloor[s].median, spread(qfloor[s]),
               p.median, spread(p));
        csv_row(csv, "floor_msgq_rtt_us", sizes[s], -2, qfloor[s], "us");
        csv_row(csv, "floor_pipe_rtt_us", sizes[s], -2, p, "us");
    }

    /* The channel at each capacity, beside a bare queue doing the same */
    printf("\nchannel: throughput (messages/s) beside a bare queue with the same pattern, their\n"
           "runs alternated; chan/bare: the median of each pair's ratio; round trip\n"
           "(microseconds) beside the kernel floor\n");
    printf("%6s %8s %12s %7s %12s %7s %10s %10s %7s %8s\n", "size", "capacity", "chan_msgs_s",
           "spread", "bare_msgs_s", "spread", "chan/bare", "rtt_us", "spread", "x_floor");
    for (int s = 0; s < nsizes; s++) {
        for (int c = 0; c < ncaps; c++) {
            struct figure ct, bt, ratio, rt;

            if (caps[c] * sizes[s] > msgmnb) {
                printf("%6ld %8s %12s (needs msgmnb >= %ld: run as root, or raise it)\n", sizes[s],
                       cap_name(caps[c]), "n/a", caps[c] * sizes[s]);
                continue;
            }
            peak_held = 0;
            measure_pair(chan_stream, bare_stream, sizes[s], caps[c], runs, &ct, &bt, &ratio);
            if (caps[c] == CH_UNBOUNDED)
                streaming[s] = peak_held;
            rt = measure(chan_rtt_fn, sizes[s], caps[c], runs);

            printf("%6ld %8s %12.0f %6d%% %12.0f %6d%% %10.2f %10.2f %6d%% %8.2f\n", sizes[s],
                   cap_name(caps[c]), ct.median, spread(ct), bt.median, spread(bt), ratio.median,
                   rt.median, spread(rt), rt.median / qfloor[s].median);
            csv_row(csv, "chan_msgs_per_s", sizes[s], caps[c], ct, "msgs/s");
            csv_row(csv, "bare_msgs_per_s", sizes[s], caps[c], bt, "msgs/s");
            csv_row(csv, "chan_over_bare", sizes[s], caps[c], ratio, "ratio");
            csv_row(csv, "chan_rtt_us", sizes[s], caps[c], rt, "us");
        }
    }
    for (int c = 0; c < ncaps; c++)
        if (caps[c] == CH_UNBOUNDED)
            held_table(csv, sizes, nsizes, streaming);
    if (fclose(csv) == EOF)
        die("fclose %s", csvfile);
    printf("\nfigures: %s\n", csvfile);

    free(payload); /* the key files go at exit */
    return EXIT_SUCCESS;
}
