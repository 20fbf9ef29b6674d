/* NAME
 *	param 3
 * SUMMARY
 *	parameter definitions and value syntax
 * DESCRIPTION
 *	Computed defaults are worked out once, on first use: myhostname
 *	from gethostname(2) (qualified with "localdomain" when it has no
 *	dot), mydomain from myhostname. mynetworks depends on another
 *	parameter (mynetworks_style), so the configuration computes it
 *	with param_mynetworks().
 */
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
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

static const char *param_compute_hostname(void)
{
    static char *hostname;
    char    name[256];

    if (hostname == 0) {
        if (gethostname(name, sizeof(name)) < 0 || name[0] == 0)
            snprintf(name, sizeof(name), "localhost");
        name[sizeof(name) - 1] = 0;
        if (strchr(name, '.') == 0) {
            size_t  len = strlen(name);

            snprintf(name + len, sizeof(name) - len, ".localdomain");
        }
        hostname = mem_strdup(name);
    }
    return (hostname);
}

static const char *param_compute_domain(void)
{
    const char *dot = strchr(param_compute_hostname(), '.');

    return (dot && dot[1] ? dot + 1 : "localdomain");
}

/*
 * param_mynetworks - the networks of this host's interfaces, per
 * mynetworks_style: "host" (each address alone), "subnet" (each
 * interface's network) or "class" (the old class A/B/C network).
 */
char   *param_mynetworks(const char *style)
{
    struct ifaddrs *list, *ifa;
    char    addr[INET6_ADDRSTRLEN];
    int     host = strcasecmp(style, "host") == 0;
    int     class = strcasecmp(style, "class") == 0;
    BUF    *out = buf_new(128);

    if (getifaddrs(&list) == 0) {
        for (ifa = list; ifa; ifa = ifa->ifa_next) {
            int     bits = 0;
            unsigned char *a, *m;
            size_t  len;
            unsigned char net[16];

            if (ifa->ifa_addr == 0 || ifa->ifa_netmask == 0)
                continue;
            if (ifa->ifa_addr->sa_family == AF_INET) {
                a = (unsigned char *) &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr;
                m = (unsigned char *) &((struct sockaddr_in *) ifa->ifa_netmask)->sin_addr;
                len = 4;
            } else if (ifa->ifa_addr->sa_family == AF_INET6) {
                a = (unsigned char *) &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;
                m = (unsigned char *) &((struct sockaddr_in6 *) ifa->ifa_netmask)->sin6_addr;
                len = 16;
            } else {
                continue;
            }
            for (size_t i = 0; i < len; i++) {
                net[i] = host ? a[i] : a[i] & m[i];
                for (int b = 0; b < 8; b++)
                    bits += (m[i] >> b) & 1;
            }
            if (host)
                bits = (int) len * 8;
            else if (class && len == 4) {
                bits = a[0] < 128 ? 8 : a[0] < 192 ? 16 : 24;
                memset(net + bits / 8, 0, 4 - (size_t) bits / 8);
            }
            inet_ntop(ifa->ifa_addr->sa_family, net, addr, sizeof(addr));
            if (len == 4)
                buf_printf(out, "%s%s/%d", out->len ? " " : "", addr, bits);
            else
                buf_printf(out, "%s[%s]/%d", out->len ? " " : "", addr, bits);
        }
        freeifaddrs(list);
    }
    if (out->len == 0)
        buf_puts(out, "127.0.0.0/8 [::1]/128");
    return (buf_export(&out));
}

const char *param_default(const PARAM_DEF *def)
{
    if ((def->flags & PARAM_COMPUTED) == 0)
        return (def->def);
    if (strcmp(def->name, "myhostname") == 0)
        return (param_compute_hostname());
    if (strcmp(def->name, "mydomain") == 0)
        return (param_compute_domain());
    if (strcmp(def->name, "process_name") == 0)
        return (msg_program());
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
