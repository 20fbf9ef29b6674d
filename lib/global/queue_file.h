/* NAME
 *	queue_file 3h
 * SUMMARY
 *	the queue file: a validated record log
 * DESCRIPTION
 *	One queue file holds one message: its envelope (sender,
 *	recipients, arrival time, client attributes) and its content. The
 *	same code writes queue files (smtpd, pickup), reads them (qmgr,
 *	delivery agents, postqueue) and backs postcat(1).
 *
 * RECORDS
 *	A file is a sequence of records. A record is
 *
 *	    type     1 byte, an ASCII letter
 *	    length   the payload length, a base-128 varint: groups of 7
 *	             bits, least significant group first, high bit set on
 *	             every byte but the last; 1 to 5 bytes, minimal (no
 *	             trailing zero group); at most QUEUE_FILE_REC_MAX
 *	             (16 MiB), 'D' at most QUEUE_FILE_DATA_MAX (64 KiB)
 *	    payload  length bytes
 *
 *	Record types, in the order of their sections:
 *
 *	    'V'  version, payload "1". The first record, always.
 *	    'Z'  sizes, the second record, always. Payload
 *	         "%15ld %15ld %15ld" (47 bytes, fixed width so that it can
 *	         be rewritten in place once the content is written):
 *	         message_size (bytes of content, the sum of the 'D'
 *	         payloads), content_offset (file offset of the first record
 *	         after 'M'), recipient_count ('R' plus 'r' records in the
 *	         whole file). Written as zeros, rewritten at commit.
 *	  envelope section, any order:
 *	    'T'  arrival time "sec.usec" (usec 6 digits); exactly one.
 *	    'S'  sender; an empty payload is the null sender <>; exactly
 *	         one.
 *	    'A'  named attribute "name=value", name non-empty (client_name,
 *	         client_address, client_port, helo_name, protocol,
 *	         sasl_username, rewrite_context, encoding, ...).
 *	    'O'  original recipient of the record that comes next, which
 *	         must be an 'R' or 'r'.
 *	    'R'  recipient, not yet delivered (non-empty).
 *	    'r'  recipient, done: an 'R' whose type byte was rewritten in
 *	         place after final delivery (success or bounce).
 *	    'W'  delay warning time "%15ld" (seconds, leading blanks
 *	         allowed, fixed width so that qmgr can rewrite it);
 *	         at most one.
 *	    'M'  start of content, empty payload.
 *	  content section:
 *	    'D'  data: the next bytes of the message (headers and body,
 *	         lines ending in LF, as smtpd stores them after
 *	         dot-unstuffing). Records split lines anywhere.
 *	    'X'  end of content, empty payload.
 *	  trailer section (recipients found in the content, sendmail -t):
 *	    'O', 'R', 'r', 'A' as in the envelope.
 *	    'E'  end, empty payload. The last record, always.
 *
 *	Text payloads (every type but 'D') contain no NUL byte. Anything
 *	else is corrupt: an unknown type, a type outside its section, a
 *	second 'V', 'T', 'S' or 'W', a bad payload, bytes after 'E', no
 *	'E' at all (a crash while writing), a 'Z' whose numbers disagree
 *	with the file, an 'O' not followed by 'R' or 'r'.
 *
 * FILES AND NAMES
 *	A committed queue file is named by its queue ID (queue_id(3h)) in
 *	a queue directory (incoming, active, deferred, hold, corrupt,
 *	maildrop). While it is being written it is DIR/.tmp.<ID>: the
 *	leading dot makes it an invalid queue ID, so no reader picks it
 *	up. The ID is made when the file is created, so that the writer
 *	can log with it at once (Postfix logs "ID: client=..." before
 *	the message is complete).
 *
 * WRITING
 *	queue_file_create() makes DIR/.tmp.<ID> (mode 0600) relative to the
 *	current directory (daemons run in queue_directory), or returns NULL
 *	with errno set (ENOENT, EACCES, ENOSPC, ...). The envelope
 *	calls come first, in any order; queue_file_begin_content(),
 *	queue_file_write_content() (buffered: at most one 'D' record of
 *	content is held in memory) and queue_file_end_content() follow;
 *	then queue_file_add_rcpt() and queue_file_add_attr() write to the
 *	trailer. queue_file_commit() writes 'E', rewrites 'Z', fsync()s,
 *	renames the file to DIR/<ID> without ever replacing an existing
 *	file, fsync()s DIR, frees the object and stores the ID in id_r.
 *	The ID is that of queue_file_id() unless a file of that name
 *	already existed (a clash of 30 random bits in one microsecond),
 *	in which case the file gets a new ID. queue_file_set_queue(), any
 *	time before the commit, names another queue directory for the
 *	committed file (an access table's HOLD: "hold"); the temporary
 *	file stays where it is until the rename.
 *
 *	Errors are sticky: after the first failure (ENOSPC, EIO, ...) the
 *	temporary file is removed and every later call returns -1 at once
 *	with that errno; queue_file_commit() returns -1 and frees the
 *	object, so the caller can answer 452 4.3.1 (ENOSPC) or 451 4.3.0
 *	and the message exists nowhere. Calls out of order, an empty
 *	recipient and an attribute name with "=" are bugs (msg_panic).
 *	queue_file_abort() removes the temporary file and frees the object.
 *	One QUEUE_FILE per message and no global state: a writer may run
 *	in any thread; the writer never logs, its caller does.
 *	queue_file_add_warn() writes a 'W' record (envelope) for
 *	queue_file_set_warn() to update later.
 *
 * READING
 *	queue_file_open() reads and validates the whole record structure
 *	(not loading the content) and keeps the envelope in memory; on a
 *	problem it returns -1 with a reason in why, such as "truncated
 *	record at offset 120" or "missing end record", and errno EBADMSG
 *	for a corrupt file (move it to corrupt/) or the system's errno
 *	(ENOENT: someone else moved it; EIO: try later).
 *	queue_file_open_fd() is the same for an open descriptor, which it
 *	owns from then on (it is closed on failure too); name is used for
 *	queue_file_id(), which is "" unless the last component of the name
 *	is a valid queue ID. An attribute that occurs twice has the value
 *	of the later record (the trailer wins). With
 *	QUEUE_FILE_UPDATE the file is opened for writing too, so that
 *	queue_file_mark_done() can flip one recipient's 'R' to 'r' as soon
 *	as its delivery is final: a crash never delivers it twice (-1 with
 *	EBADF without QUEUE_FILE_UPDATE, EIO when the byte on disk is no
 *	longer 'R'; marking a done recipient again does nothing). The mark
 *	is fdatasync()ed, except with QUEUE_FILE_MARK_NOSYNC, for a caller
 *	whose delivery a repeat would find (see local_maildir(3)): then a
 *	process crash still cannot lose the mark (it is in the page cache),
 *	only a system crash can, and the repeat does no harm.
 *	queue_file_content_read() returns the content across 'D' records.
 *	queue_file_walk() calls a function for every
 *	record in order, with its payload. queue_file_set_warn() rewrites
 *	the 'W' record in place (QUEUE_FILE_UPDATE; ENOENT without one).
 *	Readers are independent objects: one per thread is fine.
 *
 *	queue_file_walk_fd() does both at once for postcat: it checks the
 *	file as it goes and hands each good record to the function, so
 *	that the good part of a corrupt file can still be shown; it returns
 *	0 when the whole file is good, the function's value when that
 *	stopped the walk, or -1 with the reason in why (errno EBADMSG for a
 *	corrupt file) at the first problem. queue_file_open() and
 *	queue_file_walk_fd() apply the same checks and give the same
 *	reasons (the fuzz target insists on it).
 *
 * ATTEMPTS
 *	queue_file_mark_tried() tells whether a file has been handed to
 *	delivery agents before, and marks it so: a new queue file has mode
 *	0600, one that qmgr has activated once has the owner's execute bit
 *	set too (0700). It returns 0 for a first attempt (now marked), 1
 *	when the file was marked already, -1 with errno. A chmod(2) is an
 *	inode update, not a write of data, and is not forced to disk: a
 *	process crash keeps it, a system crash may not (qmgr's start-up
 *	recovery marks what it finds in active/). local uses the answer
 *	to skip its search for an earlier copy on first attempts.
 *
 *	queue_file_decode_header() is the incremental record-header
 *	parser underneath: given the bytes so far, it returns 0 for "need
 *	more", QUEUE_FILE_HDR_BAD for a malformed length (six bytes, or
 *	not minimal), QUEUE_FILE_HDR_TOOLONG above QUEUE_FILE_REC_MAX, or
 *	the length of the header (type and length bytes). It does not
 *	judge the type byte.
 */
