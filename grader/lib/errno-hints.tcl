# errno-hints.tcl: the common causes of each error a message-passing program
# reports, in one table that every lab shares.
#
# Each row: the errno name, the text perror prints for it, and hints keyed
# by the call named in the message (a glob on the text before ": reason"),
# most specific first; "*" matches any call.

set ::errno_hints {
    EEXIST "File exists" {
        * "the queue already exists: one left over from an earlier run (list them with ipcs -q or ls /dev/mqueue, remove with ipcrm -q ID or mq_unlink), or IPC_EXCL/O_EXCL asked for a new one"
    }
    EINVAL "Invalid argument" {
        *semop* "semop: no semaphore set has this id: it was never created, or was removed (IPC_RMID) before the call began"
        *msgsnd* "msgsnd refuses a type <= 0, and a size that counts the long type field or exceeds msgmax (/proc/sys/kernel/msgmax): pass only the text's size"
        *msgrcv* "msgrcv: the queue id is wrong, the size is negative, or MSG_EXCEPT/MSG_COPY was used without its conditions"
        *mq_open* "mq_open: the name must be /something with no other slash, and mq_maxmsg/mq_msgsize must be within /proc/sys/fs/mqueue/msg_max and msgsize_max"
        *mq_* "a POSIX queue call: a bad descriptor or attributes out of range (/proc/sys/fs/mqueue)"
        * "an argument is out of range: a queue id that does not exist, or a size or flag the call refuses"
    }
    E2BIG "Argument list too long" {
        * "msgrcv: the message is longer than the receive buffer (msgsz): pass a bigger buffer, or MSG_NOERROR to cut the message"
    }
    ENOMSG "No message of desired type" {
        * "a non-blocking receive (IPC_NOWAIT) found no message of that type; expected when the queue has been drained, so end the loop instead of dying"
    }
    EIDRM "Identifier removed" {
        *semop* "the semaphore set was removed (IPC_RMID) while this process waited on it"
        * "the queue was removed (IPC_RMID) while this process used it or waited on it"
    }
    EINTR "Interrupted system call" {
        * "a signal arrived while the call waited; msgsnd/msgrcv are never restarted (even with SA_RESTART): report it or retry"
    }
    EMSGSIZE "Message too long" {
        *receive* "mq_receive's buffer must be at least the queue's mq_msgsize: ask mq_getattr for it"
        * "POSIX queues: mq_receive's buffer is smaller than mq_msgsize (ask mq_getattr), or mq_send's message is longer than mq_msgsize"
    }
    EAGAIN "Resource temporarily unavailable" {
        * "a non-blocking call found the queue full (send) or empty (receive); with IPC_NOWAIT or O_NONBLOCK that is an answer, not a failure"
    }
    ETIMEDOUT "Connection timed out" {
        * "mq_timedsend/mq_timedreceive reached its deadline; the deadline is absolute: clock_gettime(CLOCK_REALTIME) plus the wait"
    }
    ENOSPC "No space left on device" {
        * "a system-wide limit: too many System V queues (/proc/sys/kernel/msgmni) or POSIX queues (/proc/sys/fs/mqueue/queues_max)"
    }
    EMFILE "Too many open files" {
        * "this process holds too many descriptors or POSIX queues (ulimit -n; /proc/sys/fs/mqueue/queues_max): close what you no longer use"
    }
    ENOENT "No such file or directory" {
        *msgget* "no queue under this key: the sender has not created it yet or it was removed (a receiver should not create it)"
        *mq_open* "no POSIX queue by that name: the creator must pass O_CREAT first; names start with a slash"
        * "the file does not exist (ftok and stat need an existing file)"
    }
    EACCES "Permission denied" {
        * "the permissions refuse this user: check the mode given to msgget/mq_open/open"
    }
    EBADF "Bad file descriptor" {
        * "a descriptor that was never opened or already closed (for POSIX queues: an mqd_t from a failed mq_open, or the wrong O_RDONLY/O_WRONLY mode)"
    }
}
