/* confine.c: start one program of a test inside the test's sandbox.

   Usage: confine [-E] [-N PID] [-C DIR] [-g CGROUP]... [-x FILE] [-p PROCS] [-m MIB]
                  [-c SECONDS] [-f MIB] [-u UID] -- PROGRAM [ARG...]
          confine -K UID
     -E          with a terminal on standard input (expect's pty), switch its
                 echo off, so answers typed at a prompt do not come back as
                 output (expect's own way, stty_init, runs sh and stty twice
                 for each program)
     -N PID      join the namespaces of the test's holder PID (a process that
                 bubblewrap started: the sandbox's files, its PID namespace)
     -C DIR      then work in DIR (a path inside the sandbox)
     -g CGROUP   join the cgroup folder CGROUP (the test's limits as a whole)
     -x FILE     give the program a pipe on fd 4 (valgrind's --xml-fd=4) and
                 copy what comes through it into FILE, created here, outside
                 the sandbox: the program can add to a pipe but never rewrite
                 it, and cannot reach FILE (memcheck.tcl rejects a report
                 with anything added)
     -p PROCS    at most PROCS processes (RLIMIT_NPROC: fork fails with EAGAIN)
     -m MIB      at most MIB MiB of address space (RLIMIT_AS: malloc returns NULL)
     -c SECONDS  at most SECONDS of CPU time (SIGXCPU, then SIGKILL a second later)
     -f MIB      no file larger than MIB MiB (RLIMIT_FSIZE: SIGXFSZ)
     -u UID      (as root) run as UID, with no groups: the test's throwaway uid
     -G GID      with -u, as group GID (default: UID): the grader run's own
                 group, the only one that may read the run's programs
     -P FILE     write "PID NSPID" into FILE (created here, outside the sandbox)
                 before the program starts: its pid as the grader sees it and
                 as it sees itself
     -w PATH     instead of a program: as the program would (same view, same
                 uid), replace PATH (and make its folders) with what comes on
                 standard input: how the grader writes into the test's folder
                 without following a link a program planted there
     -M MODE     with -w, the new file's permissions (octal; default 644)
     -W MIB      instead of a program: watch the PID namespace of the holder
                 -N PID (and those below it) from outside, out of the
                 programs' sight and reach, and kill every process in it
                 (but the holder and -S PID, its sleeper) once together
                 they and the test's System V objects hold more than MIB MiB:
                 the test's memory bound where no cgroup can be made (an
                 unprivileged grader)
     -K UID      (as root, after a test that had no namespaces) kill every
                 process of UID and remove its IPC objects, printing one line
                 for each: what outlived the test

   Bubblewrap builds each test's sandbox once (sandbox.tcl starts it with a
   holder process); this joins it for each program, which bubblewrap cannot
   do while keeping what the grader must see: the program's own exit status
   and signal (bubblewrap reports a signal as an exit status of 128+N), and
   limits and a uid of the test's own. The program runs as this process's
   child, in a session of its own, killed if this process dies; this
   process ends as the program did (the same status, or the same signal).
   The program starts with only fds 0-2 (and 4 with -x), umask 022, no
   capabilities, no way to gain any, no memfd (a seccomp filter: see
   forbid), and TMPDIR its working directory.
   Exit status 126 when the confinement cannot be set up, 127 when PROGRAM
   cannot be run.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* setresuid, setgroups, MSG_STAT, SEM_STAT, SHM_STAT */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CGROUPS 4

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "confine: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    exit(126);
}

static void usage(void)
{
    fprintf(stderr,
            "Usage: confine [-E] [-N PID] [-C DIR] [-g CGROUP]... [-x FILE] [-p PROCS] [-m MIB]\n"
            "               [-c SECONDS] [-f MIB] [-u UID] [-P FILE] -- PROGRAM [ARG...]\n"
            "       confine [-N PID] [-C DIR] [-u UID] -w PATH [-M MODE]\n"
            "       confine -W MIB -N PID [-S PID]\n"
            "       confine -K UID\n");
    exit(126);
}

static unsigned long long number(const char *arg)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(arg, &end, 10);
    if (errno != 0 || *end != '\0' || end == arg) {
        fprintf(stderr, "confine: not a number: %s\n", arg);
        usage();
    }
    return n;
}

