/* NAME
 *	master_service 3
 * SUMMARY
 *	master.cf entries as live services: listeners and demand
 * DESCRIPTION
 *	master opens every listening socket itself, so a daemon can drop
 *	privileges and still serve port 25. It watches a service's sockets
 *	only while no child of that service is available: then a pending
 *	connection means demand, and a child is forked for it. While a
 *	child is available, the children accept by themselves and master
 *	stays out of the data path.
 *
 *	Reload compares each entry's signature (all columns): unchanged
 *	services keep their sockets, so no connection is refused during a
 *	reload; changed and removed ones are closed and their children told
 *	to finish.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>

#include "buf.h"
#include "config.h"
#include "master.h"
#include "mem.h"
#include "msg.h"
#include "priv.h"
#include "sock.h"

#define MASTER_BACKLOG 1024

MASTER_SERV *master_services;

/* master_service_port - a numeric port, or a name from /etc/services. */

static char *master_service_port(const char *port)
{
    struct servent *se;
    char    num[16];

    if (strspn(port, "0123456789") == strlen(port))
        return (mem_strdup(port));
    if ((se = getservbyname(port, "tcp")) == 0)
        msg_fatal("unknown service: %s/tcp", port);
    snprintf(num, sizeof(num), "%d", ntohs((unsigned short) se->s_port));
    return (mem_strdup(num));
}

static int master_service_family(void)
{
    STRV   *protos = config_list(P_INET_PROTOCOLS);
    int     v4 = 0, v6 = 0;

    for (size_t i = 0; i < protos->argc; i++) {
        if (strcmp(protos->argv[i], "all") == 0)
            v4 = v6 = 1;
        else if (strcmp(protos->argv[i], "ipv4") == 0)
            v4 = 1;
        else if (strcmp(protos->argv[i], "ipv6") == 0)
            v6 = 1;
        else
            msg_fatal("bad inet_protocols value: %s", protos->argv[i]);
    }
    strv_free(&protos);
    return (v4 && v6 ? SOCK_FAMILY_ANY : v6 ? SOCK_FAMILY_INET6 : SOCK_FAMILY_INET);
}

static void master_service_bind(MASTER_SERV *serv, const char *host,
                                const char *port, int family)
{
    int     n = sock_inet_listen(host, port, family, MASTER_BACKLOG,
                                 serv->listen_fds + serv->listen_count,
                                 MASTER_LISTEN_MAX - serv->listen_count);

    if (n < 0)
        msg_fatal("bind %s port %s: %m", host ? host : "*", port);
    serv->listen_count += n;
}

static void master_service_open_inet(MASTER_SERV *serv)
{
    char   *host, *port_name, *port;
    int     family = master_service_family();

    if (master_cf_split_inet(serv->name, &host, &port_name) < 0)
        msg_panic("unchecked inet service %s", serv->name);
    port = master_service_port(port_name);
    if (host) {
        master_service_bind(serv, host, port, family);
    } else {
        STRV   *ifaces = config_list(P_INET_INTERFACES);

        for (size_t i = 0; i < ifaces->argc; i++) {
            const char *iface = ifaces->argv[i];

            if (strcmp(iface, "all") == 0) {
                master_service_bind(serv, 0, port, family);
            } else if (strcmp(iface, "loopback-only") == 0) {
                if (family != SOCK_FAMILY_INET6)
                    master_service_bind(serv, "127.0.0.1", port, SOCK_FAMILY_INET);
                if (family != SOCK_FAMILY_INET)
                    master_service_bind(serv, "::1", port, SOCK_FAMILY_INET6);
            } else {
                char   *bare = mem_strdup(iface + (*iface == '['));

                bare[strcspn(bare, "]")] = 0;
                master_service_bind(serv, bare, port, family);
                mem_free(bare);
            }
        }
        strv_free(&ifaces);
    }
    mem_free(host);
    mem_free(port_name);
    mem_free(port);
}

/*
 * master_service_open_local - unix and fifo services live in private/
 * (mail_owner only) or public/ (reachable through the directory by the
 * setgid group, which is what guards it).
 */
