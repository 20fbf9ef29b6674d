/* NAME
 *	postconf_user 3
 * SUMMARY
 *	user-defined parameters, and the checks of every value
 * DESCRIPTION
 *	As Postfix's postconf: a name that main.cf sets but Postfix does
 *	not define is "in use", and then listed like a built-in one, when
 *	a value in main.cf or master.cf refers to it ($name, in any branch)
 *	or smtpd_restriction_classes names it. A -o option in master.cf may
 *	likewise refer to another -o option of the same entry. Every value
 *	is scanned in this order: the master.cf options, the defaults of
 *	the parameters that main.cf leaves alone, then main.cf.
 *
 *	The scan warns about a syntax error (and goes on), and about a
 *	reference to a name that has no value anywhere ("undefined
 *	parameter"). A read-only parameter set in main.cf is dropped with a
 *	warning. Each built-in or service-defined parameter that is set is
 *	then expanded in full, which is fatal when it does not expand;
 *	working out a computed default (mynetworks) may be fatal too.
 *
 *	postconf_user_flag_unused() warns, after the output, about each
 *	setting whose name is not in use ("unused parameter").
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "expand.h"
#include "msg.h"
#include "param.h"
#include "postconf.h"

#define POSTCONF_USER_SEP   ", \t\r\n"

static HTABLE *postconf_user_classes;   /* smtpd_restriction_classes names */

/*
 * postconf_user_flag - a name that a value in scope refers to: in use
 * when it has a value, in the entry itself, in main.cf or, for a main.cf
 * value, in any master.cf entry.
 */
static void postconf_user_flag(const char *name, void *context)
{
    POSTCONF_SCOPE *scope = context;
    POSTCONF_SCOPE **services;
    size_t  count = postconf_param_services(&services);
    int     supplied = 0;

    if (scope->entry && postconf_param_value(scope, name)) {
        supplied = 1;
        if (!htable_has(scope->valid, name))
            htable_enter(scope->valid, name, 0);
    } else if (postconf_param_value(postconf_param_main(), name)) {
        supplied = 1;
        postconf_param_add_user(name);
    }
    if (scope->entry == 0) {
        for (size_t i = 0; i < count; i++) {
            if (postconf_param_value(services[i], name)) {
                supplied = 1;
                if (!htable_has(services[i]->valid, name))
                    htable_enter(services[i]->valid, name, 0);
            }
        }
    }
    if (!supplied && postconf_param_find(name) == 0)
        msg_warn("%s/%s: undefined parameter: %s", config_dir(), scope->file, name);
}

/* postconf_user_scan - the names a value refers to; warn about bad syntax */

static void postconf_user_scan(POSTCONF_SCOPE *scope, const char *value)
{
    BUF    *err = buf_new(64);

    if (expand_scan(value, postconf_user_flag, scope, err) != EXPAND_OK)
        msg_warn("%s", err->data);
    buf_free(&err);
}

/* postconf_user_classes_in - smtpd_restriction_classes names are in use */

static void postconf_user_classes_in(POSTCONF_SCOPE *scope)
{
    const char *classes = postconf_param_value(scope, "smtpd_restriction_classes");
    BUF    *buf;
    STRV   *names;

    if (classes == 0)
        return;
    buf = buf_new(64);
    names = strv_split(postconf_param_expand_in(classes, scope, buf), POSTCONF_USER_SEP);
    for (size_t i = 0; i < names->argc; i++) {
        if (scope->entry == 0 && !htable_has(postconf_user_classes, names->argv[i]))
            htable_enter(postconf_user_classes, names->argv[i], 0);
        postconf_user_flag(names->argv[i], scope);
    }
    strv_free(&names);
    buf_free(&buf);
}

/* postconf_user_scan_scope - every setting of one name space */

static void postconf_user_scan_scope(POSTCONF_SCOPE *scope)
{
    BUF    *buf = buf_new(128);

    postconf_user_classes_in(scope);
    for (size_t i = 0; i < scope->names->argc; i++) {
        const char *name = scope->names->argv[i];
        const char *value = postconf_param_value(scope, name);
        const POSTCONF_PARAM *param = postconf_param_find(name);

        if (value == 0)                 /* dropped */
            continue;
        if (scope->entry && htable_has(postconf_user_classes, name)
            && !htable_has(scope->valid, name))
            htable_enter(scope->valid, name, 0);
        if (param && (param->param_flags & PARAM_READONLY)) {
            msg_warn("%s/%s: read-only parameter assignment: %s=%s",
                     config_dir(), scope->file, name, value);
            postconf_param_forget(scope, name);
            continue;
        }
        if (param && (param->flags & POSTCONF_LEGACY))
            postconf_param_relabel(name, POSTCONF_USER);
        if (param && (param->param_flags & PARAM_RAW))
            continue;
        postconf_user_scan(scope, value);
        if (param && (param->flags & (POSTCONF_BUILTIN | POSTCONF_SERVICE)))
            (void) postconf_param_expand(value, scope->entry ? scope : 0, buf);
    }
    buf_free(&buf);
}

/*
 * postconf_user_scan_defaults - the defaults of the parameters that
 * main.cf leaves alone may refer to names too (old names, kept for
 * compatibility, which must not count as unused).
 */
static void postconf_user_scan_defaults(void)
{
    STRV   *names = postconf_param_list(POSTCONF_BUILTIN | POSTCONF_SERVICE
                                        | POSTCONF_LEGACY);

    for (size_t i = 0; i < names->argc; i++) {
        const POSTCONF_PARAM *param = postconf_param_find(names->argv[i]);

        if ((param->param_flags & PARAM_RAW)
            || postconf_param_value(postconf_param_main(), names->argv[i]))
            continue;
        postconf_user_scan(postconf_param_main(),
                           postconf_param_lookup(POSTCONF_SHOW_DEFS, names->argv[i], 0));
    }
    strv_free(&names);
}

void    postconf_user_register(void)
{
    POSTCONF_SCOPE **services;
    size_t  count = postconf_param_services(&services);

    postconf_user_classes = htable_new(16);
    for (size_t i = 0; i < count; i++)
        postconf_user_scan_scope(services[i]);
    postconf_user_scan_defaults();
    postconf_user_scan_scope(postconf_param_main());
    htable_free(&postconf_user_classes, 0);
}

/* postconf_user_unused - warn about the settings of one scope not in use */

static void postconf_user_unused(const POSTCONF_SCOPE *scope)
{
    for (size_t i = 0; i < scope->names->argc; i++) {
        const char *name = scope->names->argv[i];
        const char *value = postconf_param_value(scope, name);

        if (value && postconf_param_find(name) == 0
            && (scope->entry == 0 || !htable_has(scope->valid, name)))
            msg_warn("%s/%s: unused parameter: %s=%s", config_dir(), scope->file,
                     name, value);
    }
}

/* postconf_user_flag_unused - after the output, main.cf (maybe) and master.cf */

void    postconf_user_flag_unused(int main_too)
{
    POSTCONF_SCOPE **services;
    size_t  count = postconf_param_services(&services);

    fflush(stdout);
    if (main_too)
        postconf_user_unused(postconf_param_main());
    for (size_t i = 0; i < count; i++)
        postconf_user_unused(services[i]);
}
