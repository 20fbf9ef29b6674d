/* NAME
 *	postconf_param 3
 * SUMMARY
 *	parameter names, name spaces and lookups for postconf(1)
 * DESCRIPTION
 *	Built-in names come from the parameter table. A master.cf entry
 *	whose command is a delivery program (local, error, virtual, smtp,
 *	lmtp, pipe, spawn) adds service-defined names: the service name plus
 *	a suffix, whose default is a reference to the built-in parameter
 *	that applies to every service ("relay_destination_concurrency_limit
 *	= $default_destination_concurrency_limit"). User-defined names are
 *	added by postconf_user.c.
 *
 *	A lookup tries, unless -d, the read-only names of a master.cf entry
 *	(process_name, service_name), its -o options, then main.cf; then,
 *	unless -n, the default. Defaults that Postfix computes are computed
 *	here as Postfix's postconf does: myhostname from gethostname() and
 *	the mydomain that main.cf sets, mydomain from myhostname, mynetworks
 *	from mynetworks_style, inet_interfaces and inet_protocols.
 *
 *	A value that does not expand is fatal ("macro processing error"),
 *	after a warning that says why.
 */
#include <string.h>

#include "config.h"
#include "expand.h"
#include "mem.h"
#include "msg.h"
#include "mynetworks.h"
#include "param.h"
#include "postconf.h"

static HTABLE *postconf_param_table;    /* name -> POSTCONF_PARAM */
static POSTCONF_SCOPE *postconf_param_main_scope;
static MASTER_CF *postconf_param_master;
static POSTCONF_SCOPE **postconf_param_scopes;
static size_t postconf_param_scope_count;
static char *postconf_param_hostname;   /* computed defaults */
static char *postconf_param_networks;
static BUF *postconf_param_buf;         /* the mydomain default */

 /*
  * Service-defined parameters: suffix and the parameter whose value is the
  * default. Delivery programs get all but the first, pipe(8) all, spawn(8)
  * the first only.
  */
static const char *postconf_param_suffixes[][2] = {
    {"_time_limit", "command_time_limit"},
    {"_recipient_limit", "default_recipient_limit"},
    {"_extra_recipient_limit", "default_extra_recipient_limit"},
    {"_recipient_refill_limit", "default_recipient_refill_limit"},
    {"_recipient_refill_delay", "default_recipient_refill_delay"},
    {"_delivery_slot_cost", "default_delivery_slot_cost"},
    {"_delivery_slot_loan", "default_delivery_slot_loan"},
    {"_delivery_slot_discount", "default_delivery_slot_discount"},
    {"_minimum_delivery_slots", "default_minimum_delivery_slots"},
    {"_initial_destination_concurrency", "initial_destination_concurrency"},
    {"_destination_concurrency_limit", "default_destination_concurrency_limit"},
    {"_destination_recipient_limit", "default_destination_recipient_limit"},
    {"_destination_concurrency_positive_feedback",
    "default_destination_concurrency_positive_feedback"},
    {"_destination_concurrency_negative_feedback",
    "default_destination_concurrency_negative_feedback"},
    {"_destination_concurrency_failed_cohort_limit",
    "default_destination_concurrency_failed_cohort_limit"},
    {"_destination_rate_delay", "default_destination_rate_delay"},
    {"_transport_rate_delay", "default_transport_rate_delay"},
};

#define POSTCONF_PARAM_COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define POSTCONF_PARAM_SUFFIXES POSTCONF_PARAM_COUNT(postconf_param_suffixes)

static const struct {
    const char *program;
    size_t  first, last;                /* range of suffixes */
}       postconf_param_programs[] = {
    {"local", 1, POSTCONF_PARAM_SUFFIXES},
    {"error", 1, POSTCONF_PARAM_SUFFIXES},
    {"virtual", 1, POSTCONF_PARAM_SUFFIXES},
    {"smtp", 1, POSTCONF_PARAM_SUFFIXES},
    {"lmtp", 1, POSTCONF_PARAM_SUFFIXES},
    {"pipe", 0, POSTCONF_PARAM_SUFFIXES},
    {"spawn", 0, 1},
};

