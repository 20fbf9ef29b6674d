/* NAME
 *	postconf_master 3
 * SUMMARY
 *	print master.cf entries, fields and parameters
 * DESCRIPTION
 *	-M prints entries in the aligned layout of master_cf_format(), -F
 *	one "service/type/field = value" line per field, -P one
 *	"service/type/name = value" line per "-o name=value" option, sorted
 *	by name within an entry. Each argument selects entries as
 *	"service[/type[/field or name]]", where a part may be "*"; an
 *	argument that selects nothing is a warning ("unmatched request").
 *	With -x, option values are expanded in the entry's name space.
 */
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "postconf.h"

static const char *postconf_master_fields[] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup",
    "process_limit", "command",
};

#define POSTCONF_MASTER_FIELDS  8
#define POSTCONF_MASTER_COMMAND 7

/*
 * postconf_master_pattern - "a/b/c" as min to max parts, missing ones
 * "*"; NULL when the count is wrong or "*" is part of a longer word.
 */
STRV   *postconf_master_pattern(const char *pattern, int min, int max)
{
    STRV   *parts;

    if (*pattern == '/')
        return (0);
    parts = strv_split(pattern, "/");
    if (parts->argc < (size_t) min || parts->argc > (size_t) max) {
        strv_free(&parts);
        return (0);
    }
    for (size_t i = 0; i < parts->argc; i++) {
        if (strcmp(parts->argv[i], "*") != 0 && strchr(parts->argv[i], '*')) {
            strv_free(&parts);
            return (0);
        }
    }
    while (parts->argc < (size_t) max)
        strv_add(parts, "*");
    return (parts);
}

static int postconf_master_part(const char *pattern, const char *text)
{
    return (strcmp(pattern, "*") == 0 || strcmp(pattern, text) == 0);
}

int     postconf_master_match(const STRV *pattern, const MASTER_CF_ENTRY *entry)
{
    return (postconf_master_part(pattern->argv[0], entry->service)
            && postconf_master_part(pattern->argv[1], entry->type));
}

/*
 * postconf_master_command - the command and arguments of an entry, with
 * the -o values expanded when -x asks for it.
 */
static STRV *postconf_master_command(const POSTCONF_SCOPE *scope)
{
    const STRV *cmd = scope->command;
    STRV   *copy = strv_new();
    BUF    *buf = buf_new(128);
    int     options = 1;

    for (size_t a = 0; a < cmd->argc; a++) {
        const char *arg = cmd->argv[a];

        if (a > 0 && options && (arg[0] != '-' || strcmp(arg, "--") == 0))
            options = 0;
        strv_add(copy, arg);
        if (a > 0 && options && strcmp(arg, "-o") == 0 && a + 1 < cmd->argc) {
            arg = cmd->argv[++a];
            if (postconf_mode & POSTCONF_SHOW_EVAL)
                arg = postconf_param_expand(arg, scope, buf);
            strv_add(copy, arg);
        }
    }
    buf_free(&buf);
    return (copy);
}

static void postconf_master_print_entry(const POSTCONF_SCOPE *scope)
{
    MASTER_CF_ENTRY entry = *scope->entry;
    BUF    *out = buf_new(256);

    entry.command = postconf_master_command(scope);
    master_cf_format(&entry, postconf_mode & POSTCONF_FOLD_LINE, out);
    printf("%s\n", out->data);
    strv_free(&entry.command);
    buf_free(&out);
}

/* postconf_master_print_field - "service/type/field = value" */

static void postconf_master_print_field(const POSTCONF_SCOPE *scope, int field)
{
    const MASTER_CF_ENTRY *e = scope->entry;
    const char *value = field == 0 ? e->service : field == 1 ? e->type
        : field == POSTCONF_MASTER_COMMAND ? e->command->argv[0] : e->fields[field - 2];
    BUF    *out = buf_new(256);

    if (!(postconf_mode & POSTCONF_HIDE_NAME))
        buf_printf(out, "%s/%s", scope->name, postconf_master_fields[field]);
    if (!(postconf_mode & (POSTCONF_HIDE_NAME | POSTCONF_HIDE_VALUE)))
        buf_puts(out, " = ");
    if (!(postconf_mode & POSTCONF_HIDE_VALUE)) {
        size_t  line_start = 0;         /* where the last line starts */

        if (out->len > 0 && out->len + strlen(value) > POSTCONF_LINE_LIMIT) {
            buf_puts(out, "\n" POSTCONF_INDENT);
            line_start = out->len - strlen(POSTCONF_INDENT);
        }
        buf_puts(out, value);
        if (field == POSTCONF_MASTER_COMMAND) {
            STRV   *cmd = postconf_master_command(scope);

            master_cf_format_args(cmd, postconf_mode & POSTCONF_FOLD_LINE,
                                  out->len - line_start, out);
            strv_free(&cmd);
        }
    }
    printf("%s\n", out->data);
    buf_free(&out);
}

