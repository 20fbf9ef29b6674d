/* NAME
 *	dict_src 3
 * SUMMARY
 *	read the text source of a lookup table
 * DESCRIPTION
 *	See dict_src(3h). Physical lines are joined into logical lines
 *	here rather than with logical_line(3), because Postfix keeps a
 *	continuation line's leading whitespace ("a b" + "  c" is "a b  c")
 *	and tables built by both must agree.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dict_src.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_SRC {
    const char *origin;
    int     flags;
    DICT_SRC_FN fn;
    void   *context;
    BUF    *key;
    BUF    *value;
} DICT_SRC;

/* dict_src_table - "key whitespace value" */

static void dict_src_table(DICT_SRC *src, char *text, int lineno)
{
    char   *cp = text;

    while (*cp && !isspace((unsigned char) *cp))
        cp++;
    if (*cp)
        *cp++ = 0;
    while (isspace((unsigned char) *cp))
        cp++;
    if (*cp == 0) {
        msg_warn("%s, line %d: expected format: key whitespace value",
                 src->origin, lineno);
        return;
    }
    src->fn(text, cp, lineno, src->context);
}

/* dict_src_alias_value - normalise an alias value as postalias does */

static void dict_src_alias_value(BUF *out, const char *cp)
{
    int     space = 0;

    buf_reset(out);
    while (*cp) {
        if (isspace((unsigned char) *cp)) {
            space = 1;
            cp++;
        } else if (*cp == ',') {
            buf_puts(out, ",");
            space = BUF_LEN(out) > 0;
            cp++;
        } else {
            if (space && BUF_LEN(out) > 0)
                buf_putc(out, ' ');
            space = 0;
            if (*cp == '"') {
                buf_putc(out, *cp++);
                while (*cp && *cp != '"') {
                    if (*cp == '\\' && cp[1])
                        buf_putc(out, *cp++);
                    buf_putc(out, *cp++);
                }
                if (*cp)
                    buf_putc(out, *cp++);
            } else {
                buf_putc(out, *cp++);
            }
        }
    }
    /* No dangling separator (or space, from an unclosed quote) at the end. */
    while (BUF_LEN(out) > 0 && (BUF_STR(out)[BUF_LEN(out) - 1] == ','
                        || isspace((unsigned char) BUF_STR(out)[BUF_LEN(out) - 1])))
        buf_truncate(out, BUF_LEN(out) - 1);
}

/* dict_src_alias - "name: value" */

static void dict_src_alias(DICT_SRC *src, char *text, int lineno)
{
    char   *cp = text;
    char   *end;

    buf_reset(src->key);
    if (*cp == '"') {
        for (cp++; *cp && *cp != '"'; cp++) {
            if (*cp == '\\' && cp[1])
                cp++;
            buf_putc(src->key, *cp);
        }
        if (*cp == '"')
            cp++;
        while (isspace((unsigned char) *cp))
            cp++;
        end = cp;
    } else {
        end = strchr(cp, ':');
        if (end != NULL) {
            char   *kend = end;

            while (kend > cp && isspace((unsigned char) kend[-1]))
                kend--;
            buf_append(src->key, cp, (size_t) (kend - cp));
        }
    }
    if (end == NULL || *end != ':' || BUF_LEN(src->key) == 0) {
        msg_warn("%s, line %d: need name:value pair", src->origin, lineno);
        return;
    }
    dict_src_alias_value(src->value, end + 1);
    if (BUF_LEN(src->value) == 0) {
        msg_warn("%s, line %d: need name:value pair", src->origin, lineno);
        return;
    }
    src->fn(BUF_STR(src->key), BUF_STR(src->value), lineno, src->context);
}

/* dict_src_trim_call - drop trailing whitespace, pass the line on */

static void dict_src_trim_call(BUF *line, int lineno, DICT_SRC_LINE_FN fn,
                                       void *context)
{
    char   *text = BUF_STR(line);
    size_t  len = strlen(text);         /* a NUL byte ends a line */

    while (len > 0 && isspace((unsigned char) text[len - 1]))
        text[--len] = 0;
    fn(text, lineno, context);
}

/* dict_src_lines - join physical lines into logical lines */

int     dict_src_lines(FILE *fp, const char *origin, DICT_SRC_LINE_FN fn,
                               void *context)
{
    BUF    *logical = buf_new(256);
    char   *line = NULL;
    size_t  cap = 0;
    ssize_t len;
    int     lineno = 0;
    int     first = 0;                  /* 0: nothing pending */
    const char *cp;
    int     ret = 0;

    errno = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = 0;
        for (cp = line; isspace((unsigned char) *cp); cp++)
             /* void */ ;
        if (*cp == 0 || *cp == '#')
            continue;
        if (cp != line && first) {
            buf_puts(logical, line);
            continue;
        }
        if (first)
            dict_src_trim_call(logical, first, fn, context);
        first = 0;
        if (cp != line) {
            msg_warn("%s, line %d: logical line must not start with "
                     "whitespace: \"%s\"", origin, lineno, line);
            continue;
        }
        buf_set(logical, line);
        first = lineno;
    }
    if (ferror(fp))
        ret = -1;
    else if (first)
        dict_src_trim_call(logical, first, fn, context);
    free(line);
    buf_free(&logical);
    return ret;
}

/* dict_src_entry - one logical line of a table or alias source */

static void dict_src_entry(char *text, int lineno, void *context)
{
    DICT_SRC *src = context;

    if (src->flags & DICT_SRC_ALIAS)
        dict_src_alias(src, text, lineno);
    else
        dict_src_table(src, text, lineno);
}

/* dict_src_read - read a whole source file */

int     dict_src_read(FILE *fp, const char *origin, int flags,
                              DICT_SRC_FN fn, void *context)
{
    DICT_SRC src;
    int     ret;

    src.origin = origin;
    src.flags = flags;
    src.fn = fn;
    src.context = context;
    src.key = buf_new(64);
    src.value = buf_new(256);
    ret = dict_src_lines(fp, origin, dict_src_entry, &src);
    buf_free(&src.key);
    buf_free(&src.value);
    return ret;
}