#ifndef QUEUE_FILE_H
#define QUEUE_FILE_H

#include <stddef.h>
#include <sys/time.h>
#include <sys/types.h>

#include "buf.h"
#include "queue_id.h"

#define QUEUE_FILE_REC_MAX   (16 * 1024 * 1024)  /* any payload */
#define QUEUE_FILE_DATA_MAX  (64 * 1024)        /* 'D' payload */
#define QUEUE_FILE_HDR_MAX   6                  /* type + 5-byte length */
#define QUEUE_FILE_VERSION   "1"

/* queue_file_decode_header() results besides 0 and a length. */
#define QUEUE_FILE_HDR_BAD      (-1)
#define QUEUE_FILE_HDR_TOOLONG  (-2)

/* Record types. */
#define QUEUE_FILE_VERSION_REC   'V'
#define QUEUE_FILE_SIZE_REC      'Z'
#define QUEUE_FILE_TIME_REC      'T'
#define QUEUE_FILE_SENDER_REC    'S'
#define QUEUE_FILE_ATTR_REC      'A'
#define QUEUE_FILE_ORCPT_REC     'O'
#define QUEUE_FILE_RCPT_REC      'R'
#define QUEUE_FILE_DONE_REC      'r'
#define QUEUE_FILE_WARN_REC      'W'
#define QUEUE_FILE_MESG_REC      'M'
#define QUEUE_FILE_DATA_REC      'D'
#define QUEUE_FILE_XTRA_REC      'X'
#define QUEUE_FILE_END_REC       'E'

