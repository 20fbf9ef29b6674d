/* NAME
 *	expand 3
 * SUMMARY
 *	$name expansion in configuration values
 * DESCRIPTION
 *	A recursive-descent expander. Braced text is located by counting
 *	nested braces, then expanded only when its branch is taken, so an
 *	unused branch may refer to anything. Recursion through looked-up
 *	values is limited, which stops "a = $b, b = $a" loops.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "mem.h"

#define EXPAND_MAX_DEPTH 100

typedef struct EXPAND_STATE {
    EXPAND_LOOKUP_FN lookup;
    EXPAND_UNDEF_FN undef;
    void   *context;
    BUF    *err;
    int     depth;
} EXPAND_STATE;

static int expand_run(EXPAND_STATE *st, const char *text, size_t len, BUF *out);

static int expand_fail(EXPAND_STATE *st, const char *why, const char *text,
                       size_t len)
{
    if (st->err && st->err->len == 0)
        buf_printf(st->err, "%s: \"%.*s\"", why, (int) len, text);
    return (EXPAND_ERROR);
}

static int expand_is_name_char(int ch)
{
    return (isalnum((unsigned char) ch) || ch == '_');
}

/* expand_braced - find the end of "{...}" starting at text[0] == '{'. */

static size_t expand_braced(const char *text, size_t len)
{
    int     level = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '{')
            level++;
        else if (text[i] == '}' && --level == 0)
            return (i + 1);
    }
    return (0);
}

static size_t expand_skip_space(const char *text, size_t pos, size_t len)
{
    while (pos < len && isspace((unsigned char) text[pos]))
        pos++;
    return (pos);
}

/* expand_name - expand the value of one name. */

static int expand_name(EXPAND_STATE *st, const char *name, BUF *out)
{
    const char *value = st->lookup(name, st->context);
    int     status;

    if (value == 0) {
        if (st->undef)
            st->undef(name, st->context);
        return (EXPAND_OK);
    }
    if (++st->depth > EXPAND_MAX_DEPTH) {
        st->depth--;
        return (expand_fail(st, "unreasonable macro call nesting", name,
                            strlen(name)));
    }
    status = expand_run(st, value, strlen(value), out);
    st->depth--;
    return (status);
}

/* expand_level_cmp - compare compatibility levels like "3.6" and "2". */

static int expand_level_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        long    na = strtol(a, (char **) &a, 10);
        long    nb = strtol(b, (char **) &b, 10);

        if (na != nb)
            return (na < nb ? -1 : 1);
        if (*a == '.')
            a++;
        if (*b == '.')
            b++;
        if ((*a && !isdigit((unsigned char) *a)) || (*b && !isdigit((unsigned char) *b)))
            break;
    }
    return (0);
}

static int expand_is_number(const char *s)
{
    if (*s == 0)
        return (0);
    for (; *s; s++)
        if (!isdigit((unsigned char) *s))
            return (0);
    return (1);
}

/* expand_compare - evaluate "a op b"; -1 on an unknown operator. */

static int expand_compare(const char *a, const char *op, const char *b)
{
    static const char *ops[] = {"==", "!=", "<", "<=", ">", ">="};
    size_t  oplen = strcspn(op, "l");
    int     level = strcmp(op + oplen, "level") == 0;
    int     cmp;
    size_t  i;

    if (op[oplen] && !level)
        return (-1);
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strlen(ops[i]) == oplen && strncmp(ops[i], op, oplen) == 0)
            break;
    if (i == sizeof(ops) / sizeof(ops[0]))
        return (-1);
    /* As Postfix: numbers when both sides are all digits, else strings. */
    if (level)
        cmp = expand_level_cmp(a, b);
    else if (expand_is_number(a) && expand_is_number(b))
        cmp = (atol(a) > atol(b)) - (atol(a) < atol(b));
    else
        cmp = strcmp(a, b);
    switch (i) {
    case 0:
        return (cmp == 0);
    case 1:
        return (cmp != 0);
    case 2:
        return (cmp < 0);
    case 3:
        return (cmp <= 0);
    case 4:
        return (cmp > 0);
    default:
        return (cmp >= 0);
    }
}

/* expand_inner - expand "{text}" (braces stripped) or plain text. */

