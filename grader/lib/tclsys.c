/* tclsys.c: the few system calls the test server (testserver.tcl) needs
 * and Tcl lacks, as a Tcl extension: load it, then
 *
 *   sys::unshare FLAG...        unshare(2): ipc mount net pid user
 *   sys::mount SRC DIR TYPE FLAGS DATA
 *                               mount(2); FLAGS a list of rec private
 *                               nosuid nodev noexec
 *   sys::pdeathsig              SIGKILL this process when its parent ends
 *   sys::subreaper              adopt the orphans of this process's
 *                               descendants (to reap them)
 *   sys::setpgid                a process group of its own (its pid)
 *   sys::dup2 CHANNEL FD        CHANNEL's file descriptor onto FD (0-2)
 *   sys::reap                   reap every child that has ended; their pids
 *   sys::wait ?PID?             wait for child PID (any child) to end and
 *                               reap it; its pid, or "" when there is none
 *   sys::ids                    {uid gid} of this process
 *
 * Why: the server forks one process per test from an interpreter that has
 * loaded the test library once; each fork must enter fresh namespaces
 * itself (an exec of unshare(1) would throw that interpreter away).
 * Errors say which call failed and why, as Tcl errors.
 *
 * Build: cc -shared -fPIC -DUSE_TCL_STUBS -I<tcl.h's folder> tclsys.c
 *        -ltclstub8.6 -o tclsys.so (build.tcl's build::tclsys).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <tcl.h>
#include <unistd.h>

/* A Tcl error naming the call that failed and errno's message. */
static int sys_error(Tcl_Interp *interp, const char *what)
{
    Tcl_SetObjResult(interp, Tcl_ObjPrintf("%s: %s", what, strerror(errno)));
    Tcl_SetErrorCode(interp, "POSIX", Tcl_ErrnoId(), Tcl_ErrnoMsg(errno), NULL);
    return TCL_ERROR;
}

struct flag {
    const char *name;
    unsigned long value;
};

/* OBJ, a list of names from TABLE, as the OR of their values. */
static int flags_of(Tcl_Interp *interp, Tcl_Obj *obj, const struct flag *table, unsigned long *out)
{
    int n;
    Tcl_Obj **names;
    if (Tcl_ListObjGetElements(interp, obj, &n, &names) != TCL_OK)
        return TCL_ERROR;
    *out = 0;
    for (int i = 0; i < n; i++) {
        const char *name = Tcl_GetString(names[i]);
        const struct flag *f = table;
        while (f->name && strcmp(f->name, name) != 0)
            f++;
        if (!f->name) {
            Tcl_SetObjResult(interp, Tcl_ObjPrintf("unknown flag \"%s\"", name));
            return TCL_ERROR;
        }
        *out |= f->value;
    }
    return TCL_OK;
}

static const struct flag ns_flags[] = {
    {"ipc", CLONE_NEWIPC}, {"mount", CLONE_NEWNS},  {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID}, {"user", CLONE_NEWUSER}, {NULL, 0},
};

static int Unshare(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd;
    unsigned long all = 0, one;
    for (int i = 1; i < objc; i++) {
        if (flags_of(interp, objv[i], ns_flags, &one) != TCL_OK)
            return TCL_ERROR;
        all |= one;
    }
    if (unshare((int)all) == -1)
        return sys_error(interp, "unshare");
    return TCL_OK;
}

static const struct flag mount_flags[] = {
    {"rec", MS_REC},     {"private", MS_PRIVATE}, {"nosuid", MS_NOSUID},
    {"nodev", MS_NODEV}, {"noexec", MS_NOEXEC},   {NULL, 0},
};

static int Mount(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd;
    if (objc != 6) {
        Tcl_WrongNumArgs(interp, 1, objv, "source target type flags data");
        return TCL_ERROR;
    }
    unsigned long flags;
    if (flags_of(interp, objv[4], mount_flags, &flags) != TCL_OK)
        return TCL_ERROR;
    const char *type = Tcl_GetString(objv[3]);
    const char *data = Tcl_GetString(objv[5]);
    if (mount(Tcl_GetString(objv[1]), Tcl_GetString(objv[2]), *type ? type : NULL, flags,
              *data ? data : NULL) == -1)
        return sys_error(interp, "mount");
    return TCL_OK;
}

