/* NAME
 *	master_cf 3
 * SUMMARY
 *	master.cf reader
 * DESCRIPTION
 *	Logical lines come from logical_line(3); each is split at
 *	whitespace into columns and validated. master_cf_format() prints an
 *	entry in the aligned layout of "postconf -M".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "logical_line.h"
#include "master_cf.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"

#define MASTER_CF_LINE_LIMIT (1024 * 1024)
#define MASTER_CF_FOLD_LIMIT 80         /* postconf -Mf line width */
#define MASTER_CF_INDENT 4              /* folded lines start with 4 blanks */

static const char *master_cf_types[] = {
    "inet", "unix", "unix-dgram", "fifo", "pass", 0,
};

/* master_cf_report - one error: fatal, or logged and counted. */

static void master_cf_report(MASTER_CF *cf, BUF *text)
{
    if (cf->flags & MASTER_CF_FATAL)
        msg_fatal("%s", text->data);
    msg_error("%s", text->data);
    cf->errors++;
}

static int master_cf_complain(MASTER_CF *cf, int line, const char *fmt,
                              const char *field)
{
    BUF    *text = buf_new(128);

    buf_printf(text, "file %s: line %d: ", cf->path, line);
    buf_printf(text, fmt, field);
    master_cf_report(cf, text);
    buf_free(&text);
    return (-1);
}

/*
 * master_cf_bad_field - a column that does not parse, in master(8)'s
 * words, or with MASTER_CF_POSTCONF in postconf(1)'s, which quote the
 * whole entry instead of naming the line.
 */
static void master_cf_bad_field(MASTER_CF *cf, const MASTER_CF_ENTRY *e,
                                const char *entry_text, int column)
{
    static const char *names[][2] = {   /* master, postconf */
        {"transport type", "type"}, {"private", "private"},
        {"unpriv", "unprivileged"}, {"chroot", "chroot"},
        {"wakeup", "wakeup"}, {"maxproc", "process_limit"},
    };
    const char *value = column == 0 ? e->type : e->fields[column - 1];
    BUF    *text = buf_new(128);

    if (cf->flags & MASTER_CF_POSTCONF)
        buf_printf(text, "invalid %s field \"%s\" in \"%s\"", names[column][1],
                   value, entry_text);
    else if (column == 0)
        buf_printf(text, "file %s: line %d: bad %s: %s", cf->path, e->line,
                   names[column][0], value);
    else
        buf_printf(text, "file %s: line %d: bad %s field: %s", cf->path, e->line,
                   names[column][0], value);
    master_cf_report(cf, text);
    buf_free(&text);
}

/* master_cf_flag - y, n or "-". */

static int master_cf_flag(const char *value, int *flag_r)
{
    if (strcmp(value, "-") == 0)
        *flag_r = -1;
    else if (strcmp(value, "y") == 0)
        *flag_r = 1;
    else if (strcmp(value, "n") == 0)
        *flag_r = 0;
    else
        return (-1);
    return (0);
}

/* master_cf_count - "-" or a non-negative number, with optional '?'. */

static int master_cf_count(const char *value, int *count_r, int *query_r)
{
    char   *end;
    long    n;

    if (strcmp(value, "-") == 0) {
        *count_r = -1;
        return (0);
    }
    if (!isdigit((unsigned char) *value))
        return (-1);
    errno = 0;
    n = strtol(value, &end, 10);
    if (errno || n > 1000000)
        return (-1);
    if (*end == '?' && query_r) {
        *query_r = 1;
        end++;
    }
    if (*end)
        return (-1);
    *count_r = (int) n;
    return (0);
}

/*
 * master_cf_split_inet - "port", "host:port" or "[addr]:port". host_r is
 * NULL when no host was given.
 */
int     master_cf_split_inet(const char *service, char **host_r, char **port_r)
{
    const char *colon;

    *host_r = 0;
    if (*service == '[') {
        const char *close = strchr(service, ']');

        if (close == 0 || close[1] != ':' || close[2] == 0 || close == service + 1)
            return (-1);
        *host_r = mem_strndup(service + 1, (size_t) (close - service - 1));
        *port_r = mem_strdup(close + 2);
        return (0);
    }
    if ((colon = strrchr(service, ':')) != 0) {
        if (colon == service || colon[1] == 0 || strchr(service, ':') != colon)
            return (-1);
        *host_r = mem_strndup(service, (size_t) (colon - service));
        *port_r = mem_strdup(colon + 1);
        return (0);
    }
    *port_r = mem_strdup(service);
    return (0);
}

/*
 * master_cf_check - decode and check the columns; postconf(1) checks no
 * more than those, master(8) also the service name and the options.
 */
