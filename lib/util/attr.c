/* NAME
 *	attr 3
 * SUMMARY
 *	the IPC codec: attribute lists over UNIX-domain stream sockets
 * DESCRIPTION
 *	An ATTR is an array of (name, value) entries in arrival order;
 *	lookups are linear, which is cheap for the few attributes a request
 *	has and keeps the order of the wire.
 *
 *	The decoder is a byte-driven state machine over the netstring
 *	grammar in attr.h. It checks each length against the limits when its
 *	':' arrives and only then allocates, so memory follows what the
 *	limits allow, not what the peer claims. It builds the message in a
 *	private ATTR and hands it over only when the end marker is in, so
 *	the caller's ATTR never holds half a message.
 *
 *	attr_read() never asks the stream for more bytes than the decoder
 *	can use (attr_decoder_want()), so it cannot swallow the start of the
 *	next message. It waits for input itself, with poll(2) against one
 *	deadline for the whole message: the stream's own deadline is per
 *	call, and a peer sending one byte per call would stretch that
 *	without end.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"

const ATTR_LIMITS attr_limits_default = {
    ATTR_DEF_VALUE_MAX, ATTR_DEF_TOTAL_MAX, ATTR_DEF_COUNT_MAX,
};

typedef struct ATTR_ENTRY {
    char   *name;
    char   *value;                      /* len bytes and a NUL */
    size_t  len;
} ATTR_ENTRY;

struct ATTR {
    ATTR_ENTRY *entries;
    size_t  count;
    size_t  cap;
};

/* Decoder states: where in "<len>:<name>,<len>:<value>," ... "0:," we are. */
#define AD_NAME_LEN     0               /* digits of a name length */
#define AD_NAME         1               /* bytes of a name */
#define AD_NAME_END     2               /* the ',' after a name */
#define AD_VALUE_LEN    3               /* digits of a value length */
#define AD_VALUE        4               /* bytes of a value */
#define AD_VALUE_END    5               /* the ',' after a value */
#define AD_LAST_END     6               /* the ',' of the end marker "0:," */
#define AD_FAILED       7               /* sticky error in d->error */

struct ATTR_DECODER {
    ATTR_LIMITS limits;
    int     state;
    int     error;                      /* when state is AD_FAILED */
    uint64_t num;                       /* length being read */
    int     digits;                     /* digits of it so far */
    size_t  total;                      /* bytes of this message so far */
    size_t  need;                       /* name/value bytes still to come */
    char    name[ATTR_NAME_MAX + 1];
    size_t  name_len;
    char   *value;                      /* value being filled */
    size_t  value_len;
    ATTR   *msg;                        /* message being built */
};

/* attr_name_char - the bytes allowed in a name, locale-independent. */

static int attr_name_char(int ch)
{
    return ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-');
}

static int attr_name_ok(const char *name)
{
    size_t  len = strlen(name);

    if (len == 0 || len > ATTR_NAME_MAX)
        return (0);
    for (const char *cp = name; *cp; cp++)
        if (!attr_name_char((unsigned char) *cp))
            return (0);
    return (1);
}

static const ATTR_ENTRY *attr_find(const ATTR *a, const char *name)
{
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->entries[i].name, name) == 0)
            return (a->entries + i);
    return (0);
}

ATTR   *attr_new(void)
{
    return (mem_calloc(1, sizeof(ATTR)));
}

void    attr_reset(ATTR *a)
{
    for (size_t i = 0; i < a->count; i++) {
        mem_free(a->entries[i].name);
        mem_free(a->entries[i].value);
    }
    a->count = 0;
}

void    attr_free(ATTR **ap)
{
    if (*ap) {
        attr_reset(*ap);
        mem_free((*ap)->entries);
        mem_free(*ap);
        *ap = 0;
    }
}

/* attr_append - add an entry that takes over value (len bytes + NUL). */

static void attr_append(ATTR *a, const char *name, char *value, size_t len)
{
    if (a->count == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->entries = mem_realloc(a->entries, a->cap * sizeof(*a->entries));
    }
    a->entries[a->count].name = mem_strdup(name);
    a->entries[a->count].value = value;
    a->entries[a->count].len = len;
    a->count++;
}

