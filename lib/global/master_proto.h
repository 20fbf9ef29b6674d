/* NAME
 *	master_proto 3h
 * SUMMARY
 *	what master hands to the daemons it forks
 * DESCRIPTION
 *	A child of master finds, besides stdin/stdout/stderr (all on
 *	/dev/null):
 *
 *	MASTER_STATUS_FD (3): write end of its service's status pipe. The
 *	child writes a MASTER_STATUS record (smaller than PIPE_BUF, so
 *	writes from many children never interleave) when it becomes
 *	available for new work and when it becomes busy. master forks a
 *	new child for a service only when none is available.
 *
 *	MASTER_LIFELINE_FD (4): read end of a pipe whose write end only
 *	master holds. When master goes away, even by kill -9, this reads
 *	end-of-file and the child exits once its current work is done.
 *
 *	MASTER_LISTEN_FD (5) and up: the service's listening sockets (an
 *	inet service may have one per address family), their number given
 *	with "-s count".
 *
 *	Arguments: command -c config_dir -n service -t type -s count
 *	[-u] [-z] [-w wakeup] [master.cf arguments ...]; -u asks the child
 *	to drop to mail_owner, -z to chroot to queue_directory first.
 *
 *	SIGHUP or SIGTERM from master: finish the current work, then exit.
 *	master sends SIGHUP on reload, so every child re-reads the
 *	configuration by being replaced.
 */
#ifndef MASTER_PROTO_H
#define MASTER_PROTO_H

#include <sys/types.h>

#define MASTER_STATUS_FD    3
#define MASTER_LIFELINE_FD  4
#define MASTER_LISTEN_FD    5
#define MASTER_LISTEN_MAX   16

#define MASTER_STATUS_AVAIL 1
#define MASTER_STATUS_BUSY  2

typedef struct MASTER_STATUS {
    pid_t   pid;
    int     status;                     /* MASTER_STATUS_AVAIL or _BUSY */
} MASTER_STATUS;

/* The one-byte requests a wakeup or trigger carries. */
#define MASTER_TRIGGER_WAKEUP   'W'     /* periodic wakeup from master */
#define MASTER_TRIGGER_SCAN     'A'     /* new mail: scan incoming/ */
#define MASTER_TRIGGER_FLUSH    'F'     /* retry deferred mail now */
#define MASTER_TRIGGER_FLUSH_SITE 'S'   /* "Sdomain\0": mail for that domain */
#define MASTER_TRIGGER_FLUSH_ID 'I'     /* "Iqueueid\0": that message */

#endif
