/* NAME
 *	rewrite_header 3
 * SUMMARY
 *	address rewriting in message headers
 * DESCRIPTION
 *	See rewrite_header(3h). The value is scanned once (RFC 5322 3.4):
 *	quoted strings and (nested) comments are skipped, "<...>" is an
 *	address, a ":" outside brackets ends a group's display name, and
 *	"," or ";" ends a mailbox. A mailbox without angle brackets is a
 *	bare addr-spec: its first to last character outside comments and
 *	whitespace.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "mem.h"
#include "rewrite_addr.h"
#include "rewrite_header.h"

#define FIELD_OTHER     0
#define FIELD_SENDER    1
#define FIELD_RECIPIENT 2

static const char *rewrite_header_senders[] = {
    "From", "Sender", "Reply-To", "Resent-From", "Resent-Sender", "Resent-Reply-To",
    "Return-Receipt-To", "Errors-To", 0,
};
static const char *rewrite_header_recipients[] = {
    "To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc", 0,
};

static int rewrite_header_kind(const char *name, size_t len)
{
    for (const char **n = rewrite_header_senders; *n; n++)
        if (strlen(*n) == len && strncasecmp(*n, name, len) == 0)
            return (FIELD_SENDER);
    for (const char **n = rewrite_header_recipients; *n; n++)
        if (strlen(*n) == len && strncasecmp(*n, name, len) == 0)
            return (FIELD_RECIPIENT);
    return (FIELD_OTHER);
}

/*
 * rewrite_header_addr - append the rewritten form of the address
 * text[0..len) (an addr-spec without brackets) to out; 0 or -1.
 */
static int rewrite_header_addr(const char *text, size_t len, int flags, int sender, BUF *out)
{
    BUF    *addr = buf_new(len + 1);
    BUF    *result = buf_new(len + 32);
    int     status;

    buf_append(addr, text, len);
    /* Only plain addr-specs: anything with whitespace or quotes is kept. */
    if (len == 0 || strpbrk(addr->data, " \t\r\n\"\\()") != 0)
        status = (buf_append(out, text, len), 0);
    else if ((status = rewrite_addr_header(addr->data, flags, sender, result)) == 0)
        buf_puts(out, result->data);
    else
        buf_append(out, text, len);
    buf_free(&addr);
    buf_free(&result);
    return (status);
}

/* rewrite_header_skip - past a quoted string or (nested) comment at p; NULL if unbalanced. */

static const char *rewrite_header_skip(const char *p, const char *end)
{
    int     depth = 0;
    char    close = *p == '"' ? '"' : ')';

    for (const char *cp = p; cp < end; cp++) {
        if (*cp == '\\') {
            cp++;
            continue;
        }
        if (close == '"') {
            if (cp > p && *cp == '"')
                return (cp + 1);
            continue;
        }
        if (*cp == '(')
            depth++;
        else if (*cp == ')' && --depth == 0)
            return (cp + 1);
    }
    return (0);
}

/*
 * rewrite_header_value - rewrite the addresses of value[0..len) into out;
 * 1 done, 0 unparsable (out untouched), -1 table error.
 */
static int rewrite_header_value(const char *value, size_t len, int flags, int sender,
                                BUF *out)
{
    const char *end = value + len;
    const char *seg = value;            /* start of the current mailbox */
    const char *first = 0, *last = 0;   /* bare addr-spec candidate span */
    int     angle = 0;
    int     status = 0;
    BUF    *work = buf_new(len + 64);

    for (const char *cp = value; cp <= end; cp++) {
        if (cp < end && (*cp == '"' || *cp == '(')) {
            const char *next = rewrite_header_skip(cp, end);

            if (next == 0)
                goto unparsable;
            if (*cp == '"') {
                if (first == 0)
                    first = cp;
                last = next;
            }
            cp = next - 1;
            continue;
        }
        if (cp < end && *cp == '<') {
            const char *close = memchr(cp, '>', (size_t) (end - cp));

            if (close == 0)
                goto unparsable;
            buf_append(work, seg, (size_t) (cp + 1 - seg));
            if (rewrite_header_addr(cp + 1, (size_t) (close - cp - 1), flags, sender, work) < 0)
                status = -1;
            seg = close;
            cp = close;
            angle = 1;
            continue;
        }
        if (cp == end || *cp == ',' || *cp == ';' || *cp == ':') {
            int     group_name = cp < end && *cp == ':';

            /* A bare addr-spec (no angle brackets; not a group name). */
            if (!angle && first && !group_name) {
                buf_append(work, seg, (size_t) (first - seg));
                if (rewrite_header_addr(first, (size_t) (last - first), flags, sender, work) < 0)
                    status = -1;
                seg = last;
            }
            buf_append(work, seg, (size_t) (cp - seg) + (cp < end));
            seg = cp + 1;
            first = last = 0;
            angle = 0;
            continue;
        }
        if (!isspace((unsigned char) *cp)) {
            if (first == 0)
                first = cp;
            last = cp + 1;
        }
    }
    buf_append(out, work->data, work->len);
    buf_free(&work);
    return (status < 0 ? -1 : 1);

unparsable:
    buf_free(&work);
    return (0);
}

