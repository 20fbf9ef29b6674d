/* NAME
 *	expand 3
 * SUMMARY
 *	$name expansion in configuration values
 * DESCRIPTION
 *	The grammar, and the words of every diagnostic, are Postfix's, so
 *	that postconf(1) reports a bad value as Postfix's does. One engine
 *	runs in two modes: expansion takes only the branch that applies and
 *	follows looked-up values; scanning visits every branch and every
 *	operand but follows no value, to list the names a text refers to
 *	and to find any syntax error in it.
 *
 *	A text is literal runs and references: $name, ${...} or $(...),
 *	where the closing bracket is found by counting brackets of the same
 *	kind; "$$" is a literal "$". The inside of ${...} is a name (blanks
 *	around it allowed), or a relational expression "{a} op {b}" in
 *	braces, either optionally followed by "?" or ":" and one or two
 *	branches. The nesting of references (through values, branches and
 *	operands) is limited, which stops "a = $b, b = $a" loops.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "expand.h"
#include "mem.h"

#define EXPAND_MAX_DEPTH 100            /* as Postfix's mac_expand */
#define EXPAND_BLANKS   " \t\r\n"
#define EXPAND_OP_CHARS "<>!=?+-*/~&|%" /* a bad operator, shown whole */
#define EXPAND_CONTEXT  20              /* text shown after ">>>" */

typedef struct EXPAND_STATE {
    EXPAND_LOOKUP_FN lookup;            /* expansion: name to value */
    EXPAND_NAME_FN undef;               /* expansion: name without value */
    EXPAND_NAME_FN ref;                 /* scanning: every name */
    void   *context;
    BUF    *out;                        /* expansion output, NULL: scan */
    BUF    *err;                        /* the first error, or NULL */
    int     depth;
} EXPAND_STATE;

/* A piece of text: references into the caller's string, no copies. */

typedef struct EXPAND_SPAN {
    const char *ptr;
    size_t  len;
} EXPAND_SPAN;

static const char *expand_ops[] = {"==", "!=", "<", "<=", ">=", ">"};

#define EXPAND_OP_EQ    0
#define EXPAND_OP_NE    1
#define EXPAND_OP_LT    2
#define EXPAND_OP_LE    3
#define EXPAND_OP_GE    4
#define EXPAND_OP_GT    5
#define EXPAND_OP_COUNT 6

#define EXPAND_TRUE     "true"          /* value of a true relation */
#define EXPAND_FALSE    ""

static int expand_parse(EXPAND_STATE *st, const char *text, size_t len);

/* expand_fail - keep the first error message; always EXPAND_ERROR */

static int __attribute__((format(printf, 2, 3)))
        expand_fail(EXPAND_STATE *st, const char *fmt,...)
{
    va_list ap;

    if (st->err && st->err->len == 0) {
        va_start(ap, fmt);
        buf_vprintf(st->err, fmt, ap);
        va_end(ap);
    }
    return (EXPAND_ERROR);
}

static int expand_is_name_char(int ch)
{
    return (isalnum((unsigned char) ch) || ch == '_');
}

/* expand_shown - how much of the rest to show after ">>>" */

static int expand_shown(const char *cp, const char *end)
{
    return ((int) (end - cp < EXPAND_CONTEXT ? end - cp : EXPAND_CONTEXT));
}

static const char *expand_skip_blanks(const char *cp, const char *end)
{
    while (cp < end && strchr(EXPAND_BLANKS, *cp))
        cp++;
    return (cp);
}

/*
 * expand_curly - cp is at "{": find the balancing "}", and set *cp_r
 * past it and past the blanks after it.
 */
static int expand_curly(EXPAND_STATE *st, const char *cp, const char *end,
                        EXPAND_SPAN *payload, const char **cp_r)
{
    int     level = 1;

    for (const char *p = cp + 1; p < end; p++) {
        if (*p == '{') {
            level++;
        } else if (*p == '}' && --level == 0) {
            payload->ptr = cp + 1;
            payload->len = (size_t) (p - cp - 1);
            *cp_r = expand_skip_blanks(p + 1, end);
            return (EXPAND_OK);
        }
    }
    return (expand_fail(st, "unbalanced {} in attribute expression: \"%.*s\"",
                        (int) (end - cp), cp));
}

/*
 * expand_branch - the text after "?" or ":": "{text}" (blanks around it
 * allowed), or else everything up to the end.
 */
