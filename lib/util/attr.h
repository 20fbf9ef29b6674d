/* NAME
 *	attr 3h
 * SUMMARY
 *	the IPC codec: attribute lists over UNIX-domain stream sockets
 * DESCRIPTION
 *	Every request and every reply between Postern processes is one
 *	message: an ordered list of attributes (name, value). Values are
 *	byte strings and may hold NUL bytes; integers travel as decimal
 *	text and are read back with attr_get_int().
 *
 *	Wire format. Each attribute is two netstrings, name then value:
 *
 *	    <len>:<name>,<len>:<value>,
 *
 *	and a message ends with an empty name and no value:
 *
 *	    0:,
 *
 *	<len> is the byte count in decimal: 1 to 10 digits, no sign, no
 *	blanks, no leading zero except for "0" itself. A name is 1..64
 *	bytes of [A-Za-z0-9_-], and a name occurs at most once per
 *	message, so a lookup by name can never see two answers. Example,
 *	the announcement of the "qmgr" protocol:
 *
 *	    8:protocol,4:qmgr,0:,
 *
 *	The encoding is canonical: one list has exactly one wire form.
 *
 *	Limits. The reader enforces an ATTR_LIMITS (NULL means
 *	attr_limits_default): the largest value, the largest message (every
 *	byte on the wire, framing and end marker included) and the most
 *	attributes. A length is checked against them as soon as its ':'
 *	arrives, before anything is allocated, so a peer can never make us
 *	allocate more than the limits allow. Syntax errors (including a
 *	name over 64 bytes or a repeated name) are ATTR_MALFORMED; a limit
 *	exceeded is ATTR_TOOBIG. Either one ends the conversation: the
 *	stream position is then somewhere inside the bad message.
 *
 *	Reading. attr_read() reads exactly one message, never a byte past
 *	its end (the next message stays in the stream), and the whole
 *	message must arrive within one stream timeout counted from the call,
 *	however the peer trickles its bytes. End of input before the first
 *	byte is ATTR_EOF; end of input inside a message is ATTR_MALFORMED (a
 *	message without its end marker is a syntax error, not an I/O error).
 *
 *	Event loops use an ATTR_DECODER instead: feed it whatever arrived;
 *	it answers ATTR_NEED_MORE until a whole message is in, then ATTR_OK
 *	with *used_r telling how many bytes of this feed that message took
 *	(the rest belongs to the next message; feed it again). After
 *	ATTR_MALFORMED or ATTR_TOOBIG the decoder keeps answering the same
 *	error. attr_read() runs on the same decoder: there is one parser.
 *	attr_decoder_pending() tells a clean end of input (nothing pending)
 *	from a truncated message.
 *
 *	Building. attr_add_*() append; a name that is not valid or is
 *	already present is a bug (msg_panic). Values are stored with a NUL
 *	after them, so attr_get_data() of a text value is a C string too.
 *	attr_get_str() returns NULL for a value that holds a NUL byte: text
 *	that would be silently cut is refused, not truncated.
 *
 *	Protocols. The server names its protocol first: attr_announce()
 *	sends "protocol=NAME", attr_expect() reads a message and checks that
 *	its protocol attribute is NAME (other attributes are ignored, so an
 *	announcement can grow); a mismatch is logged with msg_warn() and
 *	returned as ATTR_MALFORMED.
 *
 *	Results. attr_read() and attr_expect() return ATTR_OK or a negative
 *	ATTR_* code; ATTR_EOF, ATTR_IOERR and ATTR_TIMEOUT have the values
 *	of STREAM_EOF, STREAM_ERR and STREAM_TIMEOUT, so attr_strerror()
 *	also describes what attr_write() and attr_announce() return
 *	(STREAM_OK or a STREAM_* error; they write and flush). After
 *	ATTR_IOERR, errno is that of the failed read.
 */
#ifndef ATTR_H
#define ATTR_H

#include <stddef.h>

#include "stream.h"

#define ATTR_OK          0
#define ATTR_NEED_MORE   1              /* decoder: message not complete */
#define ATTR_EOF        (-1)            /* end of input before a message */
#define ATTR_IOERR      (-2)            /* read error, see errno */
#define ATTR_TIMEOUT    (-3)            /* message not in within timeout */
#define ATTR_MALFORMED  (-5)            /* syntax error or truncation */
#define ATTR_TOOBIG     (-6)            /* a limit was exceeded */

#define ATTR_NAME_MAX    64             /* bytes in a name */
#define ATTR_LEN_DIGITS  10             /* digits in a length */

#define ATTR_DEF_VALUE_MAX  (1024 * 1024)
#define ATTR_DEF_TOTAL_MAX  (4 * 1024 * 1024)
#define ATTR_DEF_COUNT_MAX  1024

typedef struct ATTR_LIMITS {
    size_t  value_max;                  /* bytes in one value */
    size_t  total_max;                  /* bytes in one message on the wire */
    size_t  count_max;                  /* attributes in one message */
} ATTR_LIMITS;

extern const ATTR_LIMITS attr_limits_default;

#define ATTR_PROTOCOL   "protocol"      /* attribute named by attr_announce */

typedef struct ATTR ATTR;
typedef struct ATTR_DECODER ATTR_DECODER;

extern ATTR *attr_new(void);
extern void attr_free(ATTR **ap);
extern void attr_reset(ATTR *a);
extern void attr_add_str(ATTR *a, const char *name, const char *value);
extern void attr_add_int(ATTR *a, const char *name, long value);
extern void attr_add_data(ATTR *a, const char *name, const void *data,
                          size_t len);
extern const char *attr_get_str(const ATTR *a, const char *name);
extern int attr_get_int(const ATTR *a, const char *name, long *value_r);
extern const void *attr_get_data(const ATTR *a, const char *name,
                                 size_t *len_r);
extern size_t attr_count(const ATTR *a);
extern const char *attr_name(const ATTR *a, size_t i);

extern int attr_write(STREAM *s, const ATTR *a);
extern int attr_read(STREAM *s, ATTR *a, const ATTR_LIMITS *limits);

extern ATTR_DECODER *attr_decoder_new(const ATTR_LIMITS *limits);
extern int attr_decoder_feed(ATTR_DECODER *d, const char *data, size_t len,
                             size_t *used_r, ATTR *out);
extern int attr_decoder_pending(const ATTR_DECODER *d);
extern void attr_decoder_free(ATTR_DECODER **dp);

extern int attr_announce(STREAM *s, const char *protocol);
extern int attr_expect(STREAM *s, const char *protocol,
                       const ATTR_LIMITS *limits);

extern const char *attr_strerror(int status);

#endif