static void limit(int resource, rlim_t soft, rlim_t hard, const char *name)
{
    struct rlimit rl = {soft, hard};

    if (setrlimit(resource, &rl) == -1)
        die("setrlimit", name);
}

/* Close every descriptor above 2 but KEEP (-1: none): nothing of the
   grader's (a log, a pipe to expect) reaches the program. */
static void close_others(int keep)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int fds[1024], n = 0;

    if (d == NULL) { /* no /proc: the usual descriptors */
        for (int fd = 3; fd < 1024; fd++)
            fds[n++] = fd;
    } else {
        while ((e = readdir(d)) != NULL && n < 1024) {
            int fd = atoi(e->d_name);
            if (e->d_name[0] != '.' && fd > 2 && fd != dirfd(d))
                fds[n++] = fd;
        }
        closedir(d);
    }
    for (int i = 0; i < n; i++)
        if (fds[i] != keep)
            close(fds[i]);
}

/* No capability survives into the program whatever uid it runs as: an
   empty bounding set (where this process may still change it), and no
   set-user-ID program or file capability can give any back. */
static void drop_privileges(void)
{
    for (int cap = 0; cap <= 63; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 && errno != EINVAL && errno != EPERM)
            die("prctl", "(PR_CAPBSET_DROP)");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        die("prctl", "(PR_SET_NO_NEW_PRIVS)");
}

/* What no program of a test may do: make a memfd, pages held by a file
   that no mount bounds, which the grader's memory watcher (where no cgroup
   bounds the test) cannot see; it fails with EPERM. So does a system call
   of another ABI (x32, i386), which would get round the rule. */
static void forbid(void)
{
#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif
#ifdef NATIVE_ARCH
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
        DENY,
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __X32_SYSCALL_BIT
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1),
        DENY,
#endif
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_memfd_create, 0, 1),
        DENY,
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof code / sizeof code[0]), code};

    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
        die("prctl", "(PR_SET_SECCOMP)");
#endif
}

static void become(uid_t uid, gid_t gid)
{
    if (setgroups(0, NULL) == -1)
        die("setgroups", NULL);
    if (setresgid(gid, gid, gid) == -1)
        die("setresgid", NULL);
    if (setresuid(uid, uid, uid) == -1)
        die("setresuid", NULL);
}

/* The real uid and state of process PID, from /proc; 0 when it is gone. */
static int status_of(long pid, unsigned long *uid, char *state)
{
    char path[64], line[256];
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    *state = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        sscanf(line, "State: %c", state);
        sscanf(line, "Uid: %lu", uid);
    }
    fclose(f);
    return *state != 0;
}

