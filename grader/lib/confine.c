/* confine.c: start one of a test's programs inside the grader's limits.

   Usage: confine [-p PROCS] [-m MIB] [-c SECONDS] [-f MIB] [-u]
                  [-r DIR]... [-h DIR]... [-k DIR]... -- PROGRAM [ARG...]
     -p PROCS    at most PROCS processes (RLIMIT_NPROC: fork fails with EAGAIN)
     -m MIB      at most MIB MiB of address space (RLIMIT_AS: malloc returns NULL)
     -c SECONDS  at most SECONDS of CPU time (SIGXCPU, then SIGKILL a second later)
     -f MIB      no file larger than MIB MiB (RLIMIT_FSIZE: SIGXFSZ)
     -u          (as root) run as a throwaway uid of this test's own, which owns
                 the working directory; RLIMIT_NPROC does not bind root
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
#define _GNU_SOURCE /* unshare, setresuid, setgroups, O_PATH */

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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define MAX_DIRS 16

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "confine: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    exit(126);
}

static void usage(void)
{
    fprintf(stderr, "Usage: confine [-p PROCS] [-m MIB] [-c SECONDS] [-f MIB] [-u]\n"
                    "               [-r DIR]... [-h DIR]... [-k DIR]... -- PROGRAM [ARG...]\n");
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

static void become(uid_t uid)
{
    if (setgroups(0, NULL) == -1)
        die("setgroups", NULL);
    if (setresgid(uid, uid, uid) == -1)
        die("setresgid", NULL);
    if (setresuid(uid, uid, uid) == -1)
        die("setresuid", NULL);
}

/* No capability survives into the program, whatever uid it runs as: an
   empty bounding set, and no set-user-ID program can give any back. */
static void drop_capabilities(void)
{
    for (int cap = 0; cap <= 63; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 && errno != EINVAL && errno != EPERM)
            die("prctl", "(PR_CAPBSET_DROP)");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        die("prctl", "(PR_SET_NO_NEW_PRIVS)");
}

int main(int argc, char *argv[])
{
    char *ro[MAX_DIRS], *hide[MAX_DIRS], *keep[MAX_DIRS], cwd[PATH_MAX];
    int nro = 0, nhide = 0, nkeep = 0, opt, uid = 0;
    rlim_t procs = 0, mib = 0, cpu = 0, fsize = 0;

    while ((opt = getopt(argc, argv, "+p:m:c:f:ur:h:k:")) != -1) {
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
    drop_capabilities(); /* while this process may still drop them */
    /* Temporary files (valgrind's vgdb pipes, tmpfile()) stay in the test's
       own directory: tests running at once would collide in /tmp. */
    if (getcwd(cwd, sizeof cwd) == NULL || setenv("TMPDIR", cwd, 1) == -1)
        die("TMPDIR", NULL);
    if (uid)
        become(throwaway_uid());

    execvp(argv[optind], argv + optind);
    fprintf(stderr, "confine: cannot run %s: %s\n", argv[optind], strerror(errno));
    return 127;
}