static void postconf_param_enter(const char *name, int flags, int param_flags,
                                 const char *def)
{
    POSTCONF_PARAM *param = mem_calloc(1, sizeof(*param));

    param->flags = flags;
    param->param_flags = param_flags;
    param->def = def;
    mem_free(htable_enter(postconf_param_table, name, param));
}

static POSTCONF_SCOPE *postconf_param_scope(const MASTER_CF_ENTRY *entry)
{
    POSTCONF_SCOPE *scope = mem_calloc(1, sizeof(*scope));

    scope->entry = entry;
    scope->file = entry ? "master.cf" : "main.cf";
    if (entry) {
        BUF    *name = buf_new(64);

        buf_printf(name, "%s/%s", entry->service, entry->type);
        scope->name = buf_export(&name);
    }
    scope->names = strv_new();
    scope->values = htable_new(16);
    scope->valid = htable_new(16);
    return (scope);
}

static void postconf_param_scope_set(POSTCONF_SCOPE *scope, const char *name,
                                     const char *value)
{
    if (!htable_has(scope->values, name))
        strv_add(scope->names, name);
    mem_free(htable_enter(scope->values, name, mem_strdup(value)));
}

/* postconf_param_init - the built-in names */

void    postconf_param_init(void)
{
    postconf_param_table = htable_new(256);
    for (int i = 0; i < PARAM_COUNT; i++)
        postconf_param_enter(param_table[i].name, param_table[i].flags & PARAM_LEGACY ?
                             POSTCONF_LEGACY : POSTCONF_BUILTIN,
                             param_table[i].flags, param_table[i].def);
    postconf_param_main_scope = postconf_param_scope(0);
}

/*
 * postconf_param_read_main - the main.cf name space: config_directory
 * when given, main.cf, then the -o overrides; with -d, none of them.
 */
void    postconf_param_read_main(const char *dir, int dir_given, const STRV *overrides)
{
    int     defaults = postconf_mode & POSTCONF_SHOW_DEFS;

    config_load(dir, defaults ? CONFIG_LOAD_DEFAULTS : 0);
    if (defaults)
        return;
    if (dir_given)
        postconf_param_scope_set(postconf_param_main_scope, "config_directory",
                                 config_dir());
    for (size_t i = 0; i < config_main_cf()->count; i++)
        postconf_param_scope_set(postconf_param_main_scope,
                                 config_main_cf()->entries[i].name,
                                 config_main_cf()->entries[i].value);
    for (size_t i = 0; overrides && i < overrides->argc; i++) {
        char   *name, *value;
        const char *why;

        if (main_cf_split(overrides->argv[i], &name, &value, &why) < 0)
            msg_fatal("invalid parameter override: %s: %s", overrides->argv[i], why);
        postconf_param_scope_set(postconf_param_main_scope, name, value);
        mem_free(name);
        mem_free(value);
    }
}

/*
 * postconf_param_command - an entry's command with its leading options
 * in one form, as Postfix shows them: "-vonam=val" becomes "-v",
 * "-o", "nam=val".
 */
static STRV *postconf_param_command(const STRV *cmd)
{
    STRV   *out = strv_new();
    int     options = 1;

    strv_add(out, cmd->argv[0]);
    for (size_t a = 1; a < cmd->argc; a++) {
        const char *arg = cmd->argv[a], *o;

        if (arg[0] != '-' || strcmp(arg, "--") == 0)
            options = 0;
        if (!options) {
            strv_add(out, arg);
            continue;
        }
        if ((o = strchr(arg + 1, 'o')) == 0) {
            strv_add(out, arg);
            continue;
        }
        if (o > arg + 1)
            strv_addn(out, arg, (size_t) (o - arg));
        strv_add(out, "-o");
        if (o[1])
            strv_add(out, o + 1);
        else if (a + 1 < cmd->argc)
            strv_add(out, cmd->argv[++a]);
    }
    return (out);
}