static int master_cf_check(MASTER_CF *cf, MASTER_CF_ENTRY *e,
                           const char *entry_text)
{
    int    *flags[] = {&e->private_flag, &e->unpriv_flag, &e->chroot_flag};
    int     i, errors = cf->errors;

    for (i = 0; master_cf_types[i]; i++)
        if (strcmp(master_cf_types[i], e->type) == 0)
            break;
    if (master_cf_types[i] == 0)
        master_cf_bad_field(cf, e, entry_text, 0);
    for (i = 0; i < 3; i++)
        if (master_cf_flag(e->fields[i], flags[i]) < 0)
            master_cf_bad_field(cf, e, entry_text, 1 + i);
    if (master_cf_count(e->fields[3], &e->wakeup, &e->wakeup_if_used) < 0)
        master_cf_bad_field(cf, e, entry_text, 4);
    if (e->wakeup < 0)
        e->wakeup = 0;
    if (master_cf_count(e->fields[4], &e->maxproc, 0) < 0)
        master_cf_bad_field(cf, e, entry_text, 5);
    if (cf->flags & MASTER_CF_POSTCONF)
        return (cf->errors == errors ? 0 : -1);
    if (strcmp(e->type, "inet") == 0) {
        char   *host, *port;

        if (master_cf_split_inet(e->service, &host, &port) < 0) {
            master_cf_complain(cf, e->line, "bad inet service: %s", e->service);
        } else {
            mem_free(host);
            mem_free(port);
        }
    } else if (strchr(e->service, '/') || strcmp(e->service, "..") == 0
               || strcmp(e->service, ".") == 0) {
        master_cf_complain(cf, e->line, "bad service name: %s", e->service);
    }
    /* Options must come as "-o name=value" pairs. */
    for (size_t a = 1; a < e->command->argc; a++) {
        if (strcmp(e->command->argv[a], "-o") == 0) {
            if (a + 1 >= e->command->argc || strchr(e->command->argv[a + 1], '=') == 0)
                master_cf_complain(cf, e->line, "bad -o option: %s",
                                   a + 1 < e->command->argc ?
                                   e->command->argv[a + 1] : "(missing)");
            a++;
        }
    }
    return (cf->errors == errors ? 0 : -1);
}

static void master_cf_entry_free(MASTER_CF_ENTRY *e)
{
    mem_free(e->service);
    mem_free(e->type);
    for (int i = 0; i < 5; i++)
        mem_free(e->fields[i]);
    strv_free(&e->command);
}

static void master_cf_line(const char *text, int first, int last, void *context)
{
    MASTER_CF *cf = context;
    STRV   *words = strv_split(text, " \t\r\n");
    MASTER_CF_ENTRY e;

    (void) last;
    if (words->argc < 8) {
        strv_free(&words);
        master_cf_complain(cf, first, "%s", "bad field count");
        return;
    }
    memset(&e, 0, sizeof(e));
    e.service = mem_strdup(words->argv[0]);
    e.type = mem_strdup(words->argv[1]);
    for (int i = 0; i < 5; i++)
        e.fields[i] = mem_strdup(words->argv[2 + i]);
    e.command = strv_new();
    for (size_t i = 7; i < words->argc; i++)
        strv_add(e.command, words->argv[i]);
    e.line = first;
    strv_free(&words);
    if (master_cf_check(cf, &e, text) < 0) {
        master_cf_entry_free(&e);
        return;
    }
    if (cf->count == cf->cap) {
        cf->cap = cf->cap ? cf->cap * 2 : 32;
        cf->entries = mem_realloc(cf->entries, cf->cap * sizeof(MASTER_CF_ENTRY));
    }
    cf->entries[cf->count++] = e;
}

static MASTER_CF *master_cf_new(const char *path, int flags)
{
    MASTER_CF *cf = mem_calloc(1, sizeof(*cf));

    cf->path = mem_strdup(path);
    cf->flags = flags;
    return (cf);
}

MASTER_CF *master_cf_parse_text(const char *origin, const char *text, int flags)
{
    MASTER_CF *cf = master_cf_new(origin, flags);
    LOGICAL_LINE *ll = logical_line_new(origin, master_cf_line, cf);
    int     lineno = 0;

    while (*text) {
        size_t  len = strcspn(text, "\n");
        char   *line = mem_strndup(text, len);

        logical_line_feed(ll, line, ++lineno);
        mem_free(line);
        text += len + (text[len] == '\n');
    }
    logical_line_finish(ll);
    logical_line_free(&ll);
    return (cf);
}

