/* consumer.c

   Usage: consumer [-n] [-q] PATH

   Receive messages from the channel named by PATH until the producer ends
   the stream, logging "received N: BODY" for each; check that the sequence
   numbers run 1, 2, 3, ... with nothing lost, repeated or reordered. The
   consumer owns the channel: it removes the queue when it is done.

   See also producer.c, channel.h. Lab 5, handout section 4.
*/
/* SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* getopt, nanosleep */

#include <time.h>
#include <unistd.h>

#include "channel.h"

#define MSGSIZE 512 /* lab 1's fixed message size */

static void usage(FILE *to)
{
    fprintf(to, "Usage: consumer [-n] [-q] PATH\n"
                "  -n    non-blocking receive: on \"nothing waiting\", poll a little later\n"
                "  -q    quiet: print the summary only, not every message\n"
                "  PATH  file that names the channel (created if missing)\n");
}

int main(int argc, char *argv[])
{
    const struct timespec pause = {0, 1000000}; /* 1 ms */
    int flags = 0, quiet = 0, waiting = 0, opt;
    unsigned long got = 0;
    char body[MSGSIZE + 1];
    struct channel *ch;
    uint32_t seq;
    size_t len;
    int got_one;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    while ((opt = getopt(argc, argv, "nq")) != -1) {
        switch (opt) {
        case 'n':
            flags |= CH_NONBLOCK;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            usage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (argc - optind != 1 || argv[optind][0] == '\0') {
        usage(stderr);
        return EXIT_FAILURE;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* one line per event, in order, even into a pipe */

    ch = ch_open(argv[optind], CH_RECEIVER, 0, MSGSIZE);
    if (ch == NULL)
        die("ch_open %s", argv[optind]);
    printf("consumer: %s receive\n", flags & CH_NONBLOCK ? "non-blocking" : "blocking");

    /* Receive until end of stream */
    while ((got_one = ch_recv(ch, body, MSGSIZE, &len, &seq, flags)) != 0) {
        if (got_one == -1) {
            if (errno != EAGAIN)
                die("ch_recv");
            /* Non-blocking: nothing yet. Say so once per empty stretch. */
            if (!waiting++ && !quiet)
                printf("nothing waiting\n");
            nanosleep(&pause, NULL);
            continue;
        }
        waiting = 0;
        body[len] = '\0';
        if (seq != got + 1) {
            fprintf(stderr, "consumer: message %lu arrived where %lu was expected: %s\n",
                    (unsigned long)seq, got + 1,
                    seq <= got ? "duplicated or reordered" : "lost or reordered");
            ch_close(ch);
            return EXIT_FAILURE;
        }
        got = seq;
        if (!quiet)
            printf("received %lu: %s\n", (unsigned long)seq, body);
    }
    printf("consumer: end of stream after %lu messages\n", got);

    /* The receiver owns the queue: remove it */
    if (ch_close(ch) == -1)
        die("ch_close");
    return EXIT_SUCCESS;
}
