/* NAME
 *	daemon 3h
 * SUMMARY
 *	the one skeleton every Postern daemon runs on
 * DESCRIPTION
 *	daemon_main() does what all daemons share: it parses master's
 *	arguments (master_proto(3h)), loads main.cf plus -o overrides, sets
 *	up logging, runs the program's pre_init (still privileged), drops
 *	to mail_owner and chroots when master said so, changes directory to
 *	queue_directory (so queue paths are relative and work the same
 *	inside and outside a chroot), runs post_init, and then serves in
 *	one of three ways:
 *
 *	DAEMON_SINGLE: one connection at a time, handed to serve(), which
 *	may block (with its own deadlines). For delivery agents.
 *	DAEMON_MULTI: many connections in one event loop; accept() takes a
 *	new connection and registers it with daemon_events(). The program
 *	calls daemon_session_done() when a session ends. For smtpd, pop3d,
 *	imapd.
 *	DAEMON_TRIGGER: short requests (wakeups) passed to trigger(); the
 *	program does its real work from timers and descriptors on
 *	daemon_events(). For qmgr and pickup.
 *
 *	The skeleton reports busy/available to master, exits after max_use
 *	connections or max_idle seconds without one (not TRIGGER), and
 *	exits once idle when master asks (SIGHUP, SIGTERM) or disappears.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include <stddef.h>

#include "events.h"

typedef enum DAEMON_KIND {
    DAEMON_SINGLE, DAEMON_MULTI, DAEMON_TRIGGER,
} DAEMON_KIND;

typedef struct DAEMON_SPEC {
    DAEMON_KIND kind;
    void    (*pre_init) (void);         /* privileged set-up */
    void    (*post_init) (void);        /* set-up after the drop */
    void    (*serve) (int fd);          /* DAEMON_SINGLE */
    void    (*accept) (int fd);         /* DAEMON_MULTI */
    void    (*trigger) (const char *request, size_t len);  /* DAEMON_TRIGGER */
    int     session_limit;              /* DAEMON_MULTI; 0 = no limit */
} DAEMON_SPEC;

extern int daemon_main(int argc, char **argv, const DAEMON_SPEC *spec);
extern EVENTS *daemon_events(void);
extern const char *daemon_service(void);
extern const char *daemon_argv(int index);
extern void daemon_session_done(void);
extern int daemon_sessions(void);
extern int daemon_stopping(void);

#endif