/*
 * postconf_param_options - the "-o name=value" options of an entry,
 * among the leading options of its command.
 */
static void postconf_param_options(POSTCONF_SCOPE *scope)
{
    const STRV *cmd = scope->command;

    for (size_t a = 1; a < cmd->argc; a++) {
        const char *arg = cmd->argv[a];
        char   *name, *value;
        const char *why;

        if (arg[0] != '-' || strcmp(arg, "--") == 0)
            break;
        if (strcmp(arg, "-o") == 0 && a + 1 < cmd->argc
            && main_cf_split(cmd->argv[++a], &name, &value, &why) == 0) {
            postconf_param_scope_set(scope, name, value);
            mem_free(name);
            mem_free(value);
        }
    }
}

/* postconf_param_add_services - the names that delivery services define */

static void postconf_param_add_services(const MASTER_CF_ENTRY *entry)
{
    BUF    *name = buf_new(64);

    for (size_t p = 0; p < POSTCONF_PARAM_COUNT(postconf_param_programs); p++) {
        size_t  first = postconf_param_programs[p].first;
        size_t  last = postconf_param_programs[p].last;

        if (strcmp(postconf_param_programs[p].program, entry->command->argv[0]) != 0)
            continue;
        for (size_t s = first; s < last; s++) {
            POSTCONF_PARAM *param;

            buf_set(name, entry->service);
            buf_puts(name, postconf_param_suffixes[s][0]);
            if ((param = htable_find(postconf_param_table, name->data)) != 0) {
                /* A built-in with a default of its own (local_...). */
                param->flags = (param->flags & ~POSTCONF_CLASSES) | POSTCONF_SERVICE;
            } else {
                BUF    *def = buf_new(64);

                buf_printf(def, "$%s", postconf_param_suffixes[s][1]);
                postconf_param_enter(name->data, POSTCONF_SERVICE, 0, def->data);
                param = htable_find(postconf_param_table, name->data);
                param->own_def = buf_export(&def);
            }
        }
        break;
    }
    buf_free(&name);
}

/* postconf_param_read_master - master.cf entries, name spaces, services */

void    postconf_param_read_master(const char *dir, int missing_is_fatal)
{
    BUF    *path = buf_new(256);
    int     flags = MASTER_CF_FATAL | MASTER_CF_POSTCONF;
    int     missing;

    buf_printf(path, "%s/master.cf", dir);
    postconf_param_master = master_cf_read(path->data, flags, &missing);
    if (missing && missing_is_fatal)
        msg_fatal("open %s: No such file or directory", path->data);
    if (missing)
        msg_warn("open %s: No such file or directory", path->data);
    buf_free(&path);
    postconf_param_scope_count = postconf_param_master->count;
    postconf_param_scopes = mem_calloc(postconf_param_scope_count + 1,
                                       sizeof(*postconf_param_scopes));
    for (size_t i = 0; i < postconf_param_scope_count; i++) {
        const MASTER_CF_ENTRY *entry = postconf_param_master->entries + i;

        postconf_param_scopes[i] = postconf_param_scope(entry);
        postconf_param_scopes[i]->command = postconf_param_command(entry->command);
        postconf_param_options(postconf_param_scopes[i]);
        postconf_param_add_services(entry);
    }
}

const POSTCONF_PARAM *postconf_param_find(const char *name)
{
    return (htable_find(postconf_param_table, name));
}

void    postconf_param_add_user(const char *name)
{
    if (!htable_has(postconf_param_table, name))
        postconf_param_enter(name, POSTCONF_USER, 0, 0);
}

/* postconf_param_relabel - a legacy name that is set is listed as a user one */

