/* NAME
 *	expand_test 1
 * SUMMARY
 *	unit tests for expand(3)
 * DESCRIPTION
 *	expand_text() rows: a text, the wanted result and status, the
 *	wanted error text (the module's "log": it reports through its err
 *	buffer, and must not log anything itself), and the names the
 *	undefined callback was called with, joined with ",". Names are
 *	looked up in a small fixed table, which holds loops (loop_a and
 *	loop_b refer to each other) for the nesting limit. Where Postfix
 *	defines the result (postconf -x), rows agree with Postfix 3.7.
 *
 *	expand_refs() rows: a text and the names it refers to, in order.
 *
 *	expand_scan() rows: a text, the names it refers to, the status and
 *	the wanted error text. Scanning follows every branch and operand,
 *	evaluates no relation and follows no value.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "expand.h"
#include "harness.h"

typedef struct EXPAND_VAR {
    const char *name;
    const char *value;
} EXPAND_VAR;

static const EXPAND_VAR expand_vars[] = {
    {"name", "value"},
    {"empty", ""},
    {"ref", "$name"},
    {"nested", "<${ref}>"},
    {"deep", "$nested$(nested)"},
    {"loop_a", "$loop_b"},
    {"loop_b", "${loop_a}"},
    {"self", "x$self"},
    {"level", "3.6"},
    {"ten", "10"},
    {"two", "2"},
    {"dollar", "$$"},
    {"undef_ref", "[$nosuch]"},
    {"braces", "{x}"},
    {"space", " "},
    {0, 0},
};

typedef struct EXPAND_ROW {
    const char *label;
    const char *input;
    const char *want;                   /* NULL: not checked */
    int     want_status;
    const char *want_err;               /* substring of err, or NULL */
    const char *want_undef;             /* names, joined with "," */
} EXPAND_ROW;

#define OK      EXPAND_OK
#define ERR     EXPAND_ERROR

