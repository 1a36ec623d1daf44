/* producer.c

   Usage: producer [-c CAPACITY] [-n] [-q] [-N COUNT] PATH [DATAFILE]

   Send each line of DATAFILE (default ./msgsnd.txt), or COUNT generated
   messages, on the channel named by PATH, and log each event with its
   sequence number: "send N: BODY" before the send, "sent N" once it returned.
   Closing delivers what the channel still holds, then ends the stream.

   See also consumer.c, channel.h. Lab 5, handout section 4.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* getopt, getline, nanosleep */

#include <time.h>
#include <unistd.h>

#include "channel.h"

#define MSGSIZE 512 /* lab 1's fixed message size */

static void usage(FILE *to)
{
    fprintf(to, "Usage: producer [-c CAPACITY] [-n] [-q] [-N COUNT] PATH [DATAFILE]\n"
                "  -c CAPACITY  0 (rendezvous, the default), N > 0 (bounded) or u (unbounded)\n"
                "  -n           non-blocking send: on \"would block\", retry a little later\n"
                "  -q           quiet: print the summary only, not every event\n"
                "  -N COUNT     send COUNT generated messages \"item 1\", ... instead of DATAFILE\n"
                "  PATH         file that names the channel (created if missing)\n"
                "  DATAFILE     lines to send, one message each (default ./msgsnd.txt)\n");
}

static int quiet;

/* Send one message; with -n, wait between tries ourselves (the caller could do
   other work there), never losing the message. */
static void send_one(struct channel *ch, unsigned long seq, const char *body, int flags)
{
    const struct timespec pause = {0, 1000000}; /* 1 ms */
    int told = 0;

    if (!quiet)
        printf("send %lu: %s\n", seq, body);
    while (ch_send(ch, body, strlen(body), flags) == -1) {
        if (errno != EAGAIN)
            die("ch_send %lu", seq);
        if (!told++ && !quiet)
            printf("send %lu: would block, retrying\n", seq);
        nanosleep(&pause, NULL);
    }
    if (!quiet)
        printf("sent %lu\n", seq);
}

int main(int argc, char *argv[])
{
    long capacity = 0, count = -1;
    unsigned long seq = 0;
    int flags = 0, opt;
    const char *datafile;
    char body[MSGSIZE + 1];
    struct channel *ch;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "c:nqN:")) != -1) {
        switch (opt) {
        case 'c':
            capacity = strcmp(optarg, "u") == 0 ? CH_UNBOUNDED
                                                : parse_long(optarg, 0, 1000000, "CAPACITY");
            break;
        case 'n':
            flags |= CH_NONBLOCK;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'N':
            count = parse_long(optarg, 0, 1000000000, "COUNT");
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    if (capacity == 0 && (flags & CH_NONBLOCK))
        fail("producer: a rendezvous cannot be non-blocking: use -n with -c N or -c u");
    datafile = argc - optind == 2 ? argv[optind + 1] : "./msgsnd.txt";
    setvbuf(stdout, NULL, _IOLBF, 0); /* one line per event, in order, even into a pipe */

    /* Open the channel */
    ch = ch_open(argv[optind], CH_SENDER, capacity, MSGSIZE);
    if (ch == NULL)
        die("ch_open %s", argv[optind]);
    if (capacity == CH_UNBOUNDED)
        printf("producer: capacity unbounded, ");
    else
        printf("producer: capacity %ld%s, ", capacity, capacity == 0 ? " (rendezvous)" : "");
    printf("%s send\n", flags & CH_NONBLOCK ? "non-blocking" : "blocking");

    /* Send messages */
    if (count >= 0) {
        while (seq < (unsigned long)count) {
            snprintf(body, sizeof(body), "item %lu", seq + 1);
            send_one(ch, ++seq, body, flags);
        }
    } else {
        FILE *fp = fopen(datafile, "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;

        if (fp == NULL)
            die("fopen %s", datafile);
        while ((len = getline(&line, &cap, fp)) != -1) {
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            if (len == 0)
                continue;
            if (len > MSGSIZE)
                fail("%s: line %lu is %zd bytes; at most %d fit in a message", datafile, seq + 1,
                     len, MSGSIZE);
            send_one(ch, ++seq, line, flags);
        }
        if (ferror(fp))
            die("read %s", datafile);
        free(line);
        if (fclose(fp) == EOF)
            die("fclose %s", datafile);
    }

    /* Close: an unbounded channel may still hold messages; they go out first */
    printf("producer: %lu sent, %zu held in this process; closing\n", seq, ch_held(ch));
    if (ch_close(ch) == -1)
        die("ch_close");
    printf("producer: closed\n");
    return EXIT_SUCCESS;
}
