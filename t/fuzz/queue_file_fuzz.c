/* NAME
 *	queue_file_fuzz 1
 * SUMMARY
 *	libFuzzer target for the queue file reader
 * DESCRIPTION
 *	Each input becomes the contents of a memfd, which is opened with
 *	queue_file_open_fd() and walked with queue_file_walk_fd(), as qmgr
 *	and postcat would. Besides the sanitizers' checks, the target
 *	aborts when the two disagree, or when a file that opened reads back
 *	other than its 'Z' record says: so the fuzzer also hunts for files
 *	that pass validation but are not what they claim. The record
 *	header decoder also gets every prefix of the input.
 *
 *	make fuzz; build/fuzz/queue_file_fuzz -max_total_time=60
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "queue_file.h"

extern int LLVMFuzzerInitialize(int *argc, char ***argv);
extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_fd = -1;

int     LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    msg_init("queue_file_fuzz");
    if ((fuzz_fd = memfd_create("queue_file_fuzz", MFD_CLOEXEC)) < 0)
        msg_fatal("memfd_create: %m");
    return (0);
}

static int fuzz_count(int type, off_t offset, const char *payload, size_t len,
                      void *context)
{
    long   *counts = context;

    (void) offset;
    /* The payload is NUL-terminated, as documented. */
    if (payload[len] != 0)
        abort();
    if (type == QUEUE_FILE_DATA_REC)
        counts[0] += (long) len;
    if (type == QUEUE_FILE_RCPT_REC || type == QUEUE_FILE_DONE_REC)
        counts[1]++;
    return (0);
}

/* fuzz_check_open - a file that opened must read back as it claims */

static void fuzz_check_open(QUEUE_FILE *qf, long walk_data, long walk_rcpts)
{
    char    buf[4096];
    long    total = 0;
    ssize_t n;
    size_t  count = queue_file_rcpt_count(qf);

    while ((n = queue_file_content_read(qf, buf, sizeof(buf))) > 0)
        total += n;
    if (n < 0 || total != queue_file_message_size(qf) || total != walk_data)
        abort();
    if ((long) count != walk_rcpts)
        abort();
    for (size_t i = 0; i < count; i++) {
        const QUEUE_FILE_RCPT *r = queue_file_rcpt(qf, i);

        if (r->address == 0 || *r->address == 0 || r->offset <= 0)
            abort();
    }
    if (queue_file_sender(qf) == 0)
        abort();
    (void) queue_file_attr(qf, "client_name");
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BUF    *why = buf_new(64);
    BUF    *walk_why = buf_new(64);
    QUEUE_FILE *qf;
    long    counts[2] = {0, 0};
    int     type;
    size_t  len;
    int     fd;
    int     opened;
    int     walked;

    for (size_t n = 0; n <= size && n <= QUEUE_FILE_HDR_MAX; n++)
        (void) queue_file_decode_header(data, n, &type, &len);
    if (ftruncate(fuzz_fd, 0) < 0
        || (size > 0 && pwrite(fuzz_fd, data, size, 0) != (ssize_t) size))
        msg_fatal("write memfd: %m");
    if ((fd = dup(fuzz_fd)) < 0)
        msg_fatal("dup: %m");
    opened = queue_file_open_fd(fd, "fuzz", QUEUE_FILE_READ, &qf, why) == 0;
    walked = queue_file_walk_fd(fuzz_fd, fuzz_count, counts, walk_why) == 0;
    /* Both sides use one checker: they must agree, reasons included. */
    if (opened != walked || (!opened && strcmp(why->data, walk_why->data) != 0))
        abort();
    if (!opened && (why->len == 0 || errno != EBADMSG))
        abort();
    if (opened) {
        fuzz_check_open(qf, counts[0], counts[1]);
        queue_file_close(&qf);
    }
    buf_free(&walk_why);
    buf_free(&why);
    return (0);
}