static int postconf_master_field_index(const char *name)
{
    for (int i = 0; i < POSTCONF_MASTER_FIELDS; i++)
        if (strcmp(postconf_master_fields[i], name) == 0)
            return (i);
    if (strcmp(name, "*") == 0)
        return (-1);
    msg_fatal("invalid service attribute name: \"%s\"", name);
}

static void postconf_master_print_fields(const POSTCONF_SCOPE *scope, int field)
{
    for (int i = 0; i < POSTCONF_MASTER_FIELDS; i++)
        if (field < 0 || field == i)
            postconf_master_print_field(scope, i);
}

/* postconf_master_print_param - "service/type/name = value" */

static void postconf_master_print_param(const POSTCONF_SCOPE *scope, const char *name)
{
    const char *value = postconf_param_value(scope, name);
    BUF    *line = buf_new(256), *expanded = buf_new(256);

    if (postconf_mode & POSTCONF_HIDE_VALUE) {
        buf_printf(line, "%s/%s", scope->name, name);
    } else {
        if (postconf_mode & POSTCONF_SHOW_EVAL)
            value = postconf_param_expand(value, scope, expanded);
        if (postconf_mode & POSTCONF_HIDE_NAME)
            buf_puts(line, value);
        else
            buf_printf(line, "%s/%s = %s", scope->name, name, value);
    }
    postconf_main_print_line(postconf_mode, line->data);
    buf_free(&line);
    buf_free(&expanded);
}

static void postconf_master_print_params(const POSTCONF_SCOPE *scope)
{
    STRV   *names = htable_keys(scope->values);

    for (size_t i = 0; i < names->argc; i++)
        postconf_master_print_param(scope, names->argv[i]);
    strv_free(&names);
}

/*
 * postconf_master_one - what one request shows of one entry; 1 when it
 * showed something.
 */
static int postconf_master_one(const POSTCONF_SCOPE *scope, const STRV *pattern)
{
    if (postconf_mode & POSTCONF_MASTER_FIELD) {
        postconf_master_print_fields(scope, pattern ?
                                     postconf_master_field_index(pattern->argv[2]) : -1);
    } else if (postconf_mode & POSTCONF_MASTER_PARAM) {
        if (pattern == 0 || strcmp(pattern->argv[2], "*") == 0) {
            if (htable_count(scope->values) == 0)
                return (pattern == 0);
            postconf_master_print_params(scope);
        } else if (postconf_param_value(scope, pattern->argv[2])) {
            postconf_master_print_param(scope, pattern->argv[2]);
        } else {
            return (0);
        }
    } else {
        postconf_master_print_entry(scope);
    }
    return (1);
}

void    postconf_master_show(char **args)
{
    POSTCONF_SCOPE **scopes;
    size_t  count = postconf_param_services(&scopes), nreq = 0;
    STRV  **patterns;
    int    *matches;
    int     max = postconf_mode & POSTCONF_MASTER_ENTRY ? 2 : 3;
    const char *why = postconf_mode & POSTCONF_MASTER_ENTRY ?
        "-M option requires service_name[/type]" :
        postconf_mode & POSTCONF_MASTER_FIELD ?
        "-F option requires service_name[/type[/field]]" :
        "-P option requires service_name[/type[/parameter]]";

    while (args[nreq])
        nreq++;
    patterns = mem_calloc(nreq + 1, sizeof(*patterns));
    matches = mem_calloc(nreq + 1, sizeof(*matches));
    for (size_t r = 0; r < nreq; r++) {
        if ((patterns[r] = postconf_master_pattern(args[r], 1, max)) == 0)
            msg_fatal("%s", why);
        if (postconf_mode & POSTCONF_MASTER_FIELD)
            (void) postconf_master_field_index(patterns[r]->argv[2]);
    }
    for (size_t i = 0; i < count; i++) {
        if (nreq == 0)
            (void) postconf_master_one(scopes[i], 0);
        for (size_t r = 0; r < nreq; r++)
            if (postconf_master_match(patterns[r], scopes[i]->entry))
                matches[r] += postconf_master_one(scopes[i], patterns[r]);
    }
    for (size_t r = 0; r < nreq; r++) {
        if (matches[r] == 0)
            msg_warn("unmatched request: \"%s\"", args[r]);
        strv_free(&patterns[r]);
    }
    mem_free(patterns);
    mem_free(matches);
}
