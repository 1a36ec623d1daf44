/* confine.c: start one of a test's programs inside the grader's limits.

   Usage: confine [-p PROCS] [-m MIB] [-c SECONDS] [-f MIB] [-u [-s]]
                  [-r DIR]... [-h DIR]... [-k DIR]... -- PROGRAM [ARG...]
          confine -K
     -p PROCS    at most PROCS processes (RLIMIT_NPROC: fork fails with EAGAIN)
     -m MIB      at most MIB MiB of address space (RLIMIT_AS: malloc returns NULL)
     -c SECONDS  at most SECONDS of CPU time (SIGXCPU, then SIGKILL a second later)
     -f MIB      no file larger than MIB MiB (RLIMIT_FSIZE: SIGXFSZ)
     -u          (as root) run as a throwaway uid of this test's own, which owns
                 the working directory; RLIMIT_NPROC does not bind root
     -s          with -u, keep CAP_DAC_READ_SEARCH (read and search any file,
                 write none): for a grader's folder other users cannot enter
                 where no mount namespace can show the program its part
     -K          (as root, after a test) kill every process and remove every
                 IPC object of the throwaway uid of the test whose grader runs
                 this, printing one line for each: what outlived the test
                 without namespaces (daemons and IPC_PRIVATE queues too)
     -r DIR      DIR is read-only for the program (a private mount namespace)
     -h DIR      DIR is hidden behind an empty read-only tmpfs, except the
                 working directory (writable) and each -k DIR (read-only)

   The grader puts this in front of every program a test starts (sandbox.tcl);
   it sets the limits up, gives up every capability, and execs PROGRAM, which
   keeps this process's pid, so the grader still sees and signals the
   program itself. TMPDIR becomes the working directory. Exit status 126
   when the confinement cannot be set up, 127 when PROGRAM cannot be run.
*/
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* unshare, setresuid, setgroups, O_PATH, MSG_STAT, SEM_STAT */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_DIRS 16

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "confine: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    exit(126);
}

static void usage(void)
{
    fprintf(stderr, "Usage: confine [-p PROCS] [-m MIB] [-c SECONDS] [-f MIB] [-u [-s]]\n"
                    "               [-r DIR]... [-h DIR]... [-k DIR]... -- PROGRAM [ARG...]\n"
                    "       confine -K\n");
    exit(126);
}

static rlim_t number(const char *arg)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(arg, &end, 10);
    if (errno != 0 || *end != '\0' || end == arg) {
        fprintf(stderr, "confine: not a number: %s\n", arg);
        usage();
    }
    return (rlim_t)n;
}

static void limit(int resource, rlim_t soft, rlim_t hard, const char *name)
{
    struct rlimit rl = {soft, hard};

    if (setrlimit(resource, &rl) == -1)
        die("setrlimit", name);
}

/* Is PATH inside DIR (or DIR itself)? */
static int inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
}

/* Make DIR's bind mount read-only, keeping the flags its mount already has
   (a user namespace may not clear nosuid, nodev or noexec). */
static void remount_ro(const char *dir)
{
    struct statvfs sv;
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;

    if (statvfs(dir, &sv) == -1)
        die("statvfs", dir);
    if (sv.f_flag & ST_NOSUID)
        flags |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV)
        flags |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC)
        flags |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME)
        flags |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME)
        flags |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME)
        flags |= MS_RELATIME;
    if (mount(NULL, dir, NULL, flags, NULL) == -1)
        die("read-only remount of", dir);
}

static void mkdirs(const char *path)
{
    char buf[PATH_MAX];

    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) == -1 && errno != EEXIST)
                die("mkdir", buf);
            *p = '/';
        }
    }
    if (mkdir(buf, 0755) == -1 && errno != EEXIST)
        die("mkdir", buf);
}

/* Bind the directory open as FD onto PATH (made inside a hidden tmpfs). */
static void bind_back(int fd, const char *path, int readonly)
{
    char src[64];

    snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
    mkdirs(path);
    if (mount(src, path, NULL, MS_BIND | MS_REC, NULL) == -1)
        die("bind mount of", path);
    if (readonly)
        remount_ro(path);
    close(fd);
}