/* queue_file_open() flags. */
#define QUEUE_FILE_READ      0
#define QUEUE_FILE_UPDATE    (1<<0)     /* open read-write for mark_done */

typedef struct QUEUE_FILE QUEUE_FILE;

typedef struct QUEUE_FILE_RCPT {
    const char *address;
    const char *orig;                   /* original recipient, or NULL */
    int     done;                       /* 'r' rather than 'R' */
    off_t   offset;                     /* of the record's type byte */
} QUEUE_FILE_RCPT;

/*
 * A walk function sees each record: its type, the file offset of its
 * type byte, and its payload (NUL-terminated for convenience). Return 0
 * to go on, or a positive value to stop the walk with that value.
 */
typedef int (*QUEUE_FILE_WALK_FN) (int type, off_t offset, const char *payload,
                                   size_t len, void *context);

/* Writing. */
extern QUEUE_FILE *queue_file_create(const char *queue_dir_name);
extern int queue_file_add_time(QUEUE_FILE *qf, const struct timeval *when);
extern int queue_file_add_sender(QUEUE_FILE *qf, const char *sender);
extern int queue_file_add_attr(QUEUE_FILE *qf, const char *name,
                               const char *value);
extern int queue_file_add_rcpt(QUEUE_FILE *qf, const char *rcpt,
                               const char *orig_rcpt);
extern int queue_file_add_warn(QUEUE_FILE *qf, time_t when);
extern int queue_file_begin_content(QUEUE_FILE *qf);
extern int queue_file_write_content(QUEUE_FILE *qf, const void *data,
                                    size_t len);
extern int queue_file_end_content(QUEUE_FILE *qf);
extern int queue_file_commit(QUEUE_FILE *qf, char id_r[QUEUE_ID_SIZE]);
extern void queue_file_set_queue(QUEUE_FILE *qf, const char *queue_dir_name);
extern void queue_file_abort(QUEUE_FILE **qfp);

/* Reading. */
extern int queue_file_open(const char *path, int flags, QUEUE_FILE **qf_r,
                           BUF *why);
extern int queue_file_open_fd(int fd, const char *name, int flags,
                              QUEUE_FILE **qf_r, BUF *why);
extern void queue_file_close(QUEUE_FILE **qfp);
extern const char *queue_file_id(const QUEUE_FILE *qf);
extern void queue_file_arrival(const QUEUE_FILE *qf, struct timeval *when_r);
extern const char *queue_file_sender(const QUEUE_FILE *qf);
extern const char *queue_file_attr(const QUEUE_FILE *qf, const char *name);
extern size_t queue_file_rcpt_count(const QUEUE_FILE *qf);
extern const QUEUE_FILE_RCPT *queue_file_rcpt(const QUEUE_FILE *qf, size_t i);
extern time_t queue_file_warn_time(const QUEUE_FILE *qf);
extern long queue_file_message_size(const QUEUE_FILE *qf);
extern off_t queue_file_content_offset(const QUEUE_FILE *qf);
extern void queue_file_content_rewind(QUEUE_FILE *qf);
extern ssize_t queue_file_content_read(QUEUE_FILE *qf, void *buf, size_t len);
#define QUEUE_FILE_MARK_NOSYNC  (1<<0)  /* mark_done: no fdatasync */

extern int queue_file_mark_done(QUEUE_FILE *qf, size_t i, int flags);
extern int queue_file_mark_tried(const char *path);
extern int queue_file_set_warn(QUEUE_FILE *qf, time_t when);
extern int queue_file_walk(QUEUE_FILE *qf, QUEUE_FILE_WALK_FN fn,
                           void *context);
extern int queue_file_walk_fd(int fd, QUEUE_FILE_WALK_FN fn, void *context,
                              BUF *why);
extern int queue_file_decode_header(const void *data, size_t len, int *type_r,
                                    size_t *payload_len_r);

#endif
