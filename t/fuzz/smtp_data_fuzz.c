/* NAME
 *	smtp_data_fuzz 1
 * SUMMARY
 *	libFuzzer target for the smtp_data(3) DATA reader
 * DESCRIPTION
 *	The first four bytes choose the settings (a small line_limit so
 *	that long lines are common, a small size_limit or none, the bare
 *	LF mode, and which callback call, if any, says stop); the rest is
 *	what a client sends after "354".
 *
 *	The input is fed whole, one byte at a time, and in pieces of
 *	random sizes (empty ones too) drawn from a generator seeded with
 *	the input; all of them must give the same calls, result, used
 *	count, size and bare LF flag (a differential check: how input is
 *	split must not matter). The whole-buffer run is also checked
 *	against a reference written the other way round, line by line over
 *	the complete text: the end of data is the first <CR><LF>.<CR><LF>
 *	(the DATA command's CRLF counts), pieces are line_limit bytes, and
 *	so on. Any difference is an abort().
 *
 *	build/fuzz/smtp_data_fuzz -max_total_time=60 (make fuzz builds it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "smtp_data.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "smtp_data_fuzz: check failed: %s\n", #cond); \
            abort(); \
        } \
    } while (0)

typedef struct FUZZ_CFG {
    size_t  line_limit;
    size_t  size_limit;
    int     bare_lf;
    int     stop_at;
} FUZZ_CFG;

typedef struct FUZZ_RUN {
    BUF    *calls;                      /* "len P|L bytes" per call */
    int     ncalls;
    int     stop_at;
    size_t  line_limit;
    int     result;
    size_t  used;
    size_t  size;
    int     bare_lf;
} FUZZ_RUN;

static int fuzz_collect(const char *data, size_t len, int partial, void *context)
{
    FUZZ_RUN *run = context;

    /* A piece is exactly line_limit bytes; a line at most that. */
    FUZZ_CHECK(partial ? len == run->line_limit : len <= run->line_limit);
    buf_printf(run->calls, "%zu%c", len, partial ? 'P' : 'L');
    buf_append(run->calls, data, len);
    return (++run->ncalls == run->stop_at ? -1 : 0);
}

static uint64_t fuzz_next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (*state);
}

/*
 * fuzz_run - feed the text in pieces: step 0 whole, 1 byte by byte,
 * else random sizes up to step bytes from the generator in *seed.
 */
static void fuzz_run(const FUZZ_CFG *cfg, const char *text, size_t len,
                     size_t step, uint64_t *seed, FUZZ_RUN *run)
{
    SMTP_DATA *r;
    size_t  pos = 0;
    size_t  piece;
    size_t  used;
    int     status = SMTP_DATA_MORE;

    run->calls = buf_new(64);
    run->ncalls = 0;
    run->stop_at = cfg->stop_at;
    run->line_limit = cfg->line_limit;
    run->used = 0;
    r = smtp_data_new(cfg->line_limit, cfg->size_limit, cfg->bare_lf, fuzz_collect, run);
    while (status == SMTP_DATA_MORE && pos < len) {
        if (step == 0)
            piece = len - pos;
        else if (step == 1)
            piece = 1;
        else
            piece = (size_t) (fuzz_next(seed) % (step + 1));
        if (piece > len - pos)
            piece = len - pos;
        status = smtp_data_feed(r, text + pos, piece, &used);
        FUZZ_CHECK(used <= piece);
        FUZZ_CHECK(status != SMTP_DATA_MORE || used == piece);
        FUZZ_CHECK(status == SMTP_DATA_MORE || used > 0);
        run->used += used;
        pos += piece;
    }
    if (status != SMTP_DATA_MORE) {
        /* The end is final: nothing more is used or passed on. */
        int     ncalls = run->ncalls;

        FUZZ_CHECK(smtp_data_feed(r, "x\r\n.\r\n", 6, &used) == status && used == 0);
        FUZZ_CHECK(run->ncalls == ncalls);
    }
    run->result = status;
    run->size = smtp_data_size(r);
    run->bare_lf = smtp_data_saw_bare_lf(r);
    smtp_data_free(&r);
}

static void fuzz_same(const FUZZ_RUN *a, const FUZZ_RUN *b)
{
    FUZZ_CHECK(a->result == b->result);
    FUZZ_CHECK(a->used == b->used);
    FUZZ_CHECK(a->size == b->size);
    FUZZ_CHECK(a->bare_lf == b->bare_lf);
    FUZZ_CHECK(a->ncalls == b->ncalls);
    FUZZ_CHECK(a->calls->len == b->calls->len
               && memcmp(a->calls->data, b->calls->data, a->calls->len) == 0);
}

/* The reference: what the reader must do, computed line by line. */