MASTER_CF *master_cf_read(const char *path, int flags, int *missing_r)
{
    MASTER_CF *cf;
    LOGICAL_LINE *ll;
    STREAM *in;
    BUF    *line;
    int     fd, status, lineno = 0;

    *missing_r = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno != ENOENT)
            msg_fatal("open %s: %m", path);
        *missing_r = 1;
        return (master_cf_new(path, flags));
    }
    cf = master_cf_new(path, flags);
    ll = logical_line_new(path, master_cf_line, cf);
    in = stream_open(fd);
    line = buf_new(256);
    while ((status = stream_read_line(in, line, MASTER_CF_LINE_LIMIT)) == STREAM_OK) {
        buf_truncate(line, strcspn(line->data, "\r\n"));
        logical_line_feed(ll, line->data, ++lineno);
    }
    if (status == STREAM_TOOLONG)
        msg_fatal("file %s: line %d: line longer than %d bytes", path,
                  lineno + 1, MASTER_CF_LINE_LIMIT);
    if (status != STREAM_EOF)
        msg_fatal("read %s: %s", path, stream_strerror(status));
    logical_line_finish(ll);
    logical_line_free(&ll);
    buf_free(&line);
    stream_close(&in);
    return (cf);
}

const MASTER_CF_ENTRY *master_cf_find(const MASTER_CF *cf, const char *service,
                                      const char *type)
{
    for (size_t i = 0; i < cf->count; i++)
        if (strcmp(cf->entries[i].service, service) == 0
            && (type == 0 || strcmp(cf->entries[i].type, type) == 0))
            return (cf->entries + i);
    return (0);
}

/* master_cf_put_arg - one argument; one with blanks goes in braces */

static void master_cf_put_arg(BUF *out, const char *arg, int braces)
{
    if (braces)
        buf_putc(out, '{');
    buf_puts(out, arg);
    if (braces)
        buf_putc(out, '}');
}

/*
 * master_cf_format_args - the arguments after the command, appended to
 * a line that is line_len long so far. Each "-o name=value" among the
 * leading options gets a line of its own with fold (postconf -Mf), and
 * any other word that would reach column 80 starts a new line indented
 * by 4. A value or a later argument with blanks in it is shown in braces.
 */
void    master_cf_format_args(const STRV *command, int fold, size_t line_len,
                              BUF *out)
{
    int     options = 1;                /* still in the leading options */

    for (size_t a = 1; a < command->argc; a++) {
        const char *arg = command->argv[a];
        const char *value = 0;
        size_t  len = strlen(arg);
        int     braces = 0;

        if (options && (arg[0] != '-' || strcmp(arg, "--") == 0)) {
            options = 0;
        } else if (options && strcmp(arg, "-o") == 0 && a + 1 < command->argc) {
            value = command->argv[++a];
            braces = value[strcspn(value, " \t\r\n")] != 0;
            len += 1 + strlen(value) + 2 * braces;
            line_len = MASTER_CF_FOLD_LIMIT;    /* a line of its own */
        }
        if (!options && arg[strcspn(arg, " \t\r\n")] != 0) {
            braces = 1;
            len += 2;
        }
        if (line_len > MASTER_CF_INDENT) {
            if (!fold || line_len + 1 + len < MASTER_CF_FOLD_LIMIT) {
                buf_putc(out, ' ');
                line_len += 1;
            } else {
                buf_puts(out, "\n    ");
                line_len = MASTER_CF_INDENT;
            }
        }
        if (value) {
            buf_puts(out, arg);
            buf_putc(out, ' ');
            master_cf_put_arg(out, value, braces);
        } else {
            master_cf_put_arg(out, arg, braces);
        }
        line_len = value ? MASTER_CF_FOLD_LIMIT : line_len + len;
    }
}

/*
 * master_cf_format - the layout of "postconf -M": columns start at fixed
 * offsets, and a field that overflows its column pushes the next one
 * right by as much; then the command and its arguments.
 */
void    master_cf_format(const MASTER_CF_ENTRY *entry, int fold, BUF *out)
{
    static const size_t column[] = {0, 11, 17, 25, 33, 41, 49, 57};
    const char *fields[8];
    size_t  start = out->len;

    fields[0] = entry->service;
    fields[1] = entry->type;
    for (int i = 0; i < 5; i++)
        fields[2 + i] = entry->fields[i];
    fields[7] = entry->command->argv[0];
    for (int i = 0; i < 8; i++) {
        size_t  pos = out->len - start;

        if (i > 0) {
            size_t  want = pos + 1 > column[i] ? pos + 1 : column[i];

            while (pos++ < want)
                buf_putc(out, ' ');
        }
        buf_puts(out, fields[i]);
    }
    master_cf_format_args(entry->command, fold, out->len - start, out);
}

void    master_cf_free(MASTER_CF **cfp)
{
    MASTER_CF *cf = *cfp;

    if (cf == 0)
        return;
    for (size_t i = 0; i < cf->count; i++)
        master_cf_entry_free(cf->entries + i);
    mem_free(cf->entries);
    mem_free(cf->path);
    mem_free(cf);
    *cfp = 0;
}
