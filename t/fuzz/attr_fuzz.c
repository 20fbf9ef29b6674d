/* NAME
 *	attr_fuzz 1
 * SUMMARY
 *	libFuzzer target for the attr(3) decoder
 * DESCRIPTION
 *	The input is a byte stream from a peer. It is decoded message after
 *	message twice, by a decoder fed everything at once and by one fed a
 *	byte at a time, with small limits so that every limit is reached.
 *	Besides the sanitizers, it checks that:
 *	both decoders agree on every result, every message and every stop;
 *	a decoded message obeys the limits and has valid, unique names;
 *	re-encoding a message gives back exactly the bytes it came from
 *	(the encoding is canonical, so no two wires mean the same list).
 *
 *	build/fuzz/attr_fuzz -max_total_time=60 (make fuzz builds it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "buf.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ATTR_LIMITS fuzz_limits = {300, 2000, 12};

#define FUZZ_CHECK(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "attr_fuzz: check failed: %s\n", #cond); \
            abort(); \
        } \
    } while (0)

/* fuzz_encode - the wire form of a message, as attr_write() makes it. */

static void fuzz_encode(const ATTR *a, BUF *out)
{
    buf_reset(out);
    for (size_t i = 0; i < attr_count(a); i++) {
        const char *name = attr_name(a, i);
        size_t  len;
        const char *value = attr_get_data(a, name, &len);

        FUZZ_CHECK(value != 0 && value[len] == 0);
        buf_printf(out, "%zu:%s,%zu:", strlen(name), name, len);
        buf_append(out, value, len);
        buf_putc(out, ',');
    }
    buf_append(out, "0:,", 3);
}

static void fuzz_check_message(const ATTR *a, const char *wire, size_t len,
                               BUF *enc)
{
    FUZZ_CHECK(len <= fuzz_limits.total_max);
    FUZZ_CHECK(attr_count(a) <= fuzz_limits.count_max);
    for (size_t i = 0; i < attr_count(a); i++) {
        const char *name = attr_name(a, i);
        size_t  vlen;

        FUZZ_CHECK(strlen(name) >= 1 && strlen(name) <= ATTR_NAME_MAX);
        FUZZ_CHECK(strspn(name, "abcdefghijklmnopqrstuvwxyz"
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                   == strlen(name));
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(attr_name(a, j), name) != 0);
        FUZZ_CHECK(attr_get_data(a, name, &vlen) != 0);
        FUZZ_CHECK(vlen <= fuzz_limits.value_max);
    }
    fuzz_encode(a, enc);
    FUZZ_CHECK(enc->len == len && memcmp(enc->data, wire, len) == 0);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *wire = (const char *) data;
    ATTR_DECODER *whole = attr_decoder_new(&fuzz_limits);
    ATTR_DECODER *bytes = attr_decoder_new(&fuzz_limits);
    ATTR   *a = attr_new();
    ATTR   *b = attr_new();
    BUF    *enc_a = buf_new(64);
    BUF    *enc_b = buf_new(64);
    size_t  pos = 0;
    size_t  bpos = 0;
    size_t  used;
    int     sa;
    int     sb;

    for (;;) {
        sa = attr_decoder_feed(whole, wire + pos, size - pos, &used, a);
        FUZZ_CHECK(used <= size - pos);
        sb = ATTR_NEED_MORE;
        while (bpos < size && sb == ATTR_NEED_MORE) {
            size_t  one;

            sb = attr_decoder_feed(bytes, wire + bpos, 1, &one, b);
            FUZZ_CHECK(one == 1);
            bpos++;
        }
        FUZZ_CHECK(sa == sb);
        FUZZ_CHECK(pos + used == bpos);
        if (sa != ATTR_OK)
            break;
        fuzz_check_message(a, wire + pos, used, enc_a);
        fuzz_encode(b, enc_b);
        FUZZ_CHECK(enc_a->len == enc_b->len
                   && memcmp(enc_a->data, enc_b->data, enc_a->len) == 0);
        FUZZ_CHECK(attr_decoder_pending(whole) == 0);
        pos += used;
    }
    if (sa == ATTR_NEED_MORE) {
        FUZZ_CHECK(pos + used == size);
        FUZZ_CHECK(attr_decoder_pending(whole) == (used > 0));
    } else {
        FUZZ_CHECK(sa == ATTR_MALFORMED || sa == ATTR_TOOBIG);
        FUZZ_CHECK(attr_decoder_feed(whole, "0:,", 3, &used, a) == sa);
    }
    buf_free(&enc_a);
    buf_free(&enc_b);
    attr_free(&a);
    attr_free(&b);
    attr_decoder_free(&whole);
    attr_decoder_free(&bytes);
    return (0);
}