typedef struct FUZZ_REF {
    const FUZZ_CFG *cfg;
    FUZZ_RUN *run;
    char   *line;
    size_t  line_len;
    int     stopped;
    int     result;
} FUZZ_REF;

#define FUZZ_REF_DELIVERING(f) (!(f)->stopped && (f)->result == SMTP_DATA_DONE)

static void fuzz_ref_refuse(FUZZ_REF *f, int why)
{
    if (f->result == SMTP_DATA_DONE)
        f->result = why;
    f->line_len = 0;
}

static void fuzz_ref_emit(FUZZ_REF *f, int partial)
{
    if (FUZZ_REF_DELIVERING(f)
        && fuzz_collect(f->line, f->line_len, partial, f->run) < 0)
        f->stopped = 1;
    f->line_len = 0;
}

static void fuzz_ref_count(FUZZ_REF *f)
{
    f->run->size++;
    if (f->cfg->size_limit && f->run->size > f->cfg->size_limit)
        fuzz_ref_refuse(f, SMTP_DATA_TOO_BIG);
}

static void fuzz_ref_bytes(FUZZ_REF *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (FUZZ_REF_DELIVERING(f) && f->line_len == f->cfg->line_limit)
            fuzz_ref_emit(f, 1);
        fuzz_ref_count(f);
        if (FUZZ_REF_DELIVERING(f))
            f->line[f->line_len++] = p[i];
    }
}

static void fuzz_reference(const FUZZ_CFG *cfg, const char *text, size_t len,
                           FUZZ_RUN *run)
{
    FUZZ_REF f = {cfg, run, malloc(cfg->line_limit), 0, 0, SMTP_DATA_DONE};
    size_t  pos = 0;
    int     prev_crlf = 1;
    const char *lf;
    const char *line;
    size_t  n;
    int     crlf;

    run->calls = buf_new(64);
    run->ncalls = 0;
    run->stop_at = cfg->stop_at;
    run->line_limit = cfg->line_limit;
    run->size = 0;
    run->bare_lf = 0;
    run->result = SMTP_DATA_MORE;
    run->used = len;
    while ((lf = memchr(text + pos, '\n', len - pos)) != 0) {
        line = text + pos;
        n = (size_t) (lf - line);
        crlf = n > 0 && line[n - 1] == '\r';
        if (crlf)
            n--;
        pos = (size_t) (lf - text) + 1;
        if (n == 1 && line[0] == '.' && crlf && prev_crlf) {
            run->result = f.result;
            run->used = pos;
            break;
        }
        if (n > 1 && line[0] == '.') {
            line++;
            n--;
        }
        fuzz_ref_bytes(&f, line, n);
        if (!crlf) {
            run->bare_lf = 1;
            if (cfg->bare_lf == SMTP_DATA_BARE_LF_REJECT)
                fuzz_ref_refuse(&f, SMTP_DATA_BARE_LF);
        }
        fuzz_ref_count(&f);
        fuzz_ref_emit(&f, 0);
        prev_crlf = crlf;
    }
    if (lf == 0) {
        /*
         * An unfinished line: a final CR is undecided, and so is a "."
         * alone; a "." with more after it is stuffing.
         */
        line = text + pos;
        n = len - pos;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n > 0 && line[0] == '.') {
            line++;
            n--;
        }
        fuzz_ref_bytes(&f, line, n);
    }
    free(f.line);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_CFG cfg;
    FUZZ_RUN whole;
    FUZZ_RUN other;
    const char *text = (const char *) data + 4;
    size_t  len;
    uint64_t seed = 14695981039346656037ULL;

    if (size < 4)
        return (0);
    len = size - 4;
    cfg.line_limit = 1 + data[0] % 16;
    cfg.size_limit = data[1] < 128 ? 0 : (size_t) (data[1] - 127);
    cfg.bare_lf = data[2] % 3;
    cfg.stop_at = data[3] < 224 ? 0 : data[3] - 223;
    for (size_t i = 0; i < size; i++)
        seed = (seed ^ data[i]) * 1099511628211ULL;
    seed |= 1;

    fuzz_run(&cfg, text, len, 0, &seed, &whole);

    fuzz_reference(&cfg, text, len, &other);
    fuzz_same(&whole, &other);
    buf_free(&other.calls);

    fuzz_run(&cfg, text, len, 1, &seed, &other);
    fuzz_same(&whole, &other);
    buf_free(&other.calls);

    for (size_t step = 2; step <= 2 * cfg.line_limit + 4; step += cfg.line_limit + 1) {
        fuzz_run(&cfg, text, len, step, &seed, &other);
        fuzz_same(&whole, &other);
        buf_free(&other.calls);
    }
    buf_free(&whole.calls);
    return (0);
}
