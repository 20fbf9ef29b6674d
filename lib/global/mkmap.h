/* NAME
 *	mkmap 3h
 * SUMMARY
 *	the body of postmap(1) and postalias(1)
 * DESCRIPTION
 *	mkmap_main() parses the command line of postmap (MKMAP_ALIAS not
 *	set) or postalias (set) and does the work: build type:file.db from
 *	the text file (atomically: a temporary file renamed into place),
 *	-i (add entries from standard input to an existing table), -q key
 *	or -q - (query), -d key or -d - (delete), -s (dump). It returns the
 *	exit status: 0 on success, 1 when a queried or deleted key was not
 *	found; errors are fatal (exit 1) with Postfix's messages.
 *
 *	postalias also stores Postfix's extra entries: "@" (so that
 *	Sendmail-style readers see a complete alias database),
 *	YP_LAST_MODIFIED and YP_MASTER_NAME.
 */
#ifndef MKMAP_H
#define MKMAP_H

#define MKMAP_ALIAS     (1<<0)          /* postalias: name: value syntax */

extern int mkmap_main(int argc, char **argv, int flags);

#endif