void    attr_add_data(ATTR *a, const char *name, const void *data, size_t len)
{
    char   *value;

    /* What we send must be what attr_read() accepts. */
    if (!attr_name_ok(name))
        msg_panic("attr_add: invalid attribute name \"%.80s\"", name);
    if (attr_find(a, name))
        msg_panic("attr_add: duplicate attribute \"%s\"", name);
    value = mem_alloc(len + 1);
    if (len)
        memcpy(value, data, len);
    value[len] = 0;
    attr_append(a, name, value, len);
}

void    attr_add_str(ATTR *a, const char *name, const char *value)
{
    attr_add_data(a, name, value, strlen(value));
}

void    attr_add_int(ATTR *a, const char *name, long value)
{
    char    text[32];
    int     n = snprintf(text, sizeof(text), "%ld", value);

    attr_add_data(a, name, text, (size_t) n);
}

const void *attr_get_data(const ATTR *a, const char *name, size_t *len_r)
{
    const ATTR_ENTRY *e = attr_find(a, name);

    if (e == 0)
        return (0);
    if (len_r)
        *len_r = e->len;
    return (e->value);
}

const char *attr_get_str(const ATTR *a, const char *name)
{
    const ATTR_ENTRY *e = attr_find(a, name);

    if (e == 0 || memchr(e->value, 0, e->len) != 0)
        return (0);
    return (e->value);
}

/*
 * attr_get_int - strict decimal: an optional '-' and digits, nothing else
 * (strtol alone would take blanks, '+' and trailing junk).
 */
int     attr_get_int(const ATTR *a, const char *name, long *value_r)
{
    const char *text = attr_get_str(a, name);
    const char *digits;
    char   *end;
    long    value;

    if (text == 0)
        return (-1);
    digits = text + (*text == '-');
    if (*digits < '0' || *digits > '9')
        return (-1);
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno == ERANGE || *end != 0)
        return (-1);
    *value_r = value;
    return (0);
}

size_t  attr_count(const ATTR *a)
{
    return (a->count);
}

const char *attr_name(const ATTR *a, size_t i)
{
    if (i >= a->count)
        msg_panic("attr_name: index %zu of %zu", i, a->count);
    return (a->entries[i].name);
}

/* attr_write_netstring - one "<len>:<data>," */

static void attr_write_netstring(STREAM *s, const char *data, size_t len)
{
    (void) stream_printf(s, "%zu:", len);
    (void) stream_write(s, data, len);
    (void) stream_write(s, ",", 1);
}

int     attr_write(STREAM *s, const ATTR *a)
{
    for (size_t i = 0; i < a->count; i++) {
        attr_write_netstring(s, a->entries[i].name,
                             strlen(a->entries[i].name));
        attr_write_netstring(s, a->entries[i].value, a->entries[i].len);
    }
    (void) stream_write(s, "0:,", 3);
    /* The stream keeps the first write error; flush reports it. */
    return (stream_flush(s));
}

/* attr_decoder_init - ready for the first byte of a message. */

static void attr_decoder_init(ATTR_DECODER *d, const ATTR_LIMITS *limits)
{
    memset(d, 0, sizeof(*d));
    d->limits = limits ? *limits : attr_limits_default;
    d->state = AD_NAME_LEN;
    d->msg = attr_new();
}

static void attr_decoder_clear(ATTR_DECODER *d)
{
    mem_free(d->value);
    d->value = 0;
    attr_free(&d->msg);
}

ATTR_DECODER *attr_decoder_new(const ATTR_LIMITS *limits)
{
    ATTR_DECODER *d = mem_alloc(sizeof(*d));

    attr_decoder_init(d, limits);
    return (d);
}

void    attr_decoder_free(ATTR_DECODER **dp)
{
    if (*dp) {
        attr_decoder_clear(*dp);
        mem_free(*dp);
        *dp = 0;
    }
}

int     attr_decoder_pending(const ATTR_DECODER *d)
{
    return (d->total > 0);
}

/*
 * attr_decoder_want - how many more bytes certainly belong to this
 * message: the rest of a name or value and its ','. Elsewhere only one,
 * since a length may end at any digit.
 */
static size_t attr_decoder_want(const ATTR_DECODER *d)
{
    if (d->state == AD_NAME || d->state == AD_VALUE)
        return (d->need + 1);
    return (1);
}

static int attr_decoder_fail(ATTR_DECODER *d, int error)
{
    d->state = AD_FAILED;
    d->error = error;
    mem_free(d->value);
    d->value = 0;
    attr_reset(d->msg);
    return (error);
}

