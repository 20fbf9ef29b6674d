/* NAME
 *	smtp_path_fuzz 1
 * SUMMARY
 *	libFuzzer target for the smtp_path(3) MAIL FROM / RCPT TO parser
 * DESCRIPTION
 *	The first byte chooses the flags; the rest, up to a NUL, is the
 *	text after "MAIL FROM:" or "RCPT TO:". Besides the sanitizers, it
 *	checks that:
 *	an error leaves the address empty and the parameters alone, with a
 *	known text; a success gives an address within SMTP_PATH_MAX with no
 *	control characters (and no 8-bit ones without SMTP_PATH_UTF8),
 *	"<>" only with SMTP_PATH_NULL_OK, and well-formed, unique,
 *	upper-cased parameter keywords;
 *	what a parse returns parses again to the same thing, in brackets
 *	and without SMTP_PATH_LAX (the address is canonical);
 *	SMTP_PATH_LAX and SMTP_PATH_UTF8 only ever accept more, and give
 *	the same result for what both settings accept;
 *	smtp_path_domain() finds a domain inside the address.
 *
 *	build/fuzz/smtp_path_fuzz -max_total_time=60 (make fuzz builds it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "smtp_path.h"
#include "strv.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "smtp_path_fuzz: check failed: %s\n", #cond); \
            abort(); \
        } \
    } while (0)

static const char *fuzz_whys[] = {
    "Syntax: MAIL FROM:<address>", "Syntax: RCPT TO:<address>",
    "Bad sender address syntax", "Bad recipient address syntax",
    "Address too long", "Bad parameter syntax", "Duplicate parameter",
    "Too many parameters", 0,
};

typedef struct FUZZ_OUT {
    int     result;
    BUF    *address;
    STRV   *params;
    const char *why;
} FUZZ_OUT;

/* fuzz_parse - parse with a preset parameter that must survive. */

static void fuzz_parse(const char *text, int flags, FUZZ_OUT *out)
{
    out->address = buf_new(16);
    out->params = strv_new();
    buf_set(out->address, "junk");
    strv_add(out->params, "PRESET");
    out->why = "junk";
    out->result = smtp_path_parse(text, flags, out->address, out->params, &out->why);
    FUZZ_CHECK(out->params->argc >= 1 && strcmp(out->params->argv[0], "PRESET") == 0);
}

static void fuzz_free(FUZZ_OUT *out)
{
    buf_free(&out->address);
    strv_free(&out->params);
}

static int fuzz_equal(const FUZZ_OUT *a, const FUZZ_OUT *b)
{
    if (a->result != b->result || strcmp(a->address->data, b->address->data) != 0
        || a->params->argc != b->params->argc)
        return (0);
    for (size_t i = 0; i < a->params->argc; i++)
        if (strcmp(a->params->argv[i], b->params->argv[i]) != 0)
            return (0);
    return (1);
}

static void fuzz_check(const FUZZ_OUT *out, int flags)
{
    const char *domain;

    if (out->result != 0) {
        int     known = 0;

        FUZZ_CHECK(out->result == SMTP_PATH_ERR_ADDRESS
                   || out->result == SMTP_PATH_ERR_SYNTAX);
        FUZZ_CHECK(out->address->len == 0);
        FUZZ_CHECK(out->params->argc == 1);
        FUZZ_CHECK(out->why != 0);
        for (const char **w = fuzz_whys; *w; w++)
            known |= strcmp(*w, out->why) == 0;
        FUZZ_CHECK(known);
        return;
    }
    FUZZ_CHECK(out->why == 0);
    FUZZ_CHECK(out->address->len <= SMTP_PATH_MAX);
    FUZZ_CHECK(strlen(out->address->data) == out->address->len);
    FUZZ_CHECK(out->address->len > 0 || (flags & SMTP_PATH_NULL_OK));
    for (size_t i = 0; i < out->address->len; i++) {
        unsigned char c = (unsigned char) out->address->data[i];

        FUZZ_CHECK(c >= 32 && c != 127);
        FUZZ_CHECK(c < 128 || (flags & SMTP_PATH_UTF8));
    }
    FUZZ_CHECK(out->params->argc - 1 <= SMTP_PATH_PARAMS_MAX);
    for (size_t i = 1; i < out->params->argc; i++) {
        const char *p = out->params->argv[i];
        size_t  klen = strcspn(p, "=");

        FUZZ_CHECK(klen > 0 && p[0] != '-');
        FUZZ_CHECK(strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == klen);
        FUZZ_CHECK(p[klen] == 0 || p[klen + 1] != 0);
        for (size_t j = 1; j < i; j++)
            FUZZ_CHECK(strncmp(out->params->argv[j], p, klen) != 0
                       || (out->params->argv[j][klen] != 0
                           && out->params->argv[j][klen] != '='));
    }
    if (smtp_path_domain(out->address->data, &domain) == 0) {
        FUZZ_CHECK(domain > out->address->data
                   && domain <= out->address->data + out->address->len);
        FUZZ_CHECK(domain[-1] == '@');
        FUZZ_CHECK(strchr(domain, '@') == 0);
    } else {
        FUZZ_CHECK(domain == 0);
    }
}

/* fuzz_reparse - "<address> params" gives the same again. */

static void fuzz_reparse(const FUZZ_OUT *out, int flags)
{
    BUF    *text = buf_new(64);
    FUZZ_OUT again;

    buf_printf(text, "<%s>", out->address->data);
    for (size_t i = 1; i < out->params->argc; i++)
        buf_printf(text, " %s", out->params->argv[i]);
    fuzz_parse(text->data, flags & ~SMTP_PATH_LAX, &again);
    if (!fuzz_equal(out, &again)) {
        fprintf(stderr, "reparse of \"%s\": %d \"%s\" (%s)\n", text->data,
                again.result, again.address->data, again.why ? again.why : "");
        FUZZ_CHECK(0);
    }
    fuzz_free(&again);
    buf_free(&text);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char   *text;
    int     flags;
    FUZZ_OUT out;
    FUZZ_OUT more;

    if (size < 1)
        return (0);
    flags = data[0] & (SMTP_PATH_NULL_OK | SMTP_PATH_LAX | SMTP_PATH_UTF8);
    text = mem_strndup((const char *) data + 1, size - 1);

    fuzz_parse(text, flags, &out);
    fuzz_check(&out, flags);
    if (out.result == 0)
        fuzz_reparse(&out, flags);

    /* LAX and UTF8 accept more, never less, and never differently. */
    for (int extra = SMTP_PATH_LAX; extra <= SMTP_PATH_UTF8; extra <<= 1) {
        if (flags & extra)
            continue;
        fuzz_parse(text, flags | extra, &more);
        fuzz_check(&more, flags | extra);
        if (out.result == 0)
            FUZZ_CHECK(fuzz_equal(&out, &more));
        if (extra == SMTP_PATH_LAX && text[strspn(text, " \t")] == '<')
            FUZZ_CHECK(fuzz_equal(&out, &more));
        fuzz_free(&more);
    }
    fuzz_free(&out);
    mem_free(text);
    return (0);
}