static const EXPAND_ROW expand_rows[] = {
    /* Plain references. */
    {"plain text", "hello, world", "hello, world", OK, 0, ""},
    {"empty text", "", "", OK, 0, ""},
    {"$name", "<$name>", "<value>", OK, 0, ""},
    {"${name}", "<${name}>", "<value>", OK, 0, ""},
    {"$(name)", "<$(name)>", "<value>", OK, 0, ""},
    {"name ends at non-name char", "$name.x $name-y", "value.x value-y", OK, 0, ""},
    {"underscore is a name char", "$name_x", "", OK, 0, "name_x"},
    {"braces delimit the name", "${name}_x", "value_x", OK, 0, ""},
    {"adjacent references", "$name$name", "valuevalue", OK, 0, ""},
    {"$$ is a dollar", "$$", "$", OK, 0, ""},
    {"$$name is literal", "$$name", "$name", OK, 0, ""},
    {"$$$name", "$$$name", "$value", OK, 0, ""},
    {"$$ in a value", "[$dollar]", "[$]", OK, 0, ""},
    {"value is not rescanned for braces", "$braces", "{x}", OK, 0, ""},
    {"empty value", "[$empty]", "[]", OK, 0, ""},

    /* Nesting. */
    {"value refers to another", "$ref", "value", OK, 0, ""},
    {"two levels", "$nested", "<value>", OK, 0, ""},
    {"three levels, twice", "$deep", "<value><value>", OK, 0, ""},
    {"reference inside a branch", "${name?{[$ref]}}", "[value]", OK, 0, ""},
    {"reference inside a bare branch", "${name?${ref}}", "value", OK, 0, ""},
    {"conditional inside a branch", "${empty:${name?{$ref-$ten}}}", "value-10", OK, 0, ""},
    {"nested braces in a branch", "${name?{x{y}z}}", "x{y}z", OK, 0, ""},

    /* ${name?text} and ${name:text}. */
    {"? with non-empty", "${name?text}", "text", OK, 0, ""},
    {"? with empty", "${empty?text}", "", OK, 0, ""},
    {"? with undefined", "${nosuch?text}", "", OK, 0, "nosuch"},
    {": with non-empty", "${name:text}", "", OK, 0, ""},
    {": with empty", "${empty:text}", "text", OK, 0, ""},
    {": with undefined", "${nosuch:text}", "text", OK, 0, "nosuch"},
    {": braced", "${empty:{text}}", "text", OK, 0, ""},
    {"? braced with spaces", "${name? {a b} }", "a b", OK, 0, ""},
    {"? with a space value", "${space?yes}", "yes", OK, 0, ""},
    {"? inside text", "a${name?-}b${empty?-}c", "a-bc", OK, 0, ""},

    /* ${name?{a}:{b}} and ${name?{a}}. */
    {"?{a}:{b} non-empty", "${name?{a}:{b}}", "a", OK, 0, ""},
    {"?{a}:{b} empty", "${empty?{a}:{b}}", "b", OK, 0, ""},
    {"?{a}:{b} undefined", "${nosuch?{a}:{b}}", "b", OK, 0, "nosuch"},
    {"?{a} : {b} spaced, non-empty", "${name?{a} : {b}}", "a", OK, 0, ""},
    {"?{a} : {b} spaced, empty", "${empty?{a} : {b}}", "b", OK, 0, ""},
    {"?{a}:b bare else", "${empty?{a}:b}", "b", OK, 0, ""},
    {"?{a} non-empty", "${name?{a}}", "a", OK, 0, ""},
    {"?{a} empty", "${empty?{a}}", "", OK, 0, ""},
    {"untaken branch is not expanded", "${name?{ok}:{$nosuch}}", "ok", OK, 0, ""},
    {"untaken branch, other side", "${empty?{$nosuch}:{ok}}", "ok", OK, 0, ""},
    {"untaken branch may loop", "${name?{ok}:{$loop_a}}", "ok", OK, 0, ""},

    /* ${{a} op {b} ? {x} : {y}}. */
    {"== equal", "${{a} == {a} ? {x} : {y}}", "x", OK, 0, ""},
    {"== different", "${{a} == {b} ? {x} : {y}}", "y", OK, 0, ""},
    {"== without spaces", "${{a}=={a}?{x}:{y}}", "x", OK, 0, ""},
    {"== expands operands", "${{$name} == {value} ? {x} : {y}}", "x", OK, 0, ""},
    {"== keeps blanks in operands", "${{ 2 } == {2} ? {eq} : {ne}}", "ne", OK, 0, ""},
    {"== false, no else", "${{a} == {b} ? {x}}", "", OK, 0, ""},
    {"== true, no else", "${{a} == {a} ? {x}}", "x", OK, 0, ""},
    {"!= different", "${{a} != {b} ? {x} : {y}}", "x", OK, 0, ""},
    {"!= equal", "${{a} != {a} ? {x} : {y}}", "y", OK, 0, ""},
    {"< is numeric", "${{5} < {10} ? {lt} : {ge}}", "lt", OK, 0, ""},
    {"< false", "${{10} < {9} ? {lt} : {ge}}", "ge", OK, 0, ""},
    {"< equal", "${{7} < {7} ? {lt} : {ge}}", "ge", OK, 0, ""},
    {"<= equal", "${{2} <= {2} ? {le} : {gt}}", "le", OK, 0, ""},
    {"<= false", "${{3} <= {2} ? {le} : {gt}}", "gt", OK, 0, ""},
    {"> is numeric", "${{10} > {9} ? {gt} : {le}}", "gt", OK, 0, ""},
    {"> false", "${{9} > {10} ? {gt} : {le}}", "le", OK, 0, ""},
    {">= equal", "${{10} >= {10} ? {ge} : {lt}}", "ge", OK, 0, ""},
    {">= false", "${{9} >= {10} ? {ge} : {lt}}", "lt", OK, 0, ""},
    {"numeric operands from names", "${{$ten} > {$two} ? {gt} : {le}}", "gt", OK, 0, ""},
    {"comparison inside text", "[${{1} < {2} ? {yes}}]", "[yes]", OK, 0, ""},
    {"== compares numbers as numbers", "${{1} == {01} ? {eq} : {ne}}", "eq", OK, 0, ""},
    {"!= compares numbers as numbers", "${{01} != {1} ? {ne} : {eq}}", "eq", OK, 0, ""},
    {"a sign makes a string", "${{-1} == {-01} ? {eq} : {ne}}", "ne", OK, 0, ""},
    {"empty operands are equal", "${{} == {} ? {eq} : {ne}}", "eq", OK, 0, ""},
    {"< compares other text as strings", "${{abc} < {abd} ? {lt} : {ge}}", "lt",
    OK, 0, ""},
    {"> compares other text as strings", "${{b} > {a} ? {gt} : {le}}", "gt", OK, 0, ""},
    {"number against text is a string compare", "${{10} < {9a} ? {lt} : {ge}}", "lt",
    OK, 0, ""},

    /* Compatibility levels. */
    {"3.6 <level 2", "${{3.6} <level {2} ? {lt} : {ge}}", "ge", OK, 0, ""},
    {"3.6 >=level 2", "${{3.6} >=level {2} ? {ge} : {lt}}", "ge", OK, 0, ""},
    {"0 <level 1", "${{0} <level {1} ? {lt} : {ge}}", "lt", OK, 0, ""},
    {"3.10 <level 3.9", "${{3.10} <level {3.9} ? {lt} : {ge}}", "ge", OK, 0, ""},
    {"3.10 >level 3.9", "${{3.10} >level {3.9} ? {gt} : {le}}", "gt", OK, 0, ""},
    {"3.9 <level 3.10", "${{3.9} <level {3.10} ? {lt} : {ge}}", "lt", OK, 0, ""},
    {"3.6 <level 3.6.1", "${{$level} <level {3.6.1} ? {lt} : {ge}}", "lt", OK, 0, ""},
    {"3.6 <=level 3.6", "${{3.6} <=level {3.6} ? {le} : {gt}}", "le", OK, 0, ""},
    {"2 ==level 2.0", "${{2} ==level {2.0} ? {eq} : {ne}}", "eq", OK, 0, ""},
    {"3.6 !=level 3.6.0", "${{3.6} !=level {3.6.0} ? {ne} : {eq}}", "eq", OK, 0, ""},
    {"level from undefined name", "${{$nosuch} <level {2} ? {lt} : {ge}}", 0, ERR,
    "malformed compatibility level syntax: \"\"", "nosuch"},
    {"malformed level", "${{abc} <level {2} ? {lt} : {ge}}", 0, ERR,
    "malformed compatibility level syntax: \"abc\"", ""},
    {"relation alone is true or empty", "[${{a} == {a}}][${{a} == {b}}]", "[true][]",
    OK, 0, ""},
    {"== with bare branch text", "${{a} == {a} ? x : y}", " x : y", OK, 0, ""},
    {"!= with bare branch text, false", "${{a} == {b} ? x : y}", "", OK, 0, ""},
    {"blanks around a name", "${ name }$( name)", "valuevalue", OK, 0, ""},

    /* Undefined names. */
    {"undefined expands to nothing", "[$nosuch]", "[]", OK, 0, "nosuch"},
    {"each undefined name reported", "$nosuch${other}$(third)", "", OK, 0,
    "nosuch,other,third"},
    {"undefined inside a value", "$undef_ref", "[]", OK, 0, "nosuch"},
    {"undefined twice, reported twice", "$nosuch$nosuch", "", OK, 0, "nosuch,nosuch"},

    /* Errors. */
    {"loop a=$b, b=$a", "$loop_a", 0, ERR, "unreasonable macro call nesting", ""},
    {"self reference", "${self}", 0, ERR, "unreasonable macro call nesting", ""},
    {"loop in a taken branch", "${name?{$loop_b}}", 0, ERR,
    "unreasonable macro call nesting", ""},
    {"truncated ${a", "${a", 0, ERR, "truncated macro reference: \"${a\"", ""},
    {"truncated after text", "x ${name", 0, ERR, "truncated macro reference", ""},
    {"truncated $(a", "$(name", 0, ERR, "truncated macro reference", ""},
    {"truncated nested", "${name?{a}", 0, ERR, "truncated macro reference", ""},
    /* Error texts are Postfix's, as postconf shows them. */
    {"empty name", "${}", 0, ERR, "empty macro name: \"${}\"", ""},
    {"lone dollar", "a $ b", 0, ERR, "empty macro name: \"a $ b\"", ""},
    {"bad character after name", "${name!x}", 0, ERR,
    "attribute name syntax error at: \"...name>>>!x\"", ""},
    {"blank inside a name", "${na me}", 0, ERR,
    "attribute name syntax error at: \"...na>>> me\"", ""},
    {"missing operator", "${{a} {b} ? {x}}", 0, ERR,
    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: "
    "\"...a}>>>{b} ? {x}\"", ""},
    {"unknown operator", "${{a} === {b} ? {x} : {y}}", 0, ERR,
    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: "
    "\"...a}>>>=== {b} ? {x} : {y}\"", ""},
    {"unknown operator, long rest cut at 20", "${{a} =! {bbbbbbbbbbbbbbbbbbbbbbbb}}", 0,
    ERR, "expected at: \"...a}>>>=! {bbbbbbbbbbbbbbbb\"", ""},
    {"unknown level operator", "${{1} <lev {2} ? {x}}", 0, ERR,
    "bad operator suffix at: \"...<>>>lev\"", ""},
    {"missing ?", "${{a} == {b} {x}}", 0, ERR,
    "\"?\" or \":\" expected at: \"...}>>>{x}\"", ""},
    {"missing right operand", "${{a} ==(b) ? {x}}", 0, ERR,
    "\"{expression}\" expected at: \"...{a} ==>>>(b) ? {x}\"", ""},
    {"unbalanced operand", "$({a} == {b)", 0, ERR,
    "unbalanced {} in attribute expression: \"{b\"", ""},
    {"text after the then branch", "${name?{x} y}", 0, ERR,
    "\":\" expected at: \"...x}>>>y\"", ""},
    {"text after the else branch", "${{a} == {b} ? {x} : {y} z}", 0, ERR,
    "unexpected input at: \"...y}>>>z\"", ""},
};

