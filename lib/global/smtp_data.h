/* NAME
 *	smtp_data 3h
 * SUMMARY
 *	incremental reader for SMTP DATA content (RFC 5321 4.1.1.4, 4.5.2)
 * DESCRIPTION
 *	Feed the bytes a client sends after "354" in pieces of any size, as
 *	they arrive; the reader calls back with message content, already
 *	dot-unstuffed and with every line ending normalised to LF, and says
 *	when the end of data has been seen.
 *
 *	End of data is only <CR><LF>.<CR><LF>: a "." line ends the data only
 *	when it ends in CRLF and the line before it (or the DATA command)
 *	did too. A "." line next to a bare LF is content, so no second
 *	message can be smuggled in (CVE-2023-51764).
 *
 *	Bare LF (a LF without CR before it) per SMTP_DATA_BARE_LF_*:
 *	NORMALIZE: accepted as a line ending (Postfix 3.9's
 *	smtpd_forbid_bare_newline = normalize); REJECT: the rest of the data
 *	is read and dropped, and the result is SMTP_DATA_BARE_LF; ALLOW:
 *	accepted, like NORMALIZE. Bare CR is content.
 *
 *	Lines longer than line_limit bytes are passed on in pieces of
 *	line_limit bytes (Postfix's line_length_limit: long lines are split,
 *	not rejected); the callback's "partial" flag says that a piece does
 *	not end a line. Content beyond size_limit is counted but not passed
 *	on; the result is then SMTP_DATA_TOO_BIG, and reading continues to
 *	the end of data so the client gets its reply in sync.
 *
 *	smtp_data_new() takes line_limit > 0, size_limit (0: no limit), a
 *	SMTP_DATA_BARE_LF_* mode and the callback. The callback gets each
 *	line without its line end (partial = 0) or each piece of a long
 *	line (partial = 1 on all pieces but the last; such a piece is
 *	exactly line_limit bytes). Content may hold NUL and CR bytes. It
 *	returns 0, or -1 to stop (a write error, say): it is then called
 *	no more, but the reader still reads to the end of data, and the
 *	result is what it would have been (the caller keeps its own error).
 *
 *	smtp_data_feed() consumes input and sets *used_r to the number of
 *	bytes it used: all of them while it returns SMTP_DATA_MORE; at the
 *	end of data, the bytes through the final <CR><LF>, so what follows
 *	(pipelined commands) stays with the caller. Once the end has been
 *	seen, further calls use nothing and return the same result. When
 *	both a bare LF (REJECT) and the size limit stop delivery, the
 *	result names the one that came first.
 *
 *	smtp_data_size() is the content size so far as it will be stored:
 *	bytes after dot-unstuffing plus one per line end, counted also
 *	where nothing is passed on (over the limit, after a refused bare
 *	LF). smtp_data_saw_bare_lf() says whether any bare LF was seen,
 *	in every mode (for logging under NORMALIZE).
 *
 *	The reader buffers at most line_limit bytes, whatever the input.
 */
#ifndef SMTP_DATA_H
#define SMTP_DATA_H

#include <stddef.h>

#define SMTP_DATA_BARE_LF_NORMALIZE 0
#define SMTP_DATA_BARE_LF_REJECT    1
#define SMTP_DATA_BARE_LF_ALLOW     2

/* Results of smtp_data_feed(). */
#define SMTP_DATA_MORE      0           /* need more input */
#define SMTP_DATA_DONE      1           /* end of data seen */
#define SMTP_DATA_TOO_BIG   2           /* end of data seen, over size_limit */
#define SMTP_DATA_BARE_LF   3           /* end of data seen, bare LF refused */

/* Called with each line (without its LF) or piece of a long line. */
typedef int (*SMTP_DATA_FN) (const char *data, size_t len, int partial,
                             void *context);

typedef struct SMTP_DATA SMTP_DATA;

extern SMTP_DATA *smtp_data_new(size_t line_limit, size_t size_limit,
                                int bare_lf, SMTP_DATA_FN fn, void *context);
extern int smtp_data_feed(SMTP_DATA *reader, const char *data, size_t len,
                          size_t *used_r);
extern size_t smtp_data_size(const SMTP_DATA *reader);
extern int smtp_data_saw_bare_lf(const SMTP_DATA *reader);
extern void smtp_data_free(SMTP_DATA **readerp);

#endif
