/* NAME
 *	queue_id 3h
 * SUMMARY
 *	queue IDs: unique, sortable by time, letters and digits only
 * DESCRIPTION
 *	A queue ID names a queue file and every log line about its
 *	message. It is QUEUE_ID_LEN characters from a 32-character
 *	alphabet of digits and upper-case letters ("0123456789ABCDEFGHJK
 *	LMNPQRSTVWXY": no I, O, U or Z, which read like digits or words):
 *
 *	- QUEUE_ID_TIME_LEN characters: the creation time in microseconds
 *	  since the epoch, base 32, most significant first, zero-padded.
 *	  The alphabet is in ASCII order, so comparing two IDs with
 *	  strcmp() compares their creation times;
 *	- QUEUE_ID_RAND_LEN characters from getrandom(2), so that processes
 *	  that create IDs in the same microsecond need no coordination to
 *	  pick different ones (30 random bits; queue_file(3) also refuses
 *	  to replace an existing file, so a collision can never lose mail).
 *
 *	Eleven time characters, not ten: 32^10 microseconds last only 35.7
 *	years, which ran out in 2005; 32^11 last until the year 3111.
 *
 *	queue_id_new() makes an ID for the current time; queue_id_at() for
 *	a given time (tests, tools). queue_id_valid() accepts exactly the
 *	IDs these functions can make, so a temporary file name (which
 *	starts with a dot) or a stray file is never taken for a queue file.
 *	queue_id_time() recovers the creation time (for postqueue).
 *	All functions are thread-safe.
 */
#ifndef QUEUE_ID_H
#define QUEUE_ID_H

#include <sys/time.h>

#define QUEUE_ID_TIME_LEN   11
#define QUEUE_ID_RAND_LEN   6
#define QUEUE_ID_LEN        (QUEUE_ID_TIME_LEN + QUEUE_ID_RAND_LEN)
#define QUEUE_ID_SIZE       (QUEUE_ID_LEN + 1)  /* with the NUL */

extern void queue_id_new(char buf[QUEUE_ID_SIZE]);
extern void queue_id_at(char buf[QUEUE_ID_SIZE], const struct timeval *when);
extern int queue_id_valid(const char *id);
extern int queue_id_time(const char *id, struct timeval *when_r);

#endif
