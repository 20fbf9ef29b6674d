/* NAME
 *	main_cf 3
 * SUMMARY
 *	main.cf reader and editor
 * DESCRIPTION
 *	Edits work on the physical lines, as Postfix's postconf: a line that
 *	starts a logical line belongs to the name before its first blank or
 *	"=", even when the line is not a valid entry; that line and its
 *	continuation lines are replaced, removed or prefixed with "#", while
 *	comment and blank lines among them stay as they are. The entries are
 *	then parsed again from the result, so the two views never disagree.
 *	main_cf_write() writes a temporary file next to the original, fsyncs
 *	it and renames it into place, so a crash leaves the old or the new
 *	file, never a mix.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "main_cf.h"
#include "mem.h"
#include "msg.h"
#include "stream.h"

static void main_cf_entry(const char *text, int first, int last, void *context);

MAIN_CF *main_cf_new(const char *path, int flags)
{
    MAIN_CF *cf = mem_calloc(1, sizeof(*cf));

    cf->path = mem_strdup(path);
    cf->flags = flags;
    cf->lines = strv_new();
    cf->joiner = logical_line_new(path, main_cf_entry, cf);
    if (flags & MAIN_CF_QUIET)
        cf->joiner->flags |= LOGICAL_LINE_QUIET;
    return (cf);
}

static void main_cf_clear_entries(MAIN_CF *cf)
{
    for (size_t i = 0; i < cf->count; i++) {
        mem_free(cf->entries[i].name);
        mem_free(cf->entries[i].value);
    }
    cf->count = 0;
}

static int main_cf_is_name_char(int ch)
{
    return (ch && !isspace(ch) && ch != '=');
}

/*
 * main_cf_split - split "name = value". On success the name and value
 * are new strings; on failure *why_r says what is wrong.
 */
int     main_cf_split(const char *text, char **name_r, char **value_r,
                      const char **why_r)
{
    const char *cp = text, *name, *value, *end;
    size_t  name_len;

    while (isspace((unsigned char) *cp))
        cp++;
    name = cp;
    while (main_cf_is_name_char((unsigned char) *cp))
        cp++;
    name_len = (size_t) (cp - name);
    while (isspace((unsigned char) *cp))
        cp++;
    if (name_len == 0) {
        *why_r = "missing attribute name";
        return (-1);
    }
    if (*cp != '=') {
        *why_r = "missing '=' after attribute name";
        return (-1);
    }
    value = cp + 1;
    while (isspace((unsigned char) *value))
        value++;
    end = value + strlen(value);
    while (end > value && isspace((unsigned char) end[-1]))
        end--;
    *name_r = mem_strndup(name, name_len);
    *value_r = mem_strndup(value, (size_t) (end - value));
    return (0);
}

/* main_cf_entry - one complete logical line: parse it into an entry. */

static void main_cf_entry(const char *text, int first, int last, void *context)
{
    MAIN_CF *cf = context;
    const char *why;
    char   *name, *value;

    if (main_cf_split(text, &name, &value, &why) < 0) {
        if (cf->flags & MAIN_CF_FATAL)
            msg_fatal("%s, line %d: %s: \"%s\"", cf->path, first, why, text);
        if (!(cf->flags & MAIN_CF_QUIET))
            msg_error("%s, line %d: %s: \"%s\"", cf->path, first, why, text);
        cf->errors++;
        return;
    }
    const MAIN_CF_ENTRY *old = main_cf_find(cf, name);

    if (old && !(cf->flags & MAIN_CF_QUIET))
        msg_warn("%s, line %d: overriding earlier entry: %s=%s",
                 cf->path, first, old->name, old->value);
    if (cf->count == cf->cap) {
        cf->cap = cf->cap ? cf->cap * 2 : 32;
        cf->entries = mem_realloc(cf->entries, cf->cap * sizeof(MAIN_CF_ENTRY));
    }
    cf->entries[cf->count].name = name;
    cf->entries[cf->count].value = value;
    cf->entries[cf->count].first_line = first;
    cf->entries[cf->count].last_line = last;
    cf->count++;
}

void    main_cf_feed(MAIN_CF *cf, const char *line)
{
    size_t  len = strlen(line);

    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    strv_addn(cf->lines, line, len);
    logical_line_feed(cf->joiner, cf->lines->argv[cf->lines->argc - 1],
                      (int) cf->lines->argc);
}

void    main_cf_finish(MAIN_CF *cf)
{
    logical_line_finish(cf->joiner);
}

/* main_cf_reparse - rebuild the entries after the lines changed. */

static void main_cf_reparse(MAIN_CF *cf)
{

    main_cf_clear_entries(cf);
    cf->errors = 0;
    for (size_t i = 0; i < cf->lines->argc; i++)
        logical_line_feed(cf->joiner, cf->lines->argv[i], (int) i + 1);
    logical_line_finish(cf->joiner);
}

