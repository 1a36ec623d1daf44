/* bench.c

   Usage: bench [-m COUNT] [-r RUNS] [-s SIZES] [-c CAPACITIES] [-p CPU] [-o CSV]

   Measure the channel: messages per second streamed from one process to
   another, and the round-trip time of a message and its reply, for each
   capacity and message size; beside each, the same pattern on a bare System
   V queue and the kernel floor (a bare msgsnd/msgrcv ping-pong, and a pipe
   ping-pong), all measured in this run. Both processes are pinned to one CPU,
   so a figure is the cost of the IPC, not of waking another CPU.
   Prints a table of medians and spreads; writes every figure to CSV, and a
   PNG plot beside it when gnuplot is installed.

   See also channel.h. Lab 5, handout section 5.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* sched_setaffinity and CPU_SET are Linux's */

#include <fcntl.h>
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
    fprintf(to, "Usage: bench [-m COUNT] [-r RUNS] [-s SIZES] [-c CAPACITIES] [-p CPU] [-o CSV]\n"
                "  -m COUNT       messages (or round trips) per measurement (default 5000)\n"
                "  -r RUNS        repetitions; the table shows median and spread (default 5)\n"
                "  -s SIZES       bytes per message in the queue, header included,\n"
                "                 from 16 to 8192, comma-separated (default 16,512,8192)\n"
                "  -c CAPACITIES  comma-separated: 0, N or u (default 0,1,4,64,u)\n"
                "  -p CPU         pin both processes to CPU (default: the first allowed)\n"
                "  -o CSV         write the figures to CSV (default bench.csv); with\n"
                "                 gnuplot installed, also plot them to CSV's name .png\n");
}

static long count = 5000;
static long msgmnb;         /* the largest capacity, in bytes, of a queue here */
static char keypath[2][64]; /* the two channels' key files */
static pid_t owner;         /* the process that made them, and removes them */
static char *payload;       /* COUNT-independent message bytes, CH_WIRE_MAX of them */

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
    for (long i = 0; i < count; i++)
        if (ch_send(ch, payload, size - HDR, 0) == -1)
            die("ch_send");
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

/* RUNS repetitions of one measurement: median, min and max. */
struct figure {
    double median, min, max;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static struct figure measure(double (*fn)(size_t, long), size_t size, long cap, int runs)
{
    double v[MAX_RUNS];
    struct figure f;

    for (int i = 0; i < runs; i++)
        v[i] = fn(size, cap);
    qsort(v, runs, sizeof(v[0]), cmp_double);
    f.min = v[0];
    f.max = v[runs - 1];
    f.median = runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
    return f;
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

/* Pin this process (and the children it forks) to one CPU. */
static int pin(long cpu)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) == -1)
        die("sched_getaffinity");
    if (cpu < 0)
        for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
            ;
    if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))
        fail("bench: CPU %ld is not one this process may run on", cpu);
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) == -1)
        die("sched_setaffinity CPU %ld", cpu);
    return (int)cpu;
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

/* Is PROG an executable in one of PATH's directories? */
static int on_path(const char *prog)
{
    const char *p = getenv("PATH");
    char exe[4096];

    while (p != NULL && *p != '\0') {
        size_t len = strcspn(p, ":");

        if (len + strlen(prog) + 2 <= sizeof(exe)) {
            memcpy(exe, p, len);
            exe[len] = '/';
            strcpy(exe + len + 1, prog);
            if (access(exe, X_OK) == 0)
                return 1;
        }
        p += len + (p[len] == ':');
    }
    return 0;
}

/* If gnuplot is installed, plot throughput against capacity, one line per size,
   into CSV's name with .png for its extension (and the script into .gp). */
