/* mqsnd.c

   Usage: mqsnd [-n] [-x] [-m MAXMSG] [-s MSGSIZE] /NAME [DATAFILE]

   Send each "TYPE NAME" line of DATAFILE (default ./msgsnd.txt) as one
   message on the POSIX queue /NAME, with TYPE as its priority. The queue is
   created when missing, with the attributes given. A full queue makes the
   sender wait, or with -n stop with EAGAIN. The queue is left for mqrcv.

   See also mqrcv.c, mqstat.c. Lab 3, handout section 3.
*/
/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mq_*, getopt, getline */

#include <ctype.h>
#include <fcntl.h>
#include <unistd.h>

#include "mqlab.h"

static void usage(FILE *to)
{
    fprintf(to, "Usage: mqsnd [-n] [-x] [-m MAXMSG] [-s MSGSIZE] /NAME [DATAFILE]\n"
                "  -n          do not wait on a full queue: stop with EAGAIN\n"
                "  -x          fail if the queue exists (O_EXCL)\n"
                "  -m MAXMSG   a new queue holds at most MAXMSG messages\n"
                "  -s MSGSIZE  a new queue's messages hold at most MSGSIZE bytes\n"
                "  /NAME       the queue (created if missing)\n"
                "  DATAFILE    \"type name\" lines to send (default ./msgsnd.txt)\n");
}

/* Split LINE into a priority below PRIO_MAX and a name of at most MSGSIZE
   bytes. Returns the name's length, or 0 for a blank line; exits on
   anything else, naming FILE:LINENO so the user can find it. */
static size_t parse_line(char *line, const char *file, long lineno, long prio_max, long msgsize,
                         unsigned *prio, char **name)
{
    char *p = line, *end;
    size_t len;
    long v;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return 0;

    errno = 0;
    v = strtol(p, &end, 10);
    if (end == p || !isspace((unsigned char)*end))
        fail("%s:%ld: expected \"TYPE NAME\" with a numeric TYPE", file, lineno);
#ifndef STARTER
    if (errno == ERANGE || v < 0 || v >= prio_max)
#else
    /* TODO 2 (handout 3.3): a priority must also be below PRIO_MAX
       (sysconf's MQ_PRIO_MAX): reject a larger one the same way. */
    (void)prio_max;
    if (errno == ERANGE || v < 0)
#endif
        fail("%s:%ld: priority %.*s is out of range (0 to %ld)", file, lineno, (int)(end - p), p,
             prio_max - 1);

    for (p = end; isspace((unsigned char)*p); p++)
        ;
    len = strlen(p);
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        len--;
    if (len == 0)
        fail("%s:%ld: NAME is missing", file, lineno);
    if (len > (size_t)msgsize)
        fail("%s:%ld: NAME is %zu bytes; this queue's messages hold at most %ld", file, lineno, len,
             msgsize);
    p[len] = '\0';
    *prio = (unsigned)v;
    *name = p;
    return len;
}

int main(int argc, char *argv[])
{
    int flags = O_WRONLY | O_CREAT, opt, count = 0, full = 0;
    struct mq_attr attr = {.mq_maxmsg = 0, .mq_msgsize = 0}, now;
    const char *name, *datafile;
    char *line = NULL, *text;
    size_t cap = 0, len;
    long lineno = 0, prio_max;
    unsigned prio;
    FILE *fp;
    mqd_t mq;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "nxm:s:")) != -1) {
        switch (opt) {
        case 'n':
            flags |= O_NONBLOCK;
            break;
        case 'x':
            flags |= O_EXCL;
            break;
        case 'm':
            attr.mq_maxmsg = get_num(optarg, "MAXMSG", 1, LONG_MAX);
            break;
        case 's':
            attr.mq_msgsize = get_num(optarg, "MSGSIZE", 1, LONG_MAX);
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2) {
        usage(stderr);
        return EXIT_FAILURE;
    }
    name = argv[optind];
    datafile = argc - optind == 2 ? argv[optind + 1] : "./msgsnd.txt";
    check_name(name);
    prio_max = sysconf(_SC_MQ_PRIO_MAX);
    if (prio_max == -1)
        die("sysconf _SC_MQ_PRIO_MAX");

    /* Open (or create) the queue: attributes count only when it is created */
    fp = fopen(datafile, "r");
    if (fp == NULL)
        die("fopen %s", datafile);
#ifndef STARTER
    if (attr.mq_maxmsg || attr.mq_msgsize) {
        if (!attr.mq_maxmsg)
            attr.mq_maxmsg = DEFAULT_MAXMSG;
        if (!attr.mq_msgsize)
            attr.mq_msgsize = DEFAULT_MSGSIZE;
        mq = mq_open(name, flags, QUEUE_PERMS, &attr);
    } else {
        mq = mq_open(name, flags, QUEUE_PERMS, NULL);
    }
#else
    /* TODO 1 (handout 3.2): open the queue NAME with FLAGS (O_WRONLY |
       O_CREAT, plus O_NONBLOCK for -n and O_EXCL for -x) and QUEUE_PERMS.
       When -m or -s was given, pass ATTR with both fields set (the missing
       one from DEFAULT_MAXMSG or DEFAULT_MSGSIZE); otherwise pass NULL. */
    (void)attr;
    errno = ENOSYS;
    mq = (mqd_t)-1;
#endif
    if (mq == (mqd_t)-1)
        die("mq_open %s", name);
    if (mq_getattr(mq, &now) == -1)
        die("mq_getattr");
    print_attr(name, &now);
    printf("%s Sending ...\n", (flags & O_NONBLOCK) ? "Non-blocking" : "Blocking");

    /* Send messages: only the name's bytes, with TYPE as the priority */
    while (getline(&line, &cap, fp) != -1) {
        len = parse_line(line, datafile, ++lineno, prio_max, now.mq_msgsize, &prio, &text);
        if (len == 0)
            continue;
#ifndef STARTER
        if (mq_send(mq, text, len, prio) == -1) {
            if (errno != EAGAIN)
                die("mq_send");
            fprintf(stderr, "mq_send: the queue is full (EAGAIN); %u %s was not sent\n", prio,
                    text);
            full = 1;
            break;
        }
#else
        /* TODO 3 (handout 3.4, 3.5): send the LEN bytes of TEXT with
           priority PRIO. With -n, a full queue makes mq_send fail with
           EAGAIN: report it on stderr, set FULL and stop sending. */
#endif
        printf("%u %s\n", prio, text);
        count++;
    }
    if (!full && ferror(fp))
        die("read %s", datafile);
    free(line);
    if (fclose(fp) == EOF)
        die("fclose %s", datafile);
    if (mq_close(mq) == -1)
        die("mq_close");

    printf("number of sent messages = %d\n", count);
    return full ? EXIT_FAILURE : EXIT_SUCCESS;
}
