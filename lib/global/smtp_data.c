/* NAME
 *	smtp_data 3
 * SUMMARY
 *	incremental reader for SMTP DATA content (RFC 5321 4.1.1.4, 4.5.2)
 * DESCRIPTION
 *	A state machine over single bytes, so that how the input is split
 *	into pieces can never change what it does. The states say where in
 *	a line the last byte left the reader: at the start of a line, after
 *	a "." there, after ".<CR>" there, inside a line, or after a <CR>
 *	inside a line (a <CR> means nothing until the next byte says
 *	whether it ends the line or is content). Runs of ordinary bytes
 *	inside a line are copied in one go; that is only a shortcut, and
 *	it does byte for byte what the single-byte path does.
 *
 *	RFC 5321 4.1.1.4: the end of data is <CRLF>.<CRLF>, where the first
 *	<CRLF> ends the last line of content (or the DATA command). The
 *	reader ends data on exactly that byte sequence: the "." line must
 *	end in CRLF and so must the line before it, so a "." next to a bare
 *	LF is an ordinary content line (CVE-2023-51764).
 *
 *	RFC 5321 4.5.2: a line that starts with "." and has more characters
 *	loses that first "."; a lone "." line that is not the end of data
 *	(see above) is passed on as it is.
 *
 *	Lines are collected in a buffer of line_limit bytes and passed on
 *	when they end; a byte that finds the buffer full first sends the
 *	buffer on as a partial line. A line of exactly line_limit bytes is
 *	therefore one piece, and a piece never ends before a byte that
 *	follows it is known to be content.
 *
 *	The size is counted as if every line were stored with a LF: content
 *	bytes after unstuffing plus one per line end, whether or not they
 *	are passed on, so it does not depend on what was refused. A byte or
 *	line end that would take the size over size_limit stops delivery
 *	(what is still buffered is dropped); so does a bare LF in REJECT
 *	mode; the first of the two decides the result. A callback that
 *	returns -1 stops only the calls to it.
 */
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "smtp_data.h"

/* Where the last byte left the reader. */
#define SMTP_DATA_S_BOL     0           /* at the start of a line */
#define SMTP_DATA_S_DOT     1           /* "." at the start of a line */
#define SMTP_DATA_S_DOT_CR  2           /* ".<CR>" at the start of a line */
#define SMTP_DATA_S_LINE    3           /* inside a line */
#define SMTP_DATA_S_CR      4           /* <CR> inside a line */
#define SMTP_DATA_S_END     5           /* end of data seen */

struct SMTP_DATA {
    size_t  line_limit;                 /* longest piece passed on */
    size_t  size_limit;                 /* 0: no limit */
    int     bare_lf;                    /* SMTP_DATA_BARE_LF_* */
    SMTP_DATA_FN fn;
    void   *context;
    char   *line;                       /* line_limit bytes */
    size_t  line_len;                   /* bytes in line */
    size_t  size;                       /* see smtp_data_size() */
    int     state;                      /* SMTP_DATA_S_* */
    int     prev_crlf;                  /* last line ended in CRLF */
    int     saw_bare_lf;                /* any bare LF so far */
    int     stopped;                    /* the callback said stop */
    int     result;                     /* SMTP_DATA_DONE or why not */
};

#define SMTP_DATA_DELIVERING(r) \
    (!(r)->stopped && (r)->result == SMTP_DATA_DONE)

SMTP_DATA *smtp_data_new(size_t line_limit, size_t size_limit, int bare_lf,
                         SMTP_DATA_FN fn, void *context)
{
    SMTP_DATA *r;

    if (line_limit == 0)
        msg_panic("smtp_data_new: line_limit must be positive");
    if (bare_lf != SMTP_DATA_BARE_LF_NORMALIZE
        && bare_lf != SMTP_DATA_BARE_LF_REJECT
        && bare_lf != SMTP_DATA_BARE_LF_ALLOW)
        msg_panic("smtp_data_new: bad bare_lf mode %d", bare_lf);
    r = mem_alloc(sizeof(*r));
    r->line_limit = line_limit;
    r->size_limit = size_limit;
    r->bare_lf = bare_lf;
    r->fn = fn;
    r->context = context;
    r->line = mem_alloc(line_limit);
    r->line_len = 0;
    r->size = 0;
    /* The DATA command line counts as ended with CRLF. */
    r->state = SMTP_DATA_S_BOL;
    r->prev_crlf = 1;
    r->saw_bare_lf = 0;
    r->stopped = 0;
    r->result = SMTP_DATA_DONE;
    return (r);
}

void    smtp_data_free(SMTP_DATA **readerp)
{
    if (*readerp) {
        mem_free((*readerp)->line);
        mem_free(*readerp);
        *readerp = 0;
    }
}

size_t  smtp_data_size(const SMTP_DATA *reader)
{
    return (reader->size);
}

int     smtp_data_saw_bare_lf(const SMTP_DATA *reader)
{
    return (reader->saw_bare_lf);
}

/* smtp_data_refuse - pass nothing more on, and say why at the end. */

static void smtp_data_refuse(SMTP_DATA *r, int why)
{
    if (r->result == SMTP_DATA_DONE)
        r->result = why;
    r->line_len = 0;
}