/* Its command line, spaces for NULs, printable bytes only, into BUF. */
static void cmdline_of(long pid, char *buf, size_t size)
{
    char path[64];
    size_t n;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    buf[0] = '\0';
    if ((f = fopen(path, "r")) == NULL)
        return;
    n = fread(buf, 1, size - 1, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (buf[i] < 0x20 || buf[i] > 0x7e)
            buf[i] = buf[i] == '\0' ? ' ' : '?';
    buf[n] = '\0';
}

/* SIGKILL every live process of UID; print each the first time (SHOWN
   says whether it was). Returns how many were alive. */
static int kill_round(uid_t uid, int shown)
{
    DIR *proc = opendir("/proc");
    struct dirent *e;
    int alive = 0;

    if (proc == NULL)
        die("opendir", "/proc");
    while ((e = readdir(proc)) != NULL) {
        long pid = strtol(e->d_name, NULL, 10);
        unsigned long real = 0;
        char state, cmd[200];

        if (pid <= 0 || pid == (long)getpid() || !status_of(pid, &real, &state))
            continue;
        if (real != (unsigned long)uid || state == 'Z')
            continue;
        if (!shown) {
            cmdline_of(pid, cmd, sizeof cmd);
            printf("process %ld %s\n", pid, cmd);
        }
        kill((pid_t)pid, SIGKILL);
        alive++;
    }
    closedir(proc);
    return alive;
}

/* Remove the System V queues, semaphore sets and shared memory that UID
   created or owns; print each. */
static void remove_ipc(uid_t uid)
{
    struct msginfo qinfo;
    struct msqid_ds q;
    struct seminfo sinfo;
    struct semid_ds sets;
    struct shm_info minfo;
    struct shmid_ds m;
    union semun {
        int val;
        struct semid_ds *buf;
        unsigned short *array;
        struct seminfo *info;
    } arg;
    int top, id;

    /* MSG_INFO, SEM_INFO and SHM_INFO return the highest index in use */
    top = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&qinfo);
    for (int i = 0; i <= top; i++)
        if ((id = msgctl(i, MSG_STAT, &q)) != -1 &&
            (q.msg_perm.cuid == uid || q.msg_perm.uid == uid)) {
            printf("queue 0x%x %d (%lu messages)\n", (unsigned)q.msg_perm.__key, id,
                   (unsigned long)q.msg_qnum);
            msgctl(id, IPC_RMID, NULL);
        }
    arg.info = &sinfo;
    top = semctl(0, 0, SEM_INFO, arg);
    arg.buf = &sets;
    for (int i = 0; i <= top; i++)
        if ((id = semctl(i, 0, SEM_STAT, arg)) != -1 &&
            (sets.sem_perm.cuid == uid || sets.sem_perm.uid == uid)) {
            printf("semaphore set 0x%x %d\n", (unsigned)sets.sem_perm.__key, id);
            semctl(id, 0, IPC_RMID);
        }
    top = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&minfo);
    for (int i = 0; i <= top; i++)
        if ((id = shmctl(i, SHM_STAT, &m)) != -1 &&
            (m.shm_perm.cuid == uid || m.shm_perm.uid == uid)) {
            printf("shared memory 0x%x %d\n", (unsigned)m.shm_perm.__key, id);
            shmctl(id, IPC_RMID, NULL);
        }
}

/* Remove the POSIX queues of UID, where /dev/mqueue is mounted. */
static void remove_posix_queues(uid_t uid)
{
    DIR *dir = opendir("/dev/mqueue");
    struct dirent *e;
    struct stat st;

    if (dir == NULL)
        return;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] != '.' && fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            st.st_uid == uid) {
            printf("POSIX queue /%s\n", e->d_name);
            unlinkat(dirfd(dir), e->d_name, 0);
        }
    }
    closedir(dir);
}

/* -K UID: everything UID still has (daemons too: a uid cannot escape like
   a process group). Exit status 0, or 1 when a process survives a second
   of SIGKILLs. */
static int clean_up_after_test(uid_t uid)
{
    if (uid == 0)
        usage();
    for (int round = 0; kill_round(uid, round > 0) > 0; round++) {
        if (round == 100) {
            fprintf(stderr, "confine: processes of uid %u still there after 1 s\n", (unsigned)uid);
            return 1;
        }
        usleep(10000);
    }
    remove_ipc(uid);
    remove_posix_queues(uid);
    return 0;
}

/* Join the namespaces of the holder PID: its hostname, its PID namespace
   (for the children to come) and, last (it changes the root), its files. */
static void join(const char *pid)
{
    static const char *const kinds[] = {"uts", "pid", "mnt"};
    int fds[3];
    char path[64];

    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/proc/%s/ns/%s", pid, kinds[i]);
        if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) == -1)
            die("open (the test's sandbox is gone?)", path);
    }
    for (int i = 0; i < 3; i++) {
        if (setns(fds[i], 0) == -1)
            die("setns", kinds[i]);
        close(fds[i]);
    }
}

static void join_cgroup(const char *dir)
{
    char path[PATH_MAX], pid[32];
    int fd, n;

    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1 || write(fd, pid, (size_t)n) != n)
        die("join cgroup", dir);
    close(fd);
}

/* Copy the pipe IN into OUT until the child has exited and the pipe holds
   nothing more (a daemon that keeps the pipe open does not hold us), then
   return the child's wait status. */