MAIN_CF *main_cf_read(const char *path, int flags, int *missing_r)
{
    MAIN_CF *cf = main_cf_new(path, flags);
    STREAM *in;
    BUF    *line;
    int     fd, status;

    *missing_r = 0;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno != ENOENT)
            msg_fatal("open %s: %m", path);
        *missing_r = 1;
        return (cf);
    }
    in = stream_open(fd);
    line = buf_new(256);
    while ((status = stream_read_line(in, line, MAIN_CF_LINE_LIMIT)) == STREAM_OK) {
        if (memchr(line->data, 0, line->len)) {
            msg_error("%s, line %zu: NUL character in line", path,
                      cf->lines->argc + 1);
            cf->errors++;
            strv_add(cf->lines, "");
            continue;
        }
        main_cf_feed(cf, line->data);
    }
    if (status == STREAM_TOOLONG)
        msg_fatal("%s, line %zu: line longer than %d bytes", path,
                  cf->lines->argc + 1, MAIN_CF_LINE_LIMIT);
    if (status != STREAM_EOF)
        msg_fatal("read %s: %s", path, stream_strerror(status));
    main_cf_finish(cf);
    buf_free(&line);
    stream_close(&in);
    return (cf);
}

const MAIN_CF_ENTRY *main_cf_find(const MAIN_CF *cf, const char *name)
{
    for (size_t i = cf->count; i > 0; i--)
        if (strcmp(cf->entries[i - 1].name, name) == 0)
            return (cf->entries + i - 1);
    return (0);
}

/* main_cf_is_filler - a comment or blank line, not part of any entry. */

static int main_cf_is_filler(const char *line)
{
    while (isspace((unsigned char) *line))
        line++;
    return (*line == 0 || *line == '#');
}

typedef enum MAIN_CF_EDIT {
    MAIN_CF_EDIT_SET,                   /* replace with "name = value" */
    MAIN_CF_EDIT_REMOVE,                /* drop */
    MAIN_CF_EDIT_COMMENT,               /* prefix each line with "#" */
} MAIN_CF_EDIT;

/*
 * main_cf_rewrite - rebuild the physical lines, editing every logical
 * line that starts with name; the number of them.
 */
static int main_cf_rewrite(MAIN_CF *cf, const char *name, MAIN_CF_EDIT edit,
                           const char *replacement)
{
    STRV   *out = strv_new();
    BUF    *line = buf_new(128);
    size_t  name_len = strlen(name);
    int     hits = 0, in_hit = 0;

    for (size_t i = 0; i < cf->lines->argc; i++) {
        const char *text = cf->lines->argv[i];

        if (main_cf_is_filler(text)) {
            strv_add(out, text);
            continue;
        }
        if (!isspace((unsigned char) *text))
            in_hit = strcspn(text, " \t\r\n=") == name_len
                && strncmp(text, name, name_len) == 0;
        if (!in_hit) {
            strv_add(out, text);
        } else if (edit == MAIN_CF_EDIT_COMMENT) {
            buf_set(line, "#");
            buf_puts(line, text);
            strv_add(out, line->data);
        }
        if (in_hit && !isspace((unsigned char) *text)) {
            hits++;
            if (edit == MAIN_CF_EDIT_SET)
                strv_add(out, replacement);
        }
    }
    strv_free(&cf->lines);
    cf->lines = out;
    buf_free(&line);
    return (hits);
}

/*
 * main_cf_set - postconf -e: replace every entry for name, or append;
 * the number of entries replaced.
 */
int     main_cf_set(MAIN_CF *cf, const char *name, const char *value)
{
    BUF    *line = buf_new(128);
    int     hits;

    buf_printf(line, "%s = %s", name, value);
    if ((hits = main_cf_rewrite(cf, name, MAIN_CF_EDIT_SET, line->data)) == 0)
        strv_add(cf->lines, line->data);
    buf_free(&line);
    main_cf_reparse(cf);
    return (hits);
}

/*
 * main_cf_remove - postconf -X (remove) and -# (comment out); the number
 * of entries edited.
 */
int     main_cf_remove(MAIN_CF *cf, const char *name, int comment_out)
{
    int     hits;

    hits = main_cf_rewrite(cf, name, comment_out ? MAIN_CF_EDIT_COMMENT :
                           MAIN_CF_EDIT_REMOVE, 0);
    main_cf_reparse(cf);
    return (hits);
}

int     main_cf_write(const MAIN_CF *cf)
{
    BUF    *tmp = buf_new(256);
    struct stat st;
    STREAM *out;
    int     fd, status = 0;
    mode_t  mode = 0644;

    if (stat(cf->path, &st) == 0)
        mode = st.st_mode & 07777;
    buf_printf(tmp, "%s.tmp.%ld", cf->path, (long) getpid());
    if ((fd = open(tmp->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0) {
        msg_error("open %s: %m", tmp->data);
        buf_free(&tmp);
        return (-1);
    }
    out = stream_open(fd);
    for (size_t i = 0; i < cf->lines->argc; i++) {
        stream_puts(out, cf->lines->argv[i]);
        stream_puts(out, "\n");
    }
    if (stream_flush(out) != STREAM_OK || fsync(fd) < 0) {
        msg_error("write %s: %m", tmp->data);
        status = -1;
    }
    if (stream_close(&out) != STREAM_OK && status == 0) {
        msg_error("close %s: %m", tmp->data);
        status = -1;
    }
    if (status == 0 && rename(tmp->data, cf->path) < 0) {
        msg_error("rename %s to %s: %m", tmp->data, cf->path);
        status = -1;
    }
    if (status < 0)
        (void) unlink(tmp->data);
    buf_free(&tmp);
    return (status);
}

void    main_cf_free(MAIN_CF **cfp)
{
    MAIN_CF *cf = *cfp;

    if (cf == 0)
        return;
    main_cf_clear_entries(cf);
    mem_free(cf->entries);
    mem_free(cf->path);
    strv_free(&cf->lines);
    logical_line_free(&cf->joiner);
    mem_free(cf);
    *cfp = 0;
}
