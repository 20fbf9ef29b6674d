/* NAME
 *	queue_scan 3h
 * SUMMARY
 *	the queue IDs in one queue directory
 * DESCRIPTION
 *	queue_scan_ids() lists the names in a queue directory that are
 *	valid queue IDs (queue_id(3h)), oldest first, so that temporary
 *	files of writers (".tmp.ID") and strays are never taken for
 *	messages. A directory that cannot be opened is warned about
 *	(unless it does not exist and missing_ok) and yields an empty list.
 *	qmgr(8) and postsuper(1) walk the queue with it.
 */
#ifndef QUEUE_SCAN_H
#define QUEUE_SCAN_H
#include "strv.h"

extern STRV *queue_scan_ids(const char *dir, int missing_ok);

#endif