static int expand_branch(EXPAND_STATE *st, const char *cp, const char *end,
                         EXPAND_SPAN *branch, const char **cp_r)
{
    const char *brace = expand_skip_blanks(cp, end);

    if (brace < end && *brace == '{')
        return (expand_curly(st, brace, end, branch, cp_r));
    branch->ptr = cp;
    branch->len = (size_t) (end - cp);
    *cp_r = end;
    return (EXPAND_OK);
}

/*
 * expand_level - a compatibility level "major[.minor[.patch]]" as one
 * comparable number; -1 when malformed.
 */
static long expand_level(const char *text)
{
    static const long limits[] = {1L << 20, 1023, 1023};
    long    level = 0;
    const char *cp = text;

    for (int part = 0; part < 3; part++) {
        long    n = 0;
        const char *digits;

        while (*cp == ' ' || *cp == '\t')
            cp++;
        if (*cp == '+')
            cp++;
        for (digits = cp; isdigit((unsigned char) *cp); cp++) {
            n = n * 10 + (*cp - '0');
            if (n > limits[part])
                return (-1);
        }
        if (cp == digits)
            return (-1);
        level = level * 1024 + n;
        if (*cp == 0) {
            for (part++; part < 3; part++)
                level *= 1024;
            return (level);
        }
        if (*cp++ != '.')
            return (-1);
    }
    return (-1);
}

static int expand_all_digits(const char *s)
{
    if (*s == 0)
        return (0);
    for (; *s; s++)
        if (!isdigit((unsigned char) *s))
            return (0);
    return (1);
}

/* expand_number_cmp - compare digit strings of any length as numbers */

static int expand_number_cmp(const char *a, const char *b)
{
    size_t  alen, blen;

    while (*a == '0' && a[1])
        a++;
    while (*b == '0' && b[1])
        b++;
    alen = strlen(a);
    blen = strlen(b);
    if (alen != blen)
        return (alen < blen ? -1 : 1);
    return (strcmp(a, b));
}

/*
 * expand_compare - evaluate a relation: compatibility levels with the
 * "level" suffix; numbers when both sides are all digits; else strings.
 */
static int expand_compare(EXPAND_STATE *st, const char *left, int op,
                          int level, const char *right, int *truth)
{
    int     cmp;

    if (level) {
        long    lval, rval;

        if ((lval = expand_level(left)) < 0)
            return (expand_fail(st, "malformed compatibility level syntax: \"%s\"",
                                left));
        if ((rval = expand_level(right)) < 0)
            return (expand_fail(st, "malformed compatibility level syntax: \"%s\"",
                                right));
        cmp = (lval > rval) - (lval < rval);
    } else if (expand_all_digits(left) && expand_all_digits(right)) {
        cmp = expand_number_cmp(left, right);
    } else {
        cmp = strcmp(left, right);
    }
    switch (op) {
    case EXPAND_OP_EQ:
        *truth = cmp == 0;
        break;
    case EXPAND_OP_NE:
        *truth = cmp != 0;
        break;
    case EXPAND_OP_LT:
        *truth = cmp < 0;
        break;
    case EXPAND_OP_LE:
        *truth = cmp <= 0;
        break;
    case EXPAND_OP_GE:
        *truth = cmp >= 0;
        break;
    default:
        *truth = cmp > 0;
        break;
    }
    return (EXPAND_OK);
}

/* expand_operand - expand (or scan) one operand into a buffer of its own */

static int expand_operand(EXPAND_STATE *st, EXPAND_SPAN operand, BUF *result)
{
    BUF    *saved = st->out;
    int     status;

    if (saved == 0)
        return (expand_parse(st, operand.ptr, operand.len));
    st->out = result;
    status = expand_parse(st, operand.ptr, operand.len);
    st->out = saved;
    return (status);
}

/*
 * expand_relation - "{a} op {b}" at *cp_r (at the first "{"). The result
 * is "true" or "" when expanding, NULL when scanning.
 */