/* smtp_data_count - add to the size; the first byte over the limit stops. */

static void smtp_data_count(SMTP_DATA *r, size_t n)
{
    r->size = n > (size_t) -1 - r->size ? (size_t) -1 : r->size + n;
    if (r->size_limit > 0 && r->size > r->size_limit)
        smtp_data_refuse(r, SMTP_DATA_TOO_BIG);
}

/* smtp_data_flush - pass on what is buffered (the rest of a line or not). */

static void smtp_data_flush(SMTP_DATA *r, int partial)
{
    if (SMTP_DATA_DELIVERING(r)
        && r->fn(r->line, r->line_len, partial, r->context) < 0)
        r->stopped = 1;
    r->line_len = 0;
}

/*
 * smtp_data_content - n content bytes of the current line. Per byte: a
 * full buffer goes out as a partial line, then the byte is counted, then
 * buffered unless it took the size over the limit.
 */
static void smtp_data_content(SMTP_DATA *r, const char *p, size_t n)
{
    size_t  k;

    while (n > 0) {
        if (!SMTP_DATA_DELIVERING(r)) {
            smtp_data_count(r, n);
            return;
        }
        if (r->line_len == r->line_limit) {
            smtp_data_flush(r, 1);
            continue;
        }
        k = r->line_limit - r->line_len;
        if (k > n)
            k = n;
        /* Delivering, so size <= size_limit. */
        if (r->size_limit > 0 && k > r->size_limit - r->size) {
            k = r->size_limit - r->size;
            if (k == 0) {
                smtp_data_count(r, 1);
                p++;
                n--;
                continue;
            }
        }
        memcpy(r->line + r->line_len, p, k);
        r->line_len += k;
        smtp_data_count(r, k);
        p += k;
        n -= k;
    }
}

/* smtp_data_line_end - the current line ends (CRLF or bare LF). */

static void smtp_data_line_end(SMTP_DATA *r, int crlf)
{
    if (!crlf) {
        r->saw_bare_lf = 1;
        if (r->bare_lf == SMTP_DATA_BARE_LF_REJECT)
            smtp_data_refuse(r, SMTP_DATA_BARE_LF);
    }
    smtp_data_count(r, 1);
    smtp_data_flush(r, 0);
    r->prev_crlf = crlf;
    r->state = SMTP_DATA_S_BOL;
}

int     smtp_data_feed(SMTP_DATA *r, const char *data, size_t len,
                       size_t *used_r)
{
    const char *p;
    const char *end;
    const char *run;
    int     ch;

    if (r->state == SMTP_DATA_S_END || len == 0) {
        *used_r = 0;
        return (r->state == SMTP_DATA_S_END ? r->result : SMTP_DATA_MORE);
    }
    p = data;
    end = data + len;
    while (p < end) {
        ch = (unsigned char) *p++;
        switch (r->state) {
        case SMTP_DATA_S_BOL:
            if (ch == '.') {
                r->state = SMTP_DATA_S_DOT;
            } else if (ch == '\r') {
                r->state = SMTP_DATA_S_CR;
            } else if (ch == '\n') {
                smtp_data_line_end(r, 0);
            } else {
                r->state = SMTP_DATA_S_LINE;
                p--;
            }
            break;
        case SMTP_DATA_S_DOT:
            if (ch == '\r') {
                r->state = SMTP_DATA_S_DOT_CR;
            } else if (ch == '\n') {
                /* ".<LF>" never ends data: a content line "." */
                smtp_data_content(r, ".", 1);
                smtp_data_line_end(r, 0);
            } else {
                /* RFC 5321 4.5.2: drop the stuffed dot. */
                r->state = SMTP_DATA_S_LINE;
                p--;
            }
            break;
        case SMTP_DATA_S_DOT_CR:
            if (ch == '\n' && r->prev_crlf) {
                /* RFC 5321 4.1.1.4: <CRLF>.<CRLF> */
                r->state = SMTP_DATA_S_END;
                *used_r = (size_t) (p - data);
                return (r->result);
            } else if (ch == '\n') {
                /* "." after a bare LF: content, so nothing is smuggled. */
                smtp_data_content(r, ".", 1);
                smtp_data_line_end(r, 1);
            } else {
                /* RFC 5321 4.5.2: ".<CR>x": drop the dot; bare CR is content. */
                smtp_data_content(r, "\r", 1);
                r->state = SMTP_DATA_S_LINE;
                p--;
            }
            break;
        case SMTP_DATA_S_LINE:
            if (ch == '\r') {
                r->state = SMTP_DATA_S_CR;
            } else if (ch == '\n') {
                smtp_data_line_end(r, 0);
            } else {
                for (run = p - 1; p < end && *p != '\r' && *p != '\n'; p++)
                     /* void */ ;
                smtp_data_content(r, run, (size_t) (p - run));
            }
            break;
        case SMTP_DATA_S_CR:
            if (ch == '\n') {
                smtp_data_line_end(r, 1);
            } else {
                /* Bare CR is content. */
                smtp_data_content(r, "\r", 1);
                r->state = SMTP_DATA_S_LINE;
                p--;
            }
            break;
        default:
            msg_panic("smtp_data_feed: bad state %d", r->state);
        }
    }
    *used_r = len;
    return (SMTP_DATA_MORE);
}