static void master_service_open_local(MASTER_SERV *serv, int private_flag)
{
    BUF    *path = buf_new(256);
    mode_t  mode = private_flag ? 0600 : 0666;
    int     fd;

    buf_printf(path, "%s/%s/%s", config_str(P_QUEUE_DIRECTORY),
               private_flag ? "private" : "public", serv->name);
    if (strcmp(serv->type, "fifo") == 0)
        fd = sock_fifo_listen(path->data, private_flag ? 0600 : 0622);
    else
        fd = sock_unix_listen(path->data, MASTER_BACKLOG, mode);
    if (fd < 0)
        msg_fatal("open %s socket %s: %m", serv->type, path->data);
    if (geteuid() == 0) {
        uid_t   uid;
        gid_t   gid;

        if (priv_lookup_user(config_str(P_MAIL_OWNER), &uid, &gid) == 0
            && chown(path->data, uid, gid) < 0)
            msg_fatal("chown %s: %m", path->data);
    }
    serv->listen_fds[serv->listen_count++] = fd;
    serv->socket_path = buf_export(&path);
}

/* master_service_signature - every column: equal means unchanged. */

static char *master_service_signature(const MASTER_CF_ENTRY *entry)
{
    BUF    *sig = buf_new(128);

    buf_printf(sig, "%s %s", entry->service, entry->type);
    for (int i = 0; i < 5; i++)
        buf_printf(sig, " %s", entry->fields[i]);
    for (size_t i = 0; i < entry->command->argc; i++)
        buf_printf(sig, " %s", entry->command->argv[i]);
    return (buf_export(&sig));
}