static int relay(pid_t child, int in, int out)
{
    char buf[65536];
    int status, done = 0;

    for (;;) {
        struct pollfd p = {in, POLLIN, 0};
        int ready = in == -1 ? 0 : poll(&p, 1, done ? 0 : 50);

        if (ready > 0 && (p.revents & (POLLIN | POLLHUP))) {
            ssize_t n = read(in, buf, sizeof buf);
            if (n > 0) {
                if (write(out, buf, (size_t)n) != n)
                    in = -1; /* the grader will see a short report */
                continue;
            }
            if (n == 0)
                in = -1;
        }
        if (done)
            return status;
        pid_t w = waitpid(child, &status, in == -1 ? 0 : WNOHANG);
        if (w == child)
            done = 1; /* drain what is already in the pipe, then stop */
        else if (w == -1 && errno != EINTR)
            die("waitpid", NULL);
    }
}

/* -w: PATH's folders made, PATH itself (a link or a file) replaced by a
   new file holding standard input. */
static int write_file(char *path, mode_t mode)
{
    char buf[65536];
    ssize_t n;
    int fd;

    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) == -1 && errno != EEXIST)
                die("mkdir", path);
            *p = '/';
        }
    }
    if (unlink(path) == -1 && errno != ENOENT)
        die("unlink", path);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) == -1)
        die("open", path);
    if (fchmod(fd, mode) == -1)
        die("chmod", path);
    while ((n = read(0, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n)
            die("write", path);
    if (n == -1 || close(fd) == -1)
        die("write", path);
    return 0;
}

/* PID's PID namespace, as its link reads ("pid:[NUMBER]"), into BUF; -1
   when it cannot be read (the process is gone, or not ours to look at). */
static int pidns_of(const char *pid, char *buf, size_t size)
{
    char path[300];
    ssize_t n;

    snprintf(path, sizeof path, "/proc/%s/ns/pid", pid);
    if ((n = readlink(path, buf, size - 1)) == -1)
        return -1;
    buf[n] = '\0';
    return 0;
}

/* How many PID namespaces below this process's PID's is in: the pids of
   its NSpid line, less one (0: this one; -1: gone, or not ours to read). */
static int depth_of(const char *pid)
{
    char path[300], line[512];
    int depth = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%s/status", pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (depth == -1 && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "NSpid:", 6) == 0)
            for (char *p = line + 6; (p = strpbrk(p, "0123456789")) != NULL;
                 p += strspn(p, "0123456789"))
                depth++;
    fclose(f);
    return depth;
}

/* PID's resident memory in bytes (0 when it cannot be read). */
static unsigned long long resident_of(const char *pid)
{
    char path[300];
    unsigned long size, resident;
    unsigned long long bytes = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%s/statm", pid);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &resident) == 2)
        bytes = (unsigned long long)resident * (unsigned long long)sysconf(_SC_PAGESIZE);
    fclose(f);
    return bytes;
}

/* The bytes the System V objects of this IPC namespace (the test's) hold:
   its shared memory segments (resident and swapped) and the messages in
   its queues; each removed first when REMOVE (none ends with a process). */
static unsigned long long ipc_held(int remove)
{
    char line[512];
    unsigned long long held = 0;
    FILE *f;

    /* key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap */
    if ((f = fopen("/proc/sysvipc/shm", "r")) != NULL) {
        int id;
        unsigned long long rss, swap;

        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "%*s %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
                       &id, &rss, &swap) == 3) {
                held += rss + swap;
                if (remove)
                    shmctl(id, IPC_RMID, NULL);
            }
        fclose(f);
    }
    /* key msqid perms cbytes qnum ... */
    if ((f = fopen("/proc/sysvipc/msg", "r")) != NULL) {
        int id;
        unsigned long long bytes;

        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "%*s %d %*s %llu", &id, &bytes) == 2) {
                held += bytes;
                if (remove)
                    msgctl(id, IPC_RMID, NULL);
            }
        fclose(f);
    }
    return held;
}

/* -W MIB -N INIT [-S SPARE]: every 20 ms, the memory the test's programs
   hold: the resident pages of every process of INIT's PID namespace and
   of the namespaces below it, and the test's System V objects. This
   process reads it from outside those namespaces, where the programs can
   neither see nor signal it. Over MIB: SIGKILL to each of those processes
   but INIT and SPARE (the holder, which the test's later programs join),
   the System V objects removed; INIT too when the holder alone holds too much (a
   program that made it allocate). Ends when INIT's namespace does. */