static int expand_branch(EXPAND_STATE *st, const char *text, size_t len, BUF *out)
{
    size_t  start = expand_skip_space(text, 0, len);

    if (start < len && text[start] == '{') {
        size_t  end = expand_braced(text + start, len - start);

        if (end == 0)
            return (expand_fail(st, "unmatched '{'", text, len));
        if (expand_skip_space(text, start + end, len) != len)
            return (expand_fail(st, "text after '}'", text, len));
        return (expand_run(st, text + start + 1, end - 2, out));
    }
    return (expand_run(st, text, len, out));
}

/*
 * expand_expression - "{a} op {b} ? {t1} : {t2}", the inside of ${...}
 * when it starts with '{'.
 */
static int expand_expression(EXPAND_STATE *st, const char *text, size_t len,
                             BUF *out)
{
    BUF    *left = buf_new(32);
    BUF    *right = buf_new(32);
    char    op[16];
    size_t  pos = 0, end, oplen;
    int     status = EXPAND_ERROR, truth;

    /* Left operand. */
    if ((end = expand_braced(text, len)) == 0) {
        expand_fail(st, "unmatched '{'", text, len);
        goto done;
    }
    if (expand_run(st, text + 1, end - 2, left) != EXPAND_OK)
        goto done;
    pos = expand_skip_space(text, end, len);

    /* Operator. */
    for (oplen = 0; pos + oplen < len && strchr("=!<>level", text[pos + oplen]); oplen++)
         /* void */ ;
    if (oplen == 0 || oplen >= sizeof(op)) {
        expand_fail(st, "missing operator", text, len);
        goto done;
    }
    memcpy(op, text + pos, oplen);
    op[oplen] = 0;
    pos = expand_skip_space(text, pos + oplen, len);

    /* Right operand. */
    if (pos >= len || text[pos] != '{' || (end = expand_braced(text + pos, len - pos)) == 0) {
        expand_fail(st, "missing '{' after operator", text, len);
        goto done;
    }
    if (expand_run(st, text + pos + 1, end - 2, right) != EXPAND_OK)
        goto done;
    pos = expand_skip_space(text, pos + end, len);

    if ((truth = expand_compare(left->data, op, right->data)) < 0) {
        expand_fail(st, "bad comparison", text, len);
        goto done;
    }
    if (pos >= len || text[pos] != '?') {
        expand_fail(st, "missing '?'", text, len);
        goto done;
    }
    pos = expand_skip_space(text, pos + 1, len);

    /* "{t1} : {t2}"; the ":" part is optional. */
    if (pos >= len || text[pos] != '{' || (end = expand_braced(text + pos, len - pos)) == 0) {
        expand_fail(st, "missing '{' after '?'", text, len);
        goto done;
    }
    size_t  t1 = pos, t1len = end;

    pos = expand_skip_space(text, pos + end, len);
    if (pos < len) {
        if (text[pos] != ':') {
            expand_fail(st, "missing ':'", text, len);
            goto done;
        }
        pos = expand_skip_space(text, pos + 1, len);
    }
    if (truth)
        status = expand_branch(st, text + t1, t1len, out);
    else if (pos < len)
        status = expand_branch(st, text + pos, len - pos, out);
    else
        status = EXPAND_OK;

done:
    buf_free(&left);
    buf_free(&right);
    return (status);
}

/* expand_reference - the inside of ${...} or $(...). */