static int Pdeathsig(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd, (void)objc, (void)objv;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
        return sys_error(interp, "prctl");
    return TCL_OK;
}

static int Subreaper(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd, (void)objc, (void)objv;
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
        return sys_error(interp, "prctl");
    return TCL_OK;
}

static int Setpgid(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd, (void)objc, (void)objv;
    if (setpgid(0, 0) == -1)
        return sys_error(interp, "setpgid");
    return TCL_OK;
}

static int Dup2(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd;
    int mode, to;
    ClientData handle;
    if (objc != 3) {
        Tcl_WrongNumArgs(interp, 1, objv, "channel fd");
        return TCL_ERROR;
    }
    Tcl_Channel chan = Tcl_GetChannel(interp, Tcl_GetString(objv[1]), &mode);
    if (!chan || Tcl_GetIntFromObj(interp, objv[2], &to) != TCL_OK)
        return TCL_ERROR;
    if (to < 0 || to > 2) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("fd must be 0, 1 or 2", -1));
        return TCL_ERROR;
    }
    int dir = (mode & TCL_WRITABLE) ? TCL_WRITABLE : TCL_READABLE;
    if (Tcl_GetChannelHandle(chan, dir, &handle) != TCL_OK) {
        Tcl_SetObjResult(interp, Tcl_NewStringObj("the channel has no file descriptor", -1));
        return TCL_ERROR;
    }
    if (dup2((int)(intptr_t)handle, to) == -1)
        return sys_error(interp, "dup2");
    return TCL_OK;
}

static int Reap(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd, (void)objc, (void)objv;
    Tcl_Obj *pids = Tcl_NewListObj(0, NULL);
    pid_t pid;
    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
        Tcl_ListObjAppendElement(interp, pids, Tcl_NewIntObj((int)pid));
    Tcl_SetObjResult(interp, pids);
    return TCL_OK;
}

static int Wait(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd;
    int want = -1;
    if (objc > 2) {
        Tcl_WrongNumArgs(interp, 1, objv, "?pid?");
        return TCL_ERROR;
    }
    if (objc == 2 && Tcl_GetIntFromObj(interp, objv[1], &want) != TCL_OK)
        return TCL_ERROR;
    pid_t pid;
    while ((pid = waitpid(want, NULL, 0)) == -1 && errno == EINTR)
        ;
    if (pid == -1 && errno != ECHILD)
        return sys_error(interp, "waitpid");
    if (pid > 0)
        Tcl_SetObjResult(interp, Tcl_NewIntObj((int)pid));
    return TCL_OK;
}

static int Ids(ClientData cd, Tcl_Interp *interp, int objc, Tcl_Obj *const objv[])
{
    (void)cd, (void)objc, (void)objv;
    Tcl_Obj *ids[2] = {Tcl_NewWideIntObj(getuid()), Tcl_NewWideIntObj(getgid())};
    Tcl_SetObjResult(interp, Tcl_NewListObj(2, ids));
    return TCL_OK;
}

int Tclsys_Init(Tcl_Interp *interp)
{
    if (!Tcl_InitStubs(interp, "8.6", 0))
        return TCL_ERROR;
    static const struct {
        const char *name;
        Tcl_ObjCmdProc *proc;
    } cmds[] = {
        {"sys::unshare", Unshare},     {"sys::mount", Mount},     {"sys::pdeathsig", Pdeathsig},
        {"sys::subreaper", Subreaper}, {"sys::setpgid", Setpgid}, {"sys::dup2", Dup2},
        {"sys::reap", Reap},           {"sys::wait", Wait},       {"sys::ids", Ids},
    };
    Tcl_Eval(interp, "namespace eval ::sys {}");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        Tcl_CreateObjCommand(interp, cmds[i].name, cmds[i].proc, NULL, NULL);
    return Tcl_PkgProvide(interp, "tclsys", "1.0");
}