void    postconf_param_relabel(const char *name, int class)
{
    POSTCONF_PARAM *param = htable_find(postconf_param_table, name);

    if (param)
        param->flags = (param->flags & ~POSTCONF_CLASSES) | class;
}

/* postconf_param_list - the names of the given classes, sorted */

STRV   *postconf_param_list(int classes)
{
    STRV   *all = htable_keys(postconf_param_table);
    STRV   *some = strv_new();

    for (size_t i = 0; i < all->argc; i++) {
        const POSTCONF_PARAM *param = htable_find(postconf_param_table, all->argv[i]);

        if (param->flags & classes)
            strv_add(some, all->argv[i]);
    }
    strv_free(&all);
    return (some);
}

POSTCONF_SCOPE *postconf_param_main(void)
{
    return (postconf_param_main_scope);
}

size_t  postconf_param_services(POSTCONF_SCOPE ***scopes_r)
{
    *scopes_r = postconf_param_scopes;
    return (postconf_param_scope_count);
}

/* postconf_param_value - a setting in one name space only, or NULL */

const char *postconf_param_value(const POSTCONF_SCOPE *scope, const char *name)
{
    return (htable_find(scope->values, name));
}

/* postconf_param_forget - drop a setting (read-only names) */

void    postconf_param_forget(POSTCONF_SCOPE *scope, const char *name)
{
    mem_free(htable_remove(scope->values, name));
}

/*
 * postconf_param_expand_in - expand within one name space only, as
 * Postfix's mail_conf_lookup_eval(): undefined names are empty.
 */
static const char *postconf_param_scope_lookup(const char *name, void *context)
{
    const POSTCONF_SCOPE *scope = context;

    return (postconf_param_value(scope, name));
}

const char *postconf_param_expand_in(const char *value, const POSTCONF_SCOPE *scope,
                                     BUF *out)
{
    BUF    *err = buf_new(64);

    buf_reset(out);
    if (expand_text(value, postconf_param_scope_lookup, 0, (void *) scope, out,
                    err) != EXPAND_OK) {
        msg_warn("%s", err->data);
        msg_fatal("dictionary %s: macro processing error",
                  scope->name ? scope->name : "mail_dict");
    }
    buf_free(&err);
    return (out->data);
}

/*
 * postconf_param_setting - as Postfix: the main.cf value of a name,
 * expanded within main.cf, when main.cf sets it; else the default,
 * expanded in full.
 */
static const char *postconf_param_setting(const char *name, BUF *out)
{
    const char *value = postconf_param_value(postconf_param_main_scope, name);

    if (value)
        return (postconf_param_expand_in(value, postconf_param_main_scope, out));
    return (postconf_param_expand(param_find(name)->def, 0, out));
}

/* postconf_param_computed - the defaults that are not in the table */

static const char *postconf_param_computed(const char *name)
{
    if (strcmp(name, "myhostname") == 0) {
        if (postconf_param_hostname == 0) {
            BUF    *buf = buf_new(64);
            const char *domain = postconf_param_value(postconf_param_main_scope,
                                                      "mydomain");

            if (domain)
                domain = postconf_param_expand_in(domain, postconf_param_main_scope, buf);
            postconf_param_hostname = param_hostname(domain);
            buf_free(&buf);
        }
        return (postconf_param_hostname);
    }
    if (strcmp(name, "mydomain") == 0) {
        const char *host = postconf_param_value(postconf_param_main_scope, "myhostname");

        if (host == 0)
            return (param_domain(postconf_param_computed("myhostname")));
        if (postconf_param_buf == 0)
            postconf_param_buf = buf_new(64);
        return (param_domain(postconf_param_expand_in(host, postconf_param_main_scope,
                                                      postconf_param_buf)));
    }
    if (strcmp(name, "mynetworks") == 0) {
        if (postconf_param_networks == 0) {
            BUF    *style = buf_new(64), *ifaces = buf_new(64), *protos = buf_new(64);
            BUF    *why = buf_new(64);

            postconf_param_networks =
                mynetworks_default(postconf_param_setting("mynetworks_style", style),
                                   postconf_param_setting("inet_interfaces", ifaces),
                                   postconf_param_setting("inet_protocols", protos),
                                   why);
            if (postconf_param_networks == 0)
                msg_fatal("%s", why->data);
            buf_free(&style);
            buf_free(&ifaces);
            buf_free(&protos);
            buf_free(&why);
        }
        return (postconf_param_networks);
    }
    return (param_default(param_find(name)));
}