static _Noreturn void watch(unsigned long long mib, const char *init, const char *spare)
{
    char ns[64], now[64];

    if (pidns_of(init, ns, sizeof ns) == -1)
        die("readlink", "(the holder's PID namespace)");
    while (pidns_of(init, now, sizeof now) == 0 && strcmp(now, ns) == 0) {
        static pid_t pids[8192];
        int count = 0;
        unsigned long long held = ipc_held(0), holder = 0;
        DIR *proc = opendir("/proc");
        struct dirent *e;

        if (proc == NULL)
            die("opendir", "/proc");
        while ((e = readdir(proc)) != NULL) {
            unsigned long long bytes;

            if (e->d_name[0] < '1' || e->d_name[0] > '9' || depth_of(e->d_name) < 1)
                continue;
            bytes = resident_of(e->d_name);
            held += bytes;
            if (strcmp(e->d_name, init) == 0 || (spare != NULL && strcmp(e->d_name, spare) == 0))
                holder += bytes;
            else if (count < (int)(sizeof pids / sizeof pids[0]))
                pids[count++] = (pid_t)atoi(e->d_name);
        }
        closedir(proc);
        if (held > mib << 20) {
            for (int i = 0; i < count; i++)
                kill(pids[i], SIGKILL);
            ipc_held(1);
            if (holder > mib << 20)
                kill((pid_t)atoi(init), SIGKILL);
        }
        usleep(20000);
    }
    exit(0);
}

/* End as the child ended: its exit status, or death by its signal. */
static void end_like(int status)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        sigset_t all;

        signal(sig, SIG_DFL);
        sigfillset(&all);
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        raise(sig);
        exit(128 + sig);
    }
    exit(WIFEXITED(status) ? WEXITSTATUS(status) : 126);
}