static int expand_relation(EXPAND_STATE *st, const char **cp_r,
                           const char *end, const char **value_r)
{
    EXPAND_SPAN left, right;
    const char *cp = *cp_r, *op_pos, *brace;
    size_t  op_len, suffix_len;
    BUF    *lbuf, *rbuf;
    int     op, level, truth = 0, status;

    if (expand_curly(st, cp, end, &left, &cp) != EXPAND_OK)
        return (EXPAND_ERROR);

    /* Operator, with an optional "level" suffix. */
    op_pos = cp;
    for (op_len = 0; cp + op_len < end && strchr(EXPAND_OP_CHARS, cp[op_len]);
         op_len++)
         /* void */ ;
    for (op = 0; op < EXPAND_OP_COUNT; op++)
        if (strlen(expand_ops[op]) == op_len
            && strncmp(expand_ops[op], cp, op_len) == 0)
            break;
    if (op == EXPAND_OP_COUNT)
        return (expand_fail(st, "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or "
                            "\">=\"\" or \">\" expected at: \"...%.*s}>>>%.*s\"",
                            (int) left.len, left.ptr, expand_shown(cp, end), cp));
    cp += op_len;
    for (suffix_len = 0; cp + suffix_len < end
         && isalnum((unsigned char) cp[suffix_len]); suffix_len++)
         /* void */ ;
    level = suffix_len == 5 && strncmp(cp, "level", 5) == 0;
    if (suffix_len > 0 && !level)
        return (expand_fail(st, "bad operator suffix at: \"...%.*s>>>%.*s\"",
                            (int) op_len, op_pos, (int) suffix_len, cp));
    cp += suffix_len;

    /* Right operand. */
    brace = expand_skip_blanks(cp, end);
    if (brace == end || *brace != '{')
        return (expand_fail(st, "\"{expression}\" expected at: "
                            "\"...{%.*s} %.*s>>>%.*s\"",
                            (int) left.len, left.ptr, (int) op_len, op_pos,
                            expand_shown(cp, end), cp));
    if (expand_curly(st, brace, end, &right, &cp) != EXPAND_OK)
        return (EXPAND_ERROR);
    *cp_r = cp;

    /* Both operands are expanded (or scanned) before the comparison. */
    lbuf = buf_new(32);
    rbuf = buf_new(32);
    if ((status = expand_operand(st, left, lbuf)) == EXPAND_OK
        && (status = expand_operand(st, right, rbuf)) == EXPAND_OK
        && st->out != 0)
        status = expand_compare(st, lbuf->data, op, level, rbuf->data, &truth);
    buf_free(&lbuf);
    buf_free(&rbuf);
    *value_r = st->out == 0 ? 0 : truth ? EXPAND_TRUE : EXPAND_FALSE;
    return (status);
}

/*
 * expand_name - a name, maybe with blanks around it, ending at the end
 * or at "?" or ":" (then *ch_r says which, and *cp_r is past it).
 */
static int expand_name(EXPAND_STATE *st, EXPAND_SPAN inner, const char **cp_r,
                       int *ch_r, char **name_r)
{
    const char *end = inner.ptr + inner.len;
    const char *start = expand_skip_blanks(inner.ptr, end), *cp;

    for (cp = start; /* see below */ ; cp++) {
        const char *next = expand_skip_blanks(cp, end);

        if (next == end) {
            *ch_r = 0;
            *cp_r = end;
            break;
        }
        if (*next == '?' || *next == ':') {
            *ch_r = *next;
            *cp_r = next + 1;
            break;
        }
        if (!expand_is_name_char(*cp))
            return (expand_fail(st, "attribute name syntax error at: \"...%.*s>>>%.*s\"",
                                (int) (cp - inner.ptr), inner.ptr,
                                expand_shown(cp, end), cp));
    }
    *name_r = mem_strndup(start, (size_t) (cp - start));
    return (EXPAND_OK);
}

/*
 * expand_reference - the inside of ${...} or $(...), or a plain name:
 * look up, compare, pick a branch, follow the value.
 */