static int expand_reference(EXPAND_STATE *st, const char *text, size_t len,
                            BUF *out)
{
    char    name[256];
    size_t  nlen = 0;
    int     status;

    if (len > 0 && text[0] == '{')
        return (expand_expression(st, text, len, out));
    while (nlen < len && expand_is_name_char(text[nlen]))
        nlen++;
    if (nlen == 0 || nlen >= sizeof(name))
        return (expand_fail(st, "bad macro name", text, len));
    memcpy(name, text, nlen);
    name[nlen] = 0;
    if (nlen == len)
        return (expand_name(st, name, out));
    if (text[nlen] != '?' && text[nlen] != ':')
        return (expand_fail(st, "bad character after macro name", text, len));

    /* Conditional: find out whether the name is empty. */
    BUF    *value = buf_new(64);
    int     want_nonempty = text[nlen] == '?';
    const char *rest = text + nlen + 1;
    size_t  rest_len = len - nlen - 1;

    if ((status = expand_name(st, name, value)) == EXPAND_OK) {
        int     nonempty = value->len > 0;
        size_t  start = expand_skip_space(rest, 0, rest_len);

        if (want_nonempty && start < rest_len && rest[start] == '{') {
            /* ${name?{t1}:{t2}} or ${name?{t1}} */
            size_t  end = expand_braced(rest + start, rest_len - start);

            if (end == 0) {
                status = expand_fail(st, "unmatched '{'", text, len);
            } else {
                size_t  pos = expand_skip_space(rest, start + end, rest_len);

                if (nonempty) {
                    status = expand_branch(st, rest + start, end, out);
                } else if (pos < rest_len) {
                    if (rest[pos] != ':')
                        status = expand_fail(st, "missing ':'", text, len);
                    else
                        status = expand_branch(st, rest + pos + 1,
                                               rest_len - pos - 1, out);
                }
            }
        } else if (nonempty == want_nonempty) {
            status = expand_branch(st, rest, rest_len, out);
        }
    }
    buf_free(&value);
    return (status);
}

static int expand_run(EXPAND_STATE *st, const char *text, size_t len, BUF *out)
{
    size_t  pos = 0;

    while (pos < len) {
        const char *dollar = memchr(text + pos, '$', len - pos);

        if (dollar == 0) {
            buf_append(out, text + pos, len - pos);
            break;
        }
        buf_append(out, text + pos, (size_t) (dollar - (text + pos)));
        pos = (size_t) (dollar - text) + 1;
        if (pos >= len) {
            buf_putc(out, '$');
            break;
        }
        if (text[pos] == '$') {
            buf_putc(out, '$');
            pos++;
        } else if (text[pos] == '{' || text[pos] == '(') {
            char    open = text[pos], close = open == '{' ? '}' : ')';
            int     level = 0;
            size_t  end;

            for (end = pos; end < len; end++) {
                if (text[end] == open)
                    level++;
                else if (text[end] == close && --level == 0)
                    break;
            }
            if (end >= len)
                return (expand_fail(st, "truncated macro reference", dollar,
                                    len - (size_t) (dollar - text)));
            if (expand_reference(st, text + pos + 1, end - pos - 1, out) != EXPAND_OK)
                return (EXPAND_ERROR);
            pos = end + 1;
        } else if (expand_is_name_char(text[pos])) {
            char    name[256];
            size_t  nlen = 0;

            while (pos + nlen < len && expand_is_name_char(text[pos + nlen]))
                nlen++;
            if (nlen >= sizeof(name))
                return (expand_fail(st, "macro name too long", dollar, nlen + 1));
            memcpy(name, text + pos, nlen);
            name[nlen] = 0;
            if (expand_name(st, name, out) != EXPAND_OK)
                return (EXPAND_ERROR);
            pos += nlen;
        } else {
            buf_putc(out, '$');
        }
    }
    return (EXPAND_OK);
}

int     expand_text(const char *text, EXPAND_LOOKUP_FN lookup,
                    EXPAND_UNDEF_FN undef, void *context, BUF *out, BUF *err)
{
    EXPAND_STATE st = {lookup, undef, context, err, 0};

    return (expand_run(&st, text, strlen(text), out));
}

/*
 * expand_refs - call fn for each name that text refers to, in any branch.
 * Used to tell which user-defined parameters are in use.
 */
int     expand_refs(const char *text, void (*fn) (const char *, void *),
                    void *context)
{
    const char *cp = text;
    char    name[256];
    int     count = 0;

    while ((cp = strchr(cp, '$')) != 0) {
        cp++;
        if (*cp == '$') {
            cp++;
            continue;
        }
        if (*cp == '{' || *cp == '(')
            cp++;
        size_t  nlen = 0;

        while (expand_is_name_char(cp[nlen]))
            nlen++;
        if (nlen > 0 && nlen < sizeof(name)) {
            memcpy(name, cp, nlen);
            name[nlen] = 0;
            fn(name, context);
            count++;
        }
        cp += nlen;
    }
    return (count);
}