typedef struct REFS_ROW {
    const char *label;
    const char *input;
    const char *want;                   /* names in order, joined with "," */
    int     want_count;
} REFS_ROW;

static const REFS_ROW refs_rows[] = {
    {"no references", "plain text", "", 0},
    {"$name", "$a", "a", 1},
    {"${name}", "${a}", "a", 1},
    {"$(name)", "$(a)", "a", 1},
    {"$$ is not a reference", "$$a $$ $${b}", "", 0},
    {"several", "$a/${b}.$(c)", "a,b,c", 3},
    {"? branch", "${a?{$b}}", "a,b", 2},
    {"? bare text", "${a?$b}", "a,b", 2},
    {": branch", "${a:${b}}", "a,b", 2},
    {"both branches", "${a?{$b}:{$(c)}}", "a,b,c", 3},
    {"comparison operands and branches", "${{$a} <level {$b} ? {$c} : {$d}}",
    "a,b,c,d", 4},
    {"repeated names", "$a $a", "a,a", 2},
    {"lone dollar", "a$ $", "", 0},
};

typedef struct SCAN_ROW {
    const char *label;
    const char *input;
    const char *want;                   /* names in order, joined with "," */
    int     want_status;
    const char *want_err;               /* exact error text */
} SCAN_ROW;