/* The program's own view of the files: a private mount namespace in which
   RO are read-only and HIDE are empty, except the working directory and KEEP. */
static void mounts(char **ro, int nro, char **hide, int nhide, char **keep, int nkeep)
{
    char cwd[PATH_MAX];
    int keepfd[MAX_DIRS], cwdfd;

    if (getcwd(cwd, sizeof cwd) == NULL)
        die("getcwd", NULL);
    if (unshare(CLONE_NEWNS) == -1)
        die("unshare", "(mount namespace)");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        die("mount", "(private /)");
    /* Opened before anything is hidden; bound back afterwards. */
    if ((cwdfd = open(cwd, O_PATH | O_DIRECTORY)) == -1)
        die("open", cwd);
    for (int i = 0; i < nkeep; i++)
        if ((keepfd[i] = open(keep[i], O_PATH | O_DIRECTORY)) == -1)
            die("open", keep[i]);
    /* The working directory stays writable inside a read-only one: bound
       onto itself first, it is a mount of its own that the read-only
       remount of its parent does not change. */
    for (int i = 0; i < nro; i++)
        if (inside(cwd, ro[i])) {
            if (mount(cwd, cwd, NULL, MS_BIND, NULL) == -1)
                die("bind mount of", cwd);
            break;
        }
    for (int i = 0; i < nro; i++) {
        if (mount(ro[i], ro[i], NULL, MS_BIND | MS_REC, NULL) == -1)
            die("bind mount of", ro[i]);
        remount_ro(ro[i]);
    }
    for (int h = 0; h < nhide; h++) {
        if (mount("tmpfs", hide[h], "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") == -1)
            die("tmpfs over", hide[h]);
        for (int i = 0; i < nkeep; i++)
            if (keepfd[i] != -1 && inside(keep[i], hide[h])) {
                bind_back(keepfd[i], keep[i], 1);
                keepfd[i] = -1;
            }
        if (cwdfd != -1 && inside(cwd, hide[h])) {
            bind_back(cwdfd, cwd, 0);
            cwdfd = -1;
        }
        remount_ro(hide[h]);
    }
    if (chdir(cwd) == -1)
        die("chdir", cwd);
}

/* A uid no account uses, the same for every program of one test (they
   share its queues and files) and different between tests running at
   once: a hash of the test's pid namespace and of the grader process that
   starts the programs. Above systemd's container range, below 2^31. */
static uid_t throwaway_uid(void)
{
    struct stat ns;
    uint64_t h = 1469598103934665603ULL, parts[2];

    parts[0] = stat("/proc/self/ns/pid", &ns) == 0 ? (uint64_t)ns.st_ino : 0;
    parts[1] = (uint64_t)getppid();
    for (int i = 0; i < 2; i++)
        for (int b = 0; b < 8; b++) {
            h ^= (parts[i] >> (8 * b)) & 0xff;
            h *= 1099511628211ULL;
        }
    return (uid_t)(1900000000 + h % 100000000);
}

static uid_t owner;

/* Give the test's files to the throwaway uid; a symlink is not followed,
   and a file with other links (perhaps a grader file) is left alone. */
static int give(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_SL || (type == FTW_F && st->st_nlink > 1))
        return 0;
    if (lchown(path, owner, owner) == -1)
        die("chown", path);
    return 0;
}

static void give_directory(uid_t uid)
{
    owner = uid;
    if (nftw(".", give, 16, FTW_PHYS | FTW_MOUNT) == -1)
        die("chown", "(working directory)");
}

/* Become UID; with SEARCH, keep CAP_DAC_READ_SEARCH through setuid and
   exec (an ambient capability) and nothing else. */
static void become(uid_t uid, int search)
{
    struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct caps[2];

    if (setgroups(0, NULL) == -1)
        die("setgroups", NULL);
    if (setresgid(uid, uid, uid) == -1)
        die("setresgid", NULL);
    if (search && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
        die("prctl", "(PR_SET_KEEPCAPS)");
    if (setresuid(uid, uid, uid) == -1)
        die("setresuid", NULL);
    if (!search)
        return;
    memset(caps, 0, sizeof caps);
    caps[0].effective = caps[0].permitted = caps[0].inheritable = 1u << CAP_DAC_READ_SEARCH;
    if (syscall(SYS_capset, &head, caps) == -1)
        die("capset", "(CAP_DAC_READ_SEARCH)");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_READ_SEARCH, 0, 0) == -1)
        die("prctl", "(PR_CAP_AMBIENT_RAISE)");
}

