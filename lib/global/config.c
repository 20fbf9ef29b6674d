/* NAME
 *	config 3
 * SUMMARY
 *	the loaded configuration of one instance
 * DESCRIPTION
 *	Expanded values are cached per name; an override clears the cache,
 *	since any value may refer to the overridden one. A reference to a
 *	name that is neither a known parameter nor set in main.cf expands
 *	to nothing, with one warning per name (as Postfix's "undefined
 *	parameter"). A value that does not expand (a syntax error, a loop)
 *	gets a warning that says why. Raw parameters are never expanded
 *	here, and main.cf cannot set read-only ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "expand.h"
#include "htable.h"
#include "mem.h"
#include "msg.h"
#include "mynetworks.h"

static char *config_directory;
static MAIN_CF *config_file;
static HTABLE *config_overrides;        /* name -> char * */
static HTABLE *config_cache;            /* name -> char *, expanded */
static HTABLE *config_undefined;        /* names already warned about */
static char *config_networks;           /* computed mynetworks default */
static char *config_hostname;           /* computed myhostname default */

static const char *config_default_dir(void)
{
    const char *env = getenv("MAIL_CONFIG");

    return (env && *env ? env : param_find("config_directory")->def);
}

static void config_reset_cache(void)
{
    htable_free(&config_cache, mem_free);
    config_cache = htable_new(128);
    mem_free(config_networks);
    config_networks = 0;
    mem_free(config_hostname);
    config_hostname = 0;
}

int     config_load(const char *dir, int flags)
{
    BUF    *path = buf_new(256);
    int     missing;
    int     errors;
    int     saved_errors = msg_error_count();

    if (dir == 0)
        dir = config_default_dir();
    dir = mem_strdup(dir);              /* dir may be config_dir() itself */
    mem_free(config_directory);
    config_directory = (char *) dir;
    main_cf_free(&config_file);
    buf_printf(path, "%s/main.cf", dir);
    if (flags & CONFIG_LOAD_DEFAULTS) {
        config_file = main_cf_new(path->data, 0);
        missing = 0;
    } else {
        config_file = main_cf_read(path->data, (flags & CONFIG_LOAD_CHECK) ?
                                   0 : MAIN_CF_FATAL, &missing);
    }
    if (missing) {
        if (flags & CONFIG_LOAD_CHECK)
            msg_error("open %s: No such file or directory", path->data);
        else
            msg_fatal("open %s: No such file or directory", path->data);
    }
    buf_free(&path);
    if (config_overrides == 0)
        config_overrides = htable_new(16);
    if (config_undefined == 0)
        config_undefined = htable_new(16);
    config_reset_cache();
    errors = msg_error_count() - saved_errors;
    if (errors && !(flags & CONFIG_LOAD_CHECK))
        msg_fatal("%s/main.cf: %d configuration error%s", dir, errors,
                  errors == 1 ? "" : "s");
    return (errors);
}

const char *config_dir(void)
{
    return (config_directory ? config_directory : config_default_dir());
}

const MAIN_CF *config_main_cf(void)
{
    return (config_file);
}

void    config_override(const char *name, const char *value)
{
    if (config_overrides == 0)
        config_overrides = htable_new(16);
    mem_free(htable_enter(config_overrides, name, mem_strdup(value)));
    config_reset_cache();
}

/* config_override_arg - "-o name=value" from a command line. */

int     config_override_arg(const char *name_eq_value)
{
    char   *name, *value;
    const char *why;

    if (main_cf_split(name_eq_value, &name, &value, &why) < 0)
        return (-1);
    config_override(name, value);
    mem_free(name);
    mem_free(value);
    return (0);
}

const char *config_default(const char *name)
{
    const PARAM_DEF *def = param_find(name);

    if (def == 0)
        return (0);
    /*
     * As Postfix: an unqualified host name takes mydomain when main.cf
     * sets it, and mydomain defaults to myhostname minus its first label.
     */
    if (strcmp(name, "myhostname") == 0 && (def->flags & PARAM_COMPUTED)) {
        static int busy;                /* mydomain may refer to myhostname */

        if (config_hostname == 0) {
            const char *domain = 0;

            if (!busy && config_file && main_cf_find(config_file, "mydomain")) {
                busy = 1;
                domain = config_value("mydomain");
                busy = 0;
            }
            config_hostname = param_hostname(domain);
        }
        return (config_hostname);
    }
    if (strcmp(name, "mydomain") == 0 && (def->flags & PARAM_COMPUTED))
        return (param_domain(config_value("myhostname")));
    if (strcmp(name, "mynetworks") == 0) {
        if (config_networks == 0) {
            BUF    *why = buf_new(64);

            config_networks = mynetworks_default(config_value("mynetworks_style"),
                                                 config_value("inet_interfaces"),
                                                 config_value("inet_protocols"),
                                                 why);
            if (config_networks == 0)
                msg_fatal("%s", why->data);
            buf_free(&why);
        }
        return (config_networks);
    }
    return (param_default(def));
}