/*
 * attr_decoder_length - a length is complete (its ':' arrived). Check it
 * against the grammar and the limits before anything is allocated.
 */
static int attr_decoder_length(ATTR_DECODER *d)
{
    uint64_t len = d->num;
    int     digits = d->digits;

    /* Room for the data and its ','; total never exceeds total_max. */
    int     too_big = len >= d->limits.total_max - d->total;

    d->num = 0;
    d->digits = 0;
    if (digits == 0)
        return (ATTR_MALFORMED);
    if (d->state == AD_NAME_LEN) {
        if (len == 0) {
            d->state = AD_LAST_END;
            return (ATTR_OK);
        }
        if (len > ATTR_NAME_MAX)
            return (ATTR_MALFORMED);
        if (d->msg->count >= d->limits.count_max || too_big)
            return (ATTR_TOOBIG);
        d->need = d->name_len = (size_t) len;
        d->state = AD_NAME;
    } else {
        if (len > d->limits.value_max || too_big)
            return (ATTR_TOOBIG);
        d->need = d->value_len = (size_t) len;
        d->value = mem_alloc(d->value_len + 1);
        d->state = d->need ? AD_VALUE : AD_VALUE_END;
    }
    return (ATTR_OK);
}

/* attr_decoder_digit - one byte of a length: a digit or the ':'. */

static int attr_decoder_digit(ATTR_DECODER *d, int ch)
{
    if (ch == ':')
        return (attr_decoder_length(d));
    if (ch < '0' || ch > '9')
        return (ATTR_MALFORMED);
    /* No leading zeros: "0" is the only length that starts with 0. */
    if (d->digits == ATTR_LEN_DIGITS || (d->digits == 1 && d->num == 0))
        return (ATTR_MALFORMED);
    d->num = d->num * 10 + (uint64_t) (ch - '0');
    d->digits++;
    return (ATTR_OK);
}

/* attr_decoder_comma - the ',' that ends a name or a value. */

static int attr_decoder_comma(ATTR_DECODER *d, int ch)
{
    if (ch != ',')
        return (ATTR_MALFORMED);
    if (d->state == AD_NAME_END) {
        d->name[d->name_len] = 0;
        if (attr_find(d->msg, d->name))
            return (ATTR_MALFORMED);
        d->state = AD_VALUE_LEN;
    } else {
        d->value[d->value_len] = 0;
        attr_append(d->msg, d->name, d->value, d->value_len);
        d->value = 0;
        d->state = AD_NAME_LEN;
    }
    return (ATTR_OK);
}

/* attr_decoder_done - end marker in: hand over the message, keep storage. */

static void attr_decoder_done(ATTR_DECODER *d, ATTR *out)
{
    ATTR    swap;

    attr_reset(out);
    swap = *out;
    *out = *d->msg;
    *d->msg = swap;
    d->state = AD_NAME_LEN;
    d->total = 0;
}

int     attr_decoder_feed(ATTR_DECODER *d, const char *data, size_t len,
                          size_t *used_r, ATTR *out)
{
    size_t  pos = 0;
    size_t  take;
    int     status = ATTR_OK;
    int     ch;

    if (used_r)
        *used_r = 0;
    if (d->state == AD_FAILED)
        return (d->error);
    while (pos < len) {
        if (d->state == AD_VALUE) {
            /* Bulk copy; the length check made room in total_max. */
            take = len - pos < d->need ? len - pos : d->need;
            memcpy(d->value + (d->value_len - d->need), data + pos, take);
            d->need -= take;
            d->total += take;
            pos += take;
            if (d->need == 0)
                d->state = AD_VALUE_END;
            continue;
        }
        ch = (unsigned char) data[pos++];
        if (++d->total > d->limits.total_max) {
            status = ATTR_TOOBIG;
        } else if (d->state == AD_NAME_LEN || d->state == AD_VALUE_LEN) {
            status = attr_decoder_digit(d, ch);
        } else if (d->state == AD_NAME) {
            if (!attr_name_char(ch)) {
                status = ATTR_MALFORMED;
            } else {
                d->name[d->name_len - d->need] = (char) ch;
                if (--d->need == 0)
                    d->state = AD_NAME_END;
            }
        } else if (d->state != AD_LAST_END) {
            status = attr_decoder_comma(d, ch);
        } else if (ch != ',') {
            status = ATTR_MALFORMED;
        } else {
            attr_decoder_done(d, out);
            if (used_r)
                *used_r = pos;
            return (ATTR_OK);
        }
        if (status != ATTR_OK) {
            if (used_r)
                *used_r = pos;
            return (attr_decoder_fail(d, status));
        }
    }
    if (used_r)
        *used_r = pos;
    return (ATTR_NEED_MORE);
}