/* postconf_param_default - the default value of a known name */

static const char *postconf_param_default(const char *name)
{
    const POSTCONF_PARAM *param = htable_find(postconf_param_table, name);

    if (param == 0)
        return (0);
    if (param->def == 0)                /* user-defined: set, not default */
        return ("");
    if (param->param_flags & PARAM_COMPUTED)
        return (postconf_param_computed(name));
    return (param->def);
}

/*
 * postconf_param_lookup - the value of a name in a name space: with
 * POSTCONF_SHOW_DEFS the default only, with POSTCONF_SHOW_NONDEF never
 * the default.
 */
const char *postconf_param_lookup(int mode, const char *name,
                                  const POSTCONF_SCOPE *scope)
{
    const char *value;

    if ((mode & POSTCONF_SHOW_DEFS) == 0) {
        if (scope && scope->entry) {
            if (strcmp(name, "service_name") == 0)
                return (scope->entry->service);
            if (strcmp(name, "process_name") == 0) {
                const char *slash = strrchr(scope->entry->command->argv[0], '/');

                return (slash ? slash + 1 : scope->entry->command->argv[0]);
            }
            if ((value = postconf_param_value(scope, name)) != 0)
                return (value);
        }
        if ((value = postconf_param_value(postconf_param_main_scope, name)) != 0)
            return (value);
    }
    if ((mode & POSTCONF_SHOW_NONDEF) && !(mode & POSTCONF_SHOW_DEFS))
        return (0);
    return (postconf_param_default(name));
}

static const char *postconf_param_expand_lookup(const char *name, void *context)
{
    const POSTCONF_SCOPE *scope = context;

    /* Expansion never stops at main.cf (-n): defaults count. */
    return (postconf_param_lookup(postconf_mode & ~POSTCONF_SHOW_NONDEF, name, scope));
}

/*
 * postconf_param_expand - expand a value in a name space (NULL: main.cf),
 * into out; fatal when it does not expand.
 */
const char *postconf_param_expand(const char *value, const POSTCONF_SCOPE *scope,
                                  BUF *out)
{
    BUF    *err = buf_new(64);

    buf_reset(out);
    if (expand_text(value, postconf_param_expand_lookup, 0, (void *) scope, out,
                    err) != EXPAND_OK) {
        msg_warn("%s", err->data);
        msg_fatal("macro processing error");
    }
    buf_free(&err);
    return (out->data);
}

static void postconf_param_scope_free(POSTCONF_SCOPE *scope)
{
    strv_free(&scope->command);
    mem_free(scope->name);
    strv_free(&scope->names);
    htable_free(&scope->values, mem_free);
    htable_free(&scope->valid, 0);
    mem_free(scope);
}

static void postconf_param_node_free(void *ptr)
{
    POSTCONF_PARAM *param = ptr;

    mem_free(param->own_def);
    mem_free(param);
}

void    postconf_param_free(void)
{
    for (size_t i = 0; i < postconf_param_scope_count; i++)
        postconf_param_scope_free(postconf_param_scopes[i]);
    mem_free(postconf_param_scopes);
    if (postconf_param_main_scope)
        postconf_param_scope_free(postconf_param_main_scope);
    master_cf_free(&postconf_param_master);
    htable_free(&postconf_param_table, postconf_param_node_free);
    mem_free(postconf_param_hostname);
    mem_free(postconf_param_networks);
    buf_free(&postconf_param_buf);
}