MASTER_SERV *master_service_create(const MASTER_CF_ENTRY *entry)
{
    MASTER_SERV *serv = mem_calloc(1, sizeof(*serv));
    const char *command = entry->command->argv[0];

    serv->name = mem_strdup(entry->service);
    serv->type = mem_strdup(entry->type);
    if (strchr(command, '/'))
        serv->path = mem_strdup(command);
    else {
        BUF    *path = buf_new(128);

        buf_printf(path, "%s/%s", config_str(P_DAEMON_DIRECTORY), command);
        serv->path = buf_export(&path);
    }
    serv->args = strv_new();
    for (size_t i = 1; i < entry->command->argc; i++)
        strv_add(serv->args, entry->command->argv[i]);
    serv->unpriv = MASTER_CF_UNPRIV(entry);
    serv->chroot = MASTER_CF_CHROOT(entry);
    serv->wakeup = entry->wakeup;
    serv->wakeup_if_used = entry->wakeup_if_used;
    serv->maxproc = entry->maxproc < 0 ? (int) config_int(P_DEFAULT_PROCESS_LIMIT)
        : entry->maxproc;
    serv->signature = master_service_signature(entry);

    if (strcmp(serv->type, "inet") == 0)
        master_service_open_inet(serv);
    else if (strcmp(serv->type, "unix") == 0 || strcmp(serv->type, "fifo") == 0)
        master_service_open_local(serv, MASTER_CF_PRIVATE(entry));
    else
        msg_fatal("%s: service type %s is not supported", serv->name, serv->type);
    if (pipe2(serv->status_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        msg_fatal("pipe: %m");
    return (serv);
}

void    master_service_free(MASTER_SERV *serv)
{
    events_cancel(master_loop, &serv->wakeup_timer);
    events_cancel(master_loop, &serv->throttle_timer);
    for (int i = 0; i < serv->listen_count; i++) {
        events_unwatch(master_loop, serv->listen_fds[i]);
        close(serv->listen_fds[i]);
    }
    events_unwatch(master_loop, serv->status_pipe[0]);
    close(serv->status_pipe[0]);
    close(serv->status_pipe[1]);
    mem_free(serv->name);
    mem_free(serv->type);
    mem_free(serv->signature);
    mem_free(serv->path);
    mem_free(serv->socket_path);
    strv_free(&serv->args);
    mem_free(serv);
}

static void master_service_demand(int fd, int ready, void *context)
{
    MASTER_SERV *serv = context;

    (void) fd;
    (void) ready;
    master_spawn(serv);
    master_service_watch(serv);
}

static void master_service_unthrottle(void *context)
{
    MASTER_SERV *serv = context;

    serv->throttle_timer = 0;
    serv->throttled_until = 0;
    master_service_watch(serv);
}

/*
 * master_service_watch - listen for demand exactly when a new child
 * could be started for it and none is available.
 */
void    master_service_watch(MASTER_SERV *serv)
{
    int     want;

    if (serv->throttled_until && serv->throttle_timer == 0)
        serv->throttle_timer = events_timer(master_loop,
                                            serv->throttled_until - events_now_ms(),
                                            master_service_unthrottle, serv);
    want = !serv->removed && serv->avail == 0 && serv->throttled_until == 0
        && (serv->maxproc == 0 || serv->total < serv->maxproc);
    if (want == serv->watching)
        return;
    serv->watching = want;
    for (int i = 0; i < serv->listen_count; i++) {
        if (want)
            events_watch(master_loop, serv->listen_fds[i], EVENTS_READ,
                         master_service_demand, serv);
        else
            events_unwatch(master_loop, serv->listen_fds[i]);
    }
}

void    master_service_load(MASTER_SERV **list_r)
{
    BUF    *path = buf_new(256);
    MASTER_CF *cf;
    MASTER_SERV **tail = list_r;
    int     missing;

    buf_printf(path, "%s/master.cf", config_dir());
    cf = master_cf_read(path->data, MASTER_CF_FATAL, &missing);
    if (missing)
        msg_fatal("open %s: No such file or directory", path->data);
    *list_r = 0;
    for (size_t i = 0; i < cf->count; i++) {
        *tail = master_service_create(cf->entries + i);
        tail = &(*tail)->next;
    }
    master_cf_free(&cf);
    buf_free(&path);
}

/* master_service_take - unlink the live entry with this signature. */

static MASTER_SERV *master_service_take(const char *signature)
{
    for (MASTER_SERV **pp = &master_services; *pp; pp = &(*pp)->next) {
        if (!(*pp)->removed && strcmp((*pp)->signature, signature) == 0) {
            MASTER_SERV *serv = *pp;

            *pp = serv->next;
            serv->next = 0;
            return (serv);
        }
    }
    return (0);
}

/* master_service_retire - close a vanished service; it dies with its children. */

static void master_service_retire(MASTER_SERV *serv)
{
    serv->removed = 1;
    master_service_watch(serv);
    for (int i = 0; i < serv->listen_count; i++)
        close(serv->listen_fds[i]);
    serv->listen_count = 0;
    events_cancel(master_loop, &serv->wakeup_timer);
}

/*
 * master_service_reload - re-read main.cf and master.cf. Unchanged
 * entries keep their sockets, so nothing is refused during a reload;
 * vanished or changed ones are closed before new ones bind, so a changed
 * entry can take over its old address. Every child is told to finish
 * and exit, so new children run with the new configuration.
 */
void    master_service_reload(void)
{
    BUF    *path = buf_new(256);
    MASTER_CF *cf;
    MASTER_SERV *fresh = 0, **tail = &fresh;
    char  **sigs;
    int     missing;

    config_load(config_dir(), 0);
    config_setup_logging();
    buf_printf(path, "%s/master.cf", config_dir());
    cf = master_cf_read(path->data, 0, &missing);
    if (missing || cf->errors) {
        msg_warn("%s: errors found, master.cf not reloaded", path->data);
        master_cf_free(&cf);
        buf_free(&path);
        return;
    }
    sigs = mem_calloc(cf->count + 1, sizeof(char *));
    for (size_t i = 0; i < cf->count; i++) {
        MASTER_SERV *old;

        sigs[i] = master_service_signature(cf->entries + i);
        if ((old = master_service_take(sigs[i])) != 0) {
            *tail = old;
            tail = &old->next;
        }
    }
    for (MASTER_SERV *serv = master_services; serv; serv = serv->next)
        if (!serv->removed)
            master_service_retire(serv);
    /* Now create the new entries, in master.cf order among the kept ones. */
    for (size_t i = 0; i < cf->count; i++) {
        int     kept = 0;

        for (MASTER_SERV *serv = fresh; serv && !kept; serv = serv->next)
            kept = strcmp(serv->signature, sigs[i]) == 0;
        if (!kept) {
            *tail = master_service_create(cf->entries + i);
            tail = &(*tail)->next;
        }
        mem_free(sigs[i]);
    }
    mem_free(sigs);
    /* Retired entries stay listed until their last child is reaped. */
    *tail = master_services;
    master_services = fresh;
    for (MASTER_SERV *serv = master_services; serv; serv = serv->next) {
        master_signal_children(serv, SIGHUP);
        if (!serv->removed) {
            master_service_watch(serv);
            master_wakeup_start(serv);
        }
    }
    master_cf_free(&cf);
    buf_free(&path);
}