static const SCAN_ROW scan_rows[] = {
    {"plain names", "$a ${b} $(c) $$d", "a,b,c", OK, ""},
    {"all branches and operands", "${{$a} == {$b} ? {$c} : {$d}} ${e?$f:${g}}",
    "a,b,c,d,e,f,g", OK, ""},
    {"no relation is evaluated", "${{abc} <level {2} ? {x}}", "", OK, ""},
    {"no value is followed", "$loop_a", "loop_a", OK, ""},
    {"names before an error", "$a ${b", "a", ERR,
    "truncated macro reference: \"$a ${b\""},
    {"error in an untaken branch", "${a?{x}:{${{b} = {c}}}}", "a", ERR,
    "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: "
    "\"...b}>>>= {c}\""},
};

typedef struct EXPAND_CONTEXT {
    BUF    *undef;
} EXPAND_CONTEXT;

static const char *expand_test_lookup(const char *name, void *context)
{
    (void) context;
    for (const EXPAND_VAR *var = expand_vars; var->name; var++)
        if (strcmp(var->name, name) == 0)
            return (var->value);
    return (0);
}

static void expand_test_undef(const char *name, void *context)
{
    EXPAND_CONTEXT *ctx = context;

    if (ctx->undef->len)
        buf_putc(ctx->undef, ',');
    buf_puts(ctx->undef, name);
}