/* No capability survives into the program (but KEEP, when not -1),
   whatever uid it runs as: a bounding set without them, and no
   set-user-ID program can give any back. */
static void drop_capabilities(int keep)
{
    for (int cap = 0; cap <= 63; cap++)
        if (cap != keep && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 && errno != EINVAL &&
            errno != EPERM)
            die("prctl", "(PR_CAPBSET_DROP)");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        die("prctl", "(PR_SET_NO_NEW_PRIVS)");
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

/* Its command line, spaces for NULs, into BUF. */
static void cmdline_of(long pid, char *buf, size_t size)
{
    char path[64];
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    buf[0] = '\0';
    if ((f = fopen(path, "r")) == NULL)
        return;
    n = fread(buf, 1, size - 1, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
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
    char path[300];

    if (dir == NULL)
        return;
    while ((e = readdir(dir)) != NULL) {
        snprintf(path, sizeof path, "/dev/mqueue/%s", e->d_name);
        if (e->d_name[0] != '.' && lstat(path, &st) == 0 && st.st_uid == uid) {
            printf("POSIX queue /%s\n", e->d_name);
            unlink(path);
        }
    }
    closedir(dir);
}

/* -K (as root, after a test without namespaces): everything the test's
   throwaway uid still has: processes (daemons too: a uid cannot escape
   like a process group) and IPC objects. Prints one line for each (what
   outlived the test) and removes them. Exit status 0, or 1 when a process
   survives a second of SIGKILLs. */
static int clean_up_after_test(void)
{
    uid_t uid = throwaway_uid();

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

int main(int argc, char *argv[])
{
    char *ro[MAX_DIRS], *hide[MAX_DIRS], *keep[MAX_DIRS], cwd[PATH_MAX];
    int nro = 0, nhide = 0, nkeep = 0, opt, uid = 0, search = 0;
    rlim_t procs = 0, mib = 0, cpu = 0, fsize = 0;

    if (argc == 2 && strcmp(argv[1], "-K") == 0)
        return clean_up_after_test();
    while ((opt = getopt(argc, argv, "+p:m:c:f:usr:h:k:")) != -1) {
        switch (opt) {
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
            uid = 1;
            break;
        case 's':
            search = 1;
            break;
        case 'r':
        case 'h':
        case 'k':
            if (nro == MAX_DIRS || nhide == MAX_DIRS || nkeep == MAX_DIRS || optarg[0] != '/')
                usage();
            if (opt == 'r')
                ro[nro++] = optarg;
            else if (opt == 'h')
                hide[nhide++] = optarg;
            else
                keep[nkeep++] = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind >= argc)
        usage();

    if (uid)
        give_directory(throwaway_uid()); /* before it may become read-only */
    if (nro || nhide)
        mounts(ro, nro, hide, nhide, keep, nkeep);
    if (procs)
        limit(RLIMIT_NPROC, procs, procs, "RLIMIT_NPROC");
    if (mib)
        limit(RLIMIT_AS, mib << 20, mib << 20, "RLIMIT_AS");
    if (cpu)
        limit(RLIMIT_CPU, cpu, cpu + 1, "RLIMIT_CPU");
    if (fsize)
        limit(RLIMIT_FSIZE, fsize << 20, fsize << 20, "RLIMIT_FSIZE");
    limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE");
    drop_capabilities(uid && search ? CAP_DAC_READ_SEARCH : -1); /* while it still may */
    /* Temporary files (valgrind's vgdb pipes, tmpfile()) stay in the test's
       own directory: tests running at once would collide in /tmp. */
    if (getcwd(cwd, sizeof cwd) == NULL || setenv("TMPDIR", cwd, 1) == -1)
        die("TMPDIR", NULL);
    if (uid)
        become(throwaway_uid(), search);

    execvp(argv[optind], argv + optind);
    fprintf(stderr, "confine: cannot run %s: %s\n", argv[optind], strerror(errno));
    return 127;
}