int     rewrite_header_field(const char *field, size_t len, int flags, BUF *out)
{
    const char *colon = memchr(field, ':', len);
    size_t  mark = out->len;
    int     kind;
    int     status;

    if (colon == 0 || (kind = rewrite_header_kind(field, (size_t) (colon - field))) == FIELD_OTHER) {
        buf_append(out, field, len);
        return (0);
    }
    buf_append(out, field, (size_t) (colon + 1 - field));
    status = rewrite_header_value(colon + 1, len - (size_t) (colon + 1 - field), flags,
                                  kind == FIELD_SENDER, out);
    if (status <= 0) {
        /* Unparsable or a table error: the field as it was. */
        buf_truncate(out, mark);
        buf_append(out, field, len);
    }
    return (status < 0 ? -1 : 0);
}

struct REWRITE_HEADER {
    int     flags;
    REWRITE_HEADER_FN fn;
    void   *context;
    BUF    *field;                      /* the field being collected */
    BUF    *out;                        /* its rewritten form */
    int     in_headers;                 /* still in the header block */
    int     mid_line;                   /* the last piece was partial */
    int     error;                      /* a table lookup failed */
    size_t  limit;                      /* header_size_limit */
};

REWRITE_HEADER *rewrite_header_new(int flags, REWRITE_HEADER_FN fn, void *context)
{
    REWRITE_HEADER *rh = mem_calloc(1, sizeof(*rh));

    rh->flags = flags;
    rh->fn = fn;
    rh->context = context;
    rh->field = buf_new(256);
    rh->out = buf_new(256);
    rh->in_headers = 1;
    rh->limit = (size_t) config_int(P_HEADER_SIZE_LIMIT);
    return (rh);
}

/* rewrite_header_flush - the collected field, rewritten, to fn. */

static int rewrite_header_flush(REWRITE_HEADER *rh)
{
    int     status;

    if (rh->field->len == 0)
        return (0);
    buf_reset(rh->out);
    if (rewrite_header_field(rh->field->data, rh->field->len, rh->flags, rh->out) < 0)
        rh->error = 1;
    status = rh->fn(rh->context, rh->out->data, rh->out->len);
    buf_reset(rh->field);
    return (status);
}

/* rewrite_header_is_field - does a line start a header field ("name:")? */

static int rewrite_header_is_field(const char *data, size_t len)
{
    size_t  n = 0;

    while (n < len && data[n] > ' ' && data[n] < 127 && data[n] != ':')
        n++;
    return (n > 0 && n < len && data[n] == ':');
}

int     rewrite_header_line(REWRITE_HEADER *rh, const char *data, size_t len, int partial)
{
    int     continued = rh->mid_line;

    rh->mid_line = partial;
    if (!rh->in_headers)
        return (rh->fn(rh->context, data, len) < 0
                || (!partial && rh->fn(rh->context, "\n", 1) < 0) ? -1 : 0);
    if (!continued && !(len > 0 && (data[0] == ' ' || data[0] == '\t'))) {
        if (rewrite_header_flush(rh) < 0)
            return (-1);
        if (!rewrite_header_is_field(data, len)) {
            /* The body starts here (the empty line, or no header at all). */
            rh->in_headers = 0;
            rh->mid_line = 0;
            return (rewrite_header_line(rh, data, len, partial));
        }
    }
    buf_append(rh->field, data, len);
    if (!partial)
        buf_putc(rh->field, '\n');
    if (rh->field->len > rh->limit) {
        /* Too long to be a header we rewrite: out as it is, and the rest. */
        if (rh->fn(rh->context, rh->field->data, rh->field->len) < 0)
            return (-1);
        buf_reset(rh->field);
        rh->in_headers = 0;
    }
    return (0);
}

int     rewrite_header_end(REWRITE_HEADER *rh)
{
    return (rh->in_headers ? rewrite_header_flush(rh) : 0);
}

int     rewrite_header_error(const REWRITE_HEADER *rh)
{
    return (rh->error);
}

void    rewrite_header_free(REWRITE_HEADER **rhp)
{
    if (*rhp) {
        buf_free(&(*rhp)->field);
        buf_free(&(*rhp)->out);
        mem_free(*rhp);
        *rhp = 0;
    }
}