int main(int argc, char *argv[])
{
    char cwd[PATH_MAX];
    const char *holder = NULL, *dir = NULL, *xml = NULL, *spare = NULL, *cgroups[MAX_CGROUPS];
    char *target = NULL, *pidfile = NULL;
    int pids = -1, up[2], down[2];
    mode_t mode = 0644;
    unsigned long long watch_mib = 0;
    int opt, ncgroups = 0, pipefd[2] = {-1, -1}, out = -1, noecho = 0;
    unsigned long long procs = 0, mib = 0, cpu = 0, fsize = 0, uid = 0, gid = 0;
    pid_t child, parent = getpid();

    if (argc == 3 && strcmp(argv[1], "-K") == 0)
        return clean_up_after_test((uid_t)number(argv[2]));
    while ((opt = getopt(argc, argv, "+EN:C:g:x:p:m:c:f:u:G:w:P:M:W:S:")) != -1) {
        switch (opt) {
        case 'E':
            noecho = 1;
            break;
        case 'N':
            holder = optarg;
            break;
        case 'C':
            dir = optarg;
            break;
        case 'g':
            if (ncgroups == MAX_CGROUPS)
                usage();
            cgroups[ncgroups++] = optarg;
            break;
        case 'x':
            xml = optarg;
            break;
        case 'w':
            target = optarg;
            break;
        case 'P':
            pidfile = optarg;
            break;
        case 'W':
            watch_mib = number(optarg);
            break;
        case 'S':
            spare = optarg;
            break;
        case 'G':
            if ((gid = number(optarg)) == 0)
                usage();
            break;
        case 'M': {
            char *end;
            mode = (mode_t)strtol(optarg, &end, 8);
            if (*end != '\0' || end == optarg || mode > 07777)
                usage();
            break;
        }
        case 'p':
            procs = number(optarg);
            break;
        case 'm':
            mib = number(optarg);
            break;
        case 'c':
            cpu = number(optarg);
            break;
        case 'f':
            fsize = number(optarg);
            break;
        case 'u':
            if ((uid = number(optarg)) == 0)
                usage();
            break;
        default:
            usage();
        }
    }
    if (optind >= argc && target == NULL && watch_mib == 0)
        usage();
    if (watch_mib != 0) {
        if (holder == NULL)
            usage();
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1)
            die("prctl", "(PR_SET_PDEATHSIG)");
        watch(watch_mib, holder, spare);
    }

    /* As the grader, in its own view of the files */
    for (int i = 0; i < ncgroups; i++)
        join_cgroup(cgroups[i]);
    if (xml != NULL) {
        if ((out = open(xml, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
            die("open", xml);
        if (pipe2(pipefd, O_CLOEXEC) == -1)
            die("pipe", NULL);
    }
    if (pidfile != NULL &&
        (pids = open(pidfile, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1)
        die("open", pidfile);
    if (pids != -1 && (pipe2(up, O_CLOEXEC) == -1 || pipe2(down, O_CLOEXEC) == -1))
        die("pipe", NULL);
    if (holder != NULL)
        join(holder);
    if (dir != NULL && chdir(dir) == -1)
        die("chdir", dir);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1)
        die("prctl", "(PR_SET_PDEATHSIG)");
    if (target != NULL) {
        umask(022);
        drop_privileges();
        if (uid)
            become((uid_t)uid, gid ? (gid_t)gid : (gid_t)uid);
        return write_file(target, mode);
    }

    if (noecho && isatty(STDIN_FILENO)) {
        struct termios t;

        if (tcgetattr(STDIN_FILENO, &t) == -1)
            die("tcgetattr", "(standard input)");
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == -1)
            die("tcsetattr", "(standard input)");
    }
    if ((child = fork()) == -1)
        die("fork", NULL);
    if (child > 0) {
        if (pipefd[1] != -1)
            close(pipefd[1]);
        if (pids != -1) {
            /* the child says its pid in its own namespace, then waits */
            char line[64] = "";
            ssize_t got;

            close(up[1]);
            close(down[0]);
            got = read(up[0], line, 24);
            line[got > 0 ? got : 0] = '\0';
            snprintf(line + strlen(line), sizeof line - strlen(line), " %ld\n", (long)child);
            if (write(pids, line, strlen(line)) != (ssize_t)strlen(line))
                die("write", pidfile);
            close(pids);
            close(down[1]); /* the program may start */
        }
        end_like(relay(child, pipefd[0], out));
    }

    /* The program's side */
    /* (in the test's PID namespace, the parent outside it shows as 0) */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 || (getppid() != parent && getppid() != 0))
        _exit(126); /* the grader's side is already gone */
    if (pids != -1) {
        char me[24], go;
        int n = snprintf(me, sizeof me, "%ld", (long)getpid());

        close(up[0]);
        close(down[1]);
        if (write(up[1], me, (size_t)n) != n || read(down[0], &go, 1) == -1)
            _exit(126);
        close(up[1]);
        close(down[0]);
    }
    if (setsid() == -1)
        die("setsid", NULL);
    if (pipefd[1] != -1 && (dup2(pipefd[1], 4) == -1 || fcntl(4, F_SETFD, 0) == -1))
        die("dup2", NULL);
    close_others(pipefd[1] != -1 ? 4 : -1);
    if (procs)
        limit(RLIMIT_NPROC, procs, procs, "RLIMIT_NPROC");
    if (mib)
        limit(RLIMIT_AS, mib << 20, mib << 20, "RLIMIT_AS");
    if (cpu)
        limit(RLIMIT_CPU, cpu, cpu + 1, "RLIMIT_CPU");
    if (fsize)
        limit(RLIMIT_FSIZE, fsize << 20, fsize << 20, "RLIMIT_FSIZE");
    limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE");
    umask(022);
    /* Temporary files (valgrind's vgdb pipes, tmpfile()) stay in the test's
       own folder: without a private /tmp, tests at once would collide. */
    if (getcwd(cwd, sizeof cwd) == NULL || setenv("TMPDIR", cwd, 1) == -1)
        die("TMPDIR", NULL);
    drop_privileges(); /* while the bounding set may still change */
    if (uid)
        become((uid_t)uid, gid ? (gid_t)gid : (gid_t)uid);
    forbid();

    execvp(argv[optind], argv + optind);
    fprintf(stderr, "confine: cannot run %s: %s\n", argv[optind], strerror(errno));
    return 127;
}