static void plot(const char *csvfile, const long *sizes, int nsizes)
{
    size_t stem = strlen(csvfile), n = stem + 16;
    const char *dot = strrchr(csvfile, '.');
    char *gp, *png, *cmd;
    FILE *f;

    if (!on_path("gnuplot")) {
        printf("gnuplot is not installed: no plot (the figures are in %s)\n", csvfile);
        return;
    }
    if (dot != NULL && strchr(dot, '/') == NULL)
        stem = dot - csvfile;
    gp = malloc(n);
    png = malloc(n);
    cmd = malloc(n + 16);
    if (gp == NULL || png == NULL || cmd == NULL)
        die("malloc");
    snprintf(png, n, "%.*s.png", (int)stem, csvfile);
    snprintf(gp, n, "%.*s.gp", (int)stem, csvfile);
    f = fopen(gp, "w");
    if (f == NULL)
        die("fopen %s", gp);
    fprintf(f,
            "set terminal png size 800,500\nset output '%s'\nset datafile separator ','\n"
            "set title 'Channel throughput by capacity'\nset xlabel 'capacity'\n"
            "set ylabel 'messages per second'\nset key outside\nplot",
            png);
    for (int i = 0; i < nsizes; i++)
        fprintf(f,
                "%s \"< grep '^chan_msgs_per_s,%ld,' '%s'\" using 0:4:xtic(3) with linespoints "
                "title '%ld B'",
                i ? "," : "", sizes[i], csvfile, sizes[i]);
    fprintf(f, "\n");
    if (fclose(f) == EOF)
        die("fclose %s", gp);
    snprintf(cmd, n + 16, "gnuplot '%s'", gp);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: gnuplot failed; the figures are in %s\n", csvfile);
    else
        printf("plot: %s\n", png);
    free(gp);
    free(png);
    free(cmd);
}

int main(int argc, char *argv[])
{
    long sizes[MAX_LIST] = {16, 512, 8192}, caps[MAX_LIST] = {0, 1, 4, 64, CH_UNBOUNDED};
    int nsizes = 3, ncaps = 5, runs = 5, cpu, opt;
    long want_cpu = -1;
    const char *csvfile = "bench.csv";
    FILE *csv;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "m:r:s:c:p:o:")) != -1) {
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
            want_cpu = parse_long(optarg, 0, CPU_SETSIZE - 1, "CPU");
            break;
        case 'o':
            csvfile = optarg;
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    cpu = pin(want_cpu);
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

    printf("bench: %ld messages per measurement, %d runs each, both processes pinned to CPU %d\n"
           "size: bytes per message in the queue, the channel's %zu-byte header included\n"
           "each figure: median of the runs, spread = (max - min) / median\n"
           "queues: msgmnb = %ld bytes (a new queue's capacity)\n",
           count, runs, cpu, HDR, msgmnb);

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
    printf("\nchannel: throughput (messages/s) beside a bare queue with the same pattern;\n"
           "round trip (microseconds) beside the kernel floor\n");
    printf("%6s %8s %12s %7s %12s %7s %10s %10s %7s %8s\n", "size", "capacity", "chan_msgs_s",
           "spread", "bare_msgs_s", "spread", "chan/bare", "rtt_us", "spread", "x_floor");
    for (int s = 0; s < nsizes; s++) {
        for (int c = 0; c < ncaps; c++) {
            struct figure ct, bt, rt;

            if (caps[c] * sizes[s] > msgmnb) {
                printf("%6ld %8s %12s (needs msgmnb >= %ld: run as root, or raise it)\n", sizes[s],
                       cap_name(caps[c]), "n/a", caps[c] * sizes[s]);
                continue;
            }
            ct = measure(chan_stream, sizes[s], caps[c], runs);
            bt = measure(bare_stream, sizes[s], caps[c], runs);
            rt = measure(chan_rtt_fn, sizes[s], caps[c], runs);

            printf("%6ld %8s %12.0f %6d%% %12.0f %6d%% %10.2f %10.2f %6d%% %8.2f\n", sizes[s],
                   cap_name(caps[c]), ct.median, spread(ct), bt.median, spread(bt),
                   ct.median / bt.median, rt.median, spread(rt), rt.median / qfloor[s].median);
            csv_row(csv, "chan_msgs_per_s", sizes[s], caps[c], ct, "msgs/s");
            csv_row(csv, "bare_msgs_per_s", sizes[s], caps[c], bt, "msgs/s");
            csv_row(csv, "chan_rtt_us", sizes[s], caps[c], rt, "us");
        }
    }
    if (fclose(csv) == EOF)
        die("fclose %s", csvfile);
    printf("\nfigures: %s\n", csvfile);
    plot(csvfile, sizes, nsizes);

    free(payload); /* the key files go at exit */
    return EXIT_SUCCESS;
}