static long attr_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * attr_wait - wait until the stream's descriptor has input (or EOF or an
 * error, which the next read reports), or the deadline (-1: none).
 */
static int attr_wait(STREAM *s, long deadline)
{
    struct pollfd pfd;
    int     wait_ms = -1;
    int     n;

    for (;;) {
        if (deadline >= 0) {
            long    left = deadline - attr_now_ms();

            if (left <= 0)
                return (ATTR_TIMEOUT);
            wait_ms = left > INT_MAX ? INT_MAX : (int) left;
        }
        pfd.fd = stream_fd(s);
        pfd.events = POLLIN;
        pfd.revents = 0;
        if ((n = poll(&pfd, 1, wait_ms)) > 0)
            return (ATTR_OK);
        if (n == 0)
            return (ATTR_TIMEOUT);
        if (errno != EINTR)
            return (ATTR_IOERR);
    }
}

int     attr_read(STREAM *s, ATTR *a, const ATTR_LIMITS *limits)
{
    ATTR_DECODER d;
    char    chunk[4096];
    long    deadline = -1;
    size_t  take;
    size_t  avail;
    int     status;

    if (stream_timeout(s) > 0)
        deadline = attr_now_ms() + stream_timeout(s) * 1000L;
    attr_decoder_init(&d, limits);
    do {
        if ((avail = stream_buffered(s)) == 0) {
            if ((status = attr_wait(s, deadline)) != ATTR_OK)
                break;
            /* Input is ready: one byte makes the stream buffer the rest. */
            take = 1;
        } else {
            take = attr_decoder_want(&d);
            if (take > avail)
                take = avail;
            if (take > sizeof(chunk))
                take = sizeof(chunk);
        }
        if ((status = stream_read_exact(s, chunk, take)) != STREAM_OK) {
            if (status == STREAM_EOF && attr_decoder_pending(&d))
                status = ATTR_MALFORMED;
            else if (status != STREAM_EOF && status != STREAM_TIMEOUT)
                status = ATTR_IOERR;
            break;
        }
        status = attr_decoder_feed(&d, chunk, take, (size_t *) 0, a);
    } while (status == ATTR_NEED_MORE);
    attr_decoder_clear(&d);
    return (status);
}

int     attr_announce(STREAM *s, const char *protocol)
{
    ATTR   *a = attr_new();
    int     status;

    attr_add_str(a, ATTR_PROTOCOL, protocol);
    status = attr_write(s, a);
    attr_free(&a);
    return (status);
}

/* attr_printable - a peer's text, cut and made safe for one log line. */

static const char *attr_printable(const char *text, char *buf, size_t size)
{
    size_t  i;

    for (i = 0; text[i] && i + 1 < size; i++)
        buf[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
    buf[i] = 0;
    return (buf);
}

int     attr_expect(STREAM *s, const char *protocol, const ATTR_LIMITS *limits)
{
    ATTR   *a = attr_new();
    const char *got;
    char    safe[80];
    int     status;

    if ((status = attr_read(s, a, limits)) == ATTR_OK) {
        if ((got = attr_get_str(a, ATTR_PROTOCOL)) == 0) {
            msg_warn("protocol mismatch: expected \"%s\", got no protocol",
                     protocol);
            status = ATTR_MALFORMED;
        } else if (strcmp(got, protocol) != 0) {
            msg_warn("protocol mismatch: expected \"%s\", got \"%s\"",
                     protocol, attr_printable(got, safe, sizeof(safe)));
            status = ATTR_MALFORMED;
        }
    }
    attr_free(&a);
    return (status);
}

const char *attr_strerror(int status)
{
    switch (status) {
    case ATTR_OK:
        return ("success");
    case ATTR_NEED_MORE:
        return ("incomplete message");
    case ATTR_EOF:
        return ("end of input");
    case ATTR_IOERR:
        return ("I/O error");
    case ATTR_TIMEOUT:
        return ("timeout");
    case ATTR_MALFORMED:
        return ("malformed message");
    case ATTR_TOOBIG:
        return ("message exceeds limits");
    default:
        return ("unknown error");
    }
}