const char *config_raw(const char *name)
{
    const PARAM_DEF *def = param_find(name);
    const MAIN_CF_ENTRY *entry;
    const char *value;

    if (config_overrides && (value = htable_find(config_overrides, name)) != 0)
        return (value);
    if (config_file && (def == 0 || (def->flags & PARAM_READONLY) == 0)
        && (entry = main_cf_find(config_file, name)) != 0)
        return (entry->value);
    if (strcmp(name, "config_directory") == 0 && config_directory)
        return (config_directory);
    return (config_default(name));
}

int     config_is_known(const char *name)
{
    return (config_raw(name) != 0);
}

static const char *config_lookup(const char *name, void *context)
{
    (void) context;
    return (config_raw(name));
}

static void config_undefined_name(const char *name, void *context)
{
    (void) context;
    if (config_undefined && !htable_has(config_undefined, name)) {
        htable_enter(config_undefined, name, 0);
        msg_warn("%s/main.cf: undefined parameter: %s", config_dir(), name);
    }
}

/* config_expand - expand text in the context of this configuration. */

int     config_expand(const char *text, BUF *out)
{
    BUF    *err = buf_new(64);
    int     status;

    status = expand_text(text, config_lookup, config_undefined_name, 0, out, err);
    if (status != EXPAND_OK)
        msg_warn("%s", err->data);
    buf_free(&err);
    return (status);
}

const char *config_value(const char *name)
{
    const PARAM_DEF *def;
    const char *raw, *cached;
    BUF    *out;

    if (config_cache == 0)
        config_cache = htable_new(128);
    if ((cached = htable_find(config_cache, name)) != 0)
        return (cached);
    if ((raw = config_raw(name)) == 0)
        return (0);
    if ((def = param_find(name)) != 0 && (def->flags & PARAM_RAW))
        return (raw);
    out = buf_new(strlen(raw) + 16);
    (void) config_expand(raw, out);
    cached = buf_export(&out);
    htable_enter(config_cache, name, (void *) cached);
    return (cached);
}

const char *config_str(PARAM_ID id)
{
    return (config_value(param_table[id].name));
}

/* config_where - "file, line N: " for a value set in main.cf, else "". */

static void config_where(const char *name, BUF *out)
{
    const MAIN_CF_ENTRY *entry;

    if ((config_overrides == 0 || !htable_has(config_overrides, name))
        && config_file && (entry = main_cf_find(config_file, name)) != 0)
        buf_printf(out, "%s, line %d: ", config_file->path, entry->first_line);
}

/* config_parse - parse one typed value; log a complaint on failure. */

static int config_parse(const PARAM_DEF *def, long *result, int fatal)
{
    const char *value;
    int     ok, flag;
    BUF    *where;

    if (def->type == PARAM_STR || def->type == PARAM_LIST)
        return (0);
    value = config_value(def->name);
    switch (def->type) {
    case PARAM_BOOL:
        ok = param_parse_bool(value, &flag) == 0;
        *result = ok ? flag : 0;
        break;
    case PARAM_INT:
    case PARAM_SIZE:
        ok = param_parse_int(value, result) == 0;
        break;
    case PARAM_TIME:
        ok = param_parse_time(value, param_time_unit(def), result) == 0;
        break;
    default:
        return (0);
    }
    if (ok)
        return (0);
    where = buf_new(64);
    config_where(def->name, where);
    if (fatal)
        msg_fatal("%sbad %s configuration: %s = %s", where->data,
                  param_type_name(def->type), def->name, value);
    msg_error("%sbad %s configuration: %s = %s", where->data,
              param_type_name(def->type), def->name, value);
    buf_free(&where);
    return (-1);
}

long    config_int(PARAM_ID id)
{
    long    result;

    (void) config_parse(param_table + id, &result, 1);
    return (result);
}

int     config_bool(PARAM_ID id)
{
    return ((int) config_int(id));
}

long    config_time(PARAM_ID id)
{
    return (config_int(id));
}

STRV   *config_list(PARAM_ID id)
{
    return (strv_split(config_str(id), ", \t\r\n"));
}

/* config_check_types - report every typed value that does not parse. */

int     config_check_types(void)
{
    long    ignored;
    int     errors = 0;

    for (int i = 0; i < PARAM_COUNT; i++)
        if (config_parse(param_table + i, &ignored, 0) < 0)
            errors++;
    return (errors);
}

/* config_setup_logging - apply syslog_name and maillog_file. */

void    config_setup_logging(void)
{
    const char *file = config_str(P_MAILLOG_FILE);

    msg_syslog_name(config_str(P_SYSLOG_NAME));
    if (*file) {
        if (msg_logfile(file) < 0)
            msg_fatal("open maillog_file %s: %m", file);
    } else {
        msg_to_syslog(1);
    }
}