static void expand_test_ref(const char *name, void *context)
{
    BUF    *names = context;

    if (names->len)
        buf_putc(names, ',');
    buf_puts(names, name);
}

/* expand_test_no_undef - without an undef callback, undefined is still empty. */

static void expand_test_no_undef(void)
{
    EXPAND_CONTEXT ctx;
    BUF    *out = buf_new(16);
    int     status;

    ctx.undef = buf_new(16);
    status = expand_text("a${nosuch}b", expand_test_lookup, 0, &ctx, out, 0);
    harness_inteq("no undef callback: status", status, EXPAND_OK);
    harness_streq("no undef callback: output", out->data, "ab");
    status = expand_text("${a", expand_test_lookup, 0, &ctx, out, 0);
    harness_inteq("no err buffer: error status", status, EXPAND_ERROR);
    harness_log_check("no callbacks: nothing logged", 0);
    buf_free(&out);
    buf_free(&ctx.undef);
}

int     main(void)
{
    EXPAND_CONTEXT ctx;
    BUF    *out = buf_new(64);
    BUF    *err = buf_new(64);
    BUF    *names = buf_new(64);
    char    label[256];
    int     status;

    harness_init("expand_test");
    ctx.undef = buf_new(64);
    for (size_t i = 0; i < sizeof(expand_rows) / sizeof(expand_rows[0]); i++) {
        const EXPAND_ROW *row = expand_rows + i;

        buf_reset(out);
        buf_reset(err);
        buf_reset(ctx.undef);
            status = expand_text(row->input, expand_test_lookup, expand_test_undef,
                             &ctx, out, err);
        snprintf(label, sizeof(label), "%s: status", row->label);
        harness_inteq(label, status, row->want_status);
        if (row->want) {
            snprintf(label, sizeof(label), "%s: output", row->label);
            harness_streq(label, out->data, row->want);
        }
        snprintf(label, sizeof(label), "%s: error text", row->label);
        if (row->want_err)
            harness_check(strstr(err->data, row->want_err) != 0, label,
                          "got \"%s\", want \"%s\"", err->data, row->want_err);
        else
            harness_streq(label, err->data, "");
        snprintf(label, sizeof(label), "%s: undefined names", row->label);
        harness_streq(label, ctx.undef->data, row->want_undef);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, 0);
    }
    for (size_t i = 0; i < sizeof(refs_rows) / sizeof(refs_rows[0]); i++) {
        const REFS_ROW *row = refs_rows + i;

        buf_reset(names);
        status = expand_refs(row->input, expand_test_ref, names);
        snprintf(label, sizeof(label), "refs %s: names", row->label);
        harness_streq(label, names->data, row->want);
        snprintf(label, sizeof(label), "refs %s: count", row->label);
        harness_inteq(label, status, row->want_count);
        snprintf(label, sizeof(label), "refs %s: log", row->label);
        harness_log_check(label, 0);
    }
    for (size_t i = 0; i < sizeof(scan_rows) / sizeof(scan_rows[0]); i++) {
        const SCAN_ROW *row = scan_rows + i;

        buf_reset(names);
        buf_reset(err);
        status = expand_scan(row->input, expand_test_ref, names, err);
        snprintf(label, sizeof(label), "scan %s: status", row->label);
        harness_inteq(label, status, row->want_status);
        snprintf(label, sizeof(label), "scan %s: names", row->label);
        harness_streq(label, names->data, row->want);
        snprintf(label, sizeof(label), "scan %s: error text", row->label);
        harness_streq(label, err->data, row->want_err);
        snprintf(label, sizeof(label), "scan %s: log", row->label);
        harness_log_check(label, 0);
    }
    expand_test_no_undef();
    buf_free(&ctx.undef);
    buf_free(&out);
    buf_free(&err);
    buf_free(&names);
    return (harness_done());
}