static int expand_reference(EXPAND_STATE *st, EXPAND_SPAN inner)
{
    const char *end = inner.ptr + inner.len, *cp, *value = 0;
    EXPAND_SPAN branch;
    char   *name = 0;
    int     ch = 0, status;

    if (st->depth++ > EXPAND_MAX_DEPTH) {
        status = expand_fail(st, "unreasonable macro call nesting: \"%.*s\"",
                             (int) inner.len, inner.ptr);
        goto done;
    }
    cp = expand_skip_blanks(inner.ptr, end);
    if (cp < end && *cp == '{') {
        if ((status = expand_relation(st, &cp, end, &value)) != EXPAND_OK)
            goto done;
        ch = cp < end ? *cp : 0;
        if (ch != 0 && ch != '?' && ch != ':') {
            status = expand_fail(st, "\"?\" or \":\" expected at: \"...}>>>%.*s\"",
                                 expand_shown(cp, end), cp);
            goto done;
        }
        if (ch)
            cp++;
    } else {
        if ((status = expand_name(st, inner, &cp, &ch, &name)) != EXPAND_OK)
            goto done;
        if (st->out == 0) {
            if (st->ref)
                st->ref(name, st->context);
            value = 0;
        } else if ((value = st->lookup(name, st->context)) == 0 && st->undef) {
            st->undef(name, st->context);
        }
    }

    /*
     * When scanning, both branches; when expanding, the one that applies.
     * After "?{text}" a ":" may follow, so "?" falls through to ":".
     */
    switch (ch) {
    case '?':
        if ((status = expand_branch(st, cp, end, &branch, &cp)) != EXPAND_OK)
            goto done;
        if ((st->out == 0 || (value && *value))
            && (status = expand_parse(st, branch.ptr, branch.len)) != EXPAND_OK)
            goto done;
        if (cp == end)
            break;
        if (*cp != ':') {
            status = expand_fail(st, "\":\" expected at: \"...%.*s}>>>%.*s\"",
                                 (int) branch.len, branch.ptr,
                                 expand_shown(cp, end), cp);
            goto done;
        }
        cp++;
        /* FALLTHROUGH */
    case ':':
        if ((status = expand_branch(st, cp, end, &branch, &cp)) != EXPAND_OK)
            goto done;
        if ((st->out == 0 || value == 0 || *value == 0)
            && (status = expand_parse(st, branch.ptr, branch.len)) != EXPAND_OK)
            goto done;
        if (cp != end)
            status = expand_fail(st, "unexpected input at: \"...%.*s}>>>%.*s\"",
                                 (int) branch.len, branch.ptr,
                                 expand_shown(cp, end), cp);
        break;
    default:
        if (st->out && value && *value)
            status = expand_parse(st, value, strlen(value));
        break;
    }

done:
    mem_free(name);
    st->depth--;
    return (status);
}

/* expand_parse - literal text and references */

static int expand_parse(EXPAND_STATE *st, const char *text, size_t len)
{
    const char *cp = text, *end = text + len;

    while (cp < end) {
        EXPAND_SPAN inner;

        if (*cp != '$') {
            const char *dollar = memchr(cp, '$', (size_t) (end - cp));
            size_t  n = (size_t) ((dollar ? dollar : end) - cp);

            if (st->out)
                buf_append(st->out, cp, n);
            cp += n;
            continue;
        }
        if (cp + 1 < end && cp[1] == '$') {
            if (st->out)
                buf_putc(st->out, '$');
            cp += 2;
            continue;
        }
        cp++;
        if (cp < end && (*cp == '{' || *cp == '(')) {
            char    open = *cp, close = open == '{' ? '}' : ')';
            int     level = 1;
            const char *ep;

            for (ep = cp + 1; ep < end; ep++)
                if (*ep == open)
                    level++;
                else if (*ep == close && --level == 0)
                    break;
            if (ep >= end)
                return (expand_fail(st, "truncated macro reference: \"%.*s\"",
                                    (int) len, text));
            inner.ptr = cp + 1;
            inner.len = (size_t) (ep - cp - 1);
            cp = ep + 1;
        } else {
            inner.ptr = cp;
            while (cp < end && expand_is_name_char(*cp))
                cp++;
            inner.len = (size_t) (cp - inner.ptr);
        }
        if (inner.len == 0)
            return (expand_fail(st, "empty macro name: \"%.*s\"", (int) len, text));
        if (expand_reference(st, inner) != EXPAND_OK)
            return (EXPAND_ERROR);
    }
    return (EXPAND_OK);
}

int     expand_text(const char *text, EXPAND_LOOKUP_FN lookup,
                    EXPAND_NAME_FN undef, void *context, BUF *out, BUF *err)
{
    EXPAND_STATE st = {lookup, undef, 0, context, out, err, 0};

    return (expand_parse(&st, text, strlen(text)));
}

/*
 * expand_scan - report every name that text refers to, in any branch or
 * operand, and check its syntax.
 */
int     expand_scan(const char *text, EXPAND_NAME_FN ref, void *context,
                    BUF *err)
{
    EXPAND_STATE st = {0, 0, ref, context, 0, err, 0};

    return (expand_parse(&st, text, strlen(text)));
}

typedef struct EXPAND_REFS {
    EXPAND_NAME_FN fn;
    void   *context;
    int     count;
} EXPAND_REFS;

static void expand_count_ref(const char *name, void *context)
{
    EXPAND_REFS *refs = context;

    refs->fn(name, refs->context);
    refs->count++;
}

/*
 * expand_refs - call fn for each name that text refers to, in any
 * branch; the count of names. Used to tell which user-defined
 * parameters are in use; a syntax error ends the list quietly.
 */
int     expand_refs(const char *text, EXPAND_NAME_FN fn, void *context)
{
    EXPAND_REFS refs = {fn, context, 0};

    (void) expand_scan(text, expand_count_ref, &refs, 0);
    return (refs.count);
}
