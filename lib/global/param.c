/* NAME
 *	param 3
 * SUMMARY
 *	parameter definitions and value syntax
 * DESCRIPTION
 *	Computed defaults are worked out once, on first use: myhostname
 *	from gethostname(2) (qualified with "localdomain" when it has no
 *	dot), mydomain from myhostname; process_name and process_id are
 *	the running program's. mynetworks depends on other parameters
 *	(mynetworks_style, inet_interfaces), so the configuration computes
 *	it with mynetworks(3).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mem.h"
#include "msg.h"
#include "param.h"

#ifndef POSTERN_VERSION
#define POSTERN_VERSION      "0.1.0"
#endif
#ifndef POSTERN_PREFIX
#define POSTERN_PREFIX       "/usr/local"
#endif
#define POSTERN_QUEUE_DIR    "/var/spool/postern"
#define POSTERN_DATA_DIR     "/var/lib/postern"
#define POSTERN_DAEMON_DIR   POSTERN_PREFIX "/libexec/postern"
#define POSTERN_COMMAND_DIR  POSTERN_PREFIX "/sbin"
#define POSTERN_CONFIG_DIR   POSTERN_PREFIX "/etc/postern"

#define PARAM(id, type, flags, name, def, doc) {name, type, flags, def, doc},
const PARAM_DEF param_table[PARAM_COUNT] = {
#include "param_list.h"
};
#undef PARAM

const PARAM_DEF *param_find(const char *name)
{
    /* The table is small and this runs once per name at load time. */
    for (int i = 0; i < PARAM_COUNT; i++)
        if (strcmp(param_table[i].name, name) == 0)
            return (param_table + i);
    return (0);
}

const char *param_type_name(PARAM_TYPE type)
{
    static const char *names[] = {"string", "list", "integer", "boolean",
    "time", "size"};

    return (names[type]);
}

/*
 * param_hostname - this host's name, qualified with domain (or with
 * "localdomain" when domain is NULL or empty) when it has no dot. Each
 * call returns a new string.
 */
char   *param_hostname(const char *domain)
{
    char    name[256];

    if (gethostname(name, sizeof(name)) < 0 || name[0] == 0)
        snprintf(name, sizeof(name), "localhost");
    name[sizeof(name) - 1] = 0;
    if (strchr(name, '.') == 0) {
        size_t  len = strlen(name);

        snprintf(name + len, sizeof(name) - len, ".%s",
                 domain && *domain ? domain : "localdomain");
    }
    return (mem_strdup(name));
}

/* param_domain - a host name minus its first label, or "localdomain" */

const char *param_domain(const char *hostname)
{
    const char *dot = strchr(hostname, '.');

    return (dot && dot[1] ? dot + 1 : "localdomain");
}

static const char *param_compute_hostname(void)
{
    static char *hostname;

    if (hostname == 0)
        hostname = param_hostname(0);
    return (hostname);
}

const char *param_default(const PARAM_DEF *def)
{
    if ((def->flags & PARAM_COMPUTED) == 0)
        return (def->def);
    if (strcmp(def->name, "myhostname") == 0)
        return (param_compute_hostname());
    if (strcmp(def->name, "mydomain") == 0)
        return (param_domain(param_compute_hostname()));
    if (strcmp(def->name, "process_name") == 0)
        return (msg_program());
    if (strcmp(def->name, "process_id") == 0) {
        static char pid[32];

        snprintf(pid, sizeof(pid), "%ld", (long) getpid());
        return (pid);
    }
    return (def->def);
}

int     param_parse_bool(const char *value, int *result)
{
    if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0) {
        *result = 1;
        return (0);
    }
    if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0) {
        *result = 0;
        return (0);
    }
    return (-1);
}

int     param_parse_int(const char *value, long *result)
{
    char   *end;
    long    n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (end == value || *end != 0 || errno == ERANGE)
        return (-1);
    *result = n;
    return (0);
}

int     param_time_unit(const PARAM_DEF *def)
{
    size_t  len = strlen(def->def);
    int     unit = len ? def->def[len - 1] : 's';

    return (strchr("smhdw", unit) && unit ? unit : 's');
}

/* param_parse_time - "10", "10s", "5m", "2h", "3d", "1w"; result in seconds. */

int     param_parse_time(const char *value, int default_unit, long *seconds)
{
    char   *end;
    long    n, scale;
    int     unit;

    errno = 0;
    n = strtol(value, &end, 10);
    if (end == value || n < 0 || errno == ERANGE)
        return (-1);
    if (*end == 0)
        unit = default_unit;
    else if (end[1] == 0)
        unit = tolower((unsigned char) *end);
    else
        return (-1);
    switch (unit) {
    case 's':
        scale = 1;
        break;
    case 'm':
        scale = 60;
        break;
    case 'h':
        scale = 3600;
        break;
    case 'd':
        scale = 86400;
        break;
    case 'w':
        scale = 7 * 86400;
        break;
    default:
        return (-1);
    }
    if (n > LONG_MAX / scale)
        return (-1);
    *seconds = n * scale;
    return (0);
}
