/* NAME
 *	master 3h
 * SUMMARY
 *	master's own types
 * DESCRIPTION
 *	A MASTER_SERV is one master.cf entry with its listening sockets,
 *	its status pipe and the count of its children; a MASTER_PROC is
 *	one child.
 */
#ifndef MASTER_H
#define MASTER_H

#include <sys/types.h>

#include "events.h"
#include "master_cf.h"
#include "master_proto.h"
#include "strv.h"

typedef struct MASTER_SERV {
    char   *name;                       /* master.cf service column */
    char   *type;
    char   *signature;                  /* every column: tells a changed entry */
    char   *path;                       /* program to run */
    STRV   *args;                       /* its master.cf arguments */
    char   *socket_path;                /* unix and fifo services */
    int     unpriv;
    int     chroot;
    int     wakeup;
    int     wakeup_if_used;
    int     maxproc;                    /* 0 = no limit */
    int     listen_fds[MASTER_LISTEN_MAX];
    int     listen_count;
    int     status_pipe[2];
    int     total;                      /* children alive */
    int     avail;                      /* children ready for work */
    int     used;                       /* a child was ever started */
    int     watching;                   /* master listens for demand */
    int     removed;                    /* gone from master.cf; dies with its children */
    long    throttled_until;            /* ms, events_now_ms() clock */
    EVENTS_TIMER *wakeup_timer;
    EVENTS_TIMER *throttle_timer;
    struct MASTER_SERV *next;
} MASTER_SERV;

typedef struct MASTER_PROC {
    pid_t   pid;
    MASTER_SERV *serv;
    int     avail;
    int     reported;                   /* said anything at all */
    struct MASTER_PROC *next;
} MASTER_PROC;

extern EVENTS *master_loop;
extern MASTER_SERV *master_services;
extern int master_lifeline[2];

/* master_service.c */
extern MASTER_SERV *master_service_create(const MASTER_CF_ENTRY *entry);
extern void master_service_free(MASTER_SERV *serv);
extern void master_service_load(MASTER_SERV **list_r);
extern void master_service_reload(void);
extern void master_service_watch(MASTER_SERV *serv);

/* master_spawn.c */
extern void master_spawn(MASTER_SERV *serv);
extern void master_reap(void);
extern void master_signal_children(MASTER_SERV *serv, int sig);
extern int master_children(void);

/* master_wakeup.c */
extern void master_wakeup_start(MASTER_SERV *serv);
extern void master_wakeup_soon(MASTER_SERV *serv);

#endif
