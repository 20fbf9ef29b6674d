/* NAME
 *	postmap 1
 * SUMMARY
 *	Postern lookup table management
 * SYNOPSIS
 *	postmap [-Nfinoprsvw] [-c config_dir] [-d key] [-q key]
 *		[file_type:]file_name ...
 * DESCRIPTION
 *	Without -q, -d or -s, builds each file_type:file_name from the text
 *	file file_name: one "key whitespace value" entry per logical line
 *	(comments "#", blank lines and continuation lines that start with
 *	whitespace as in Postfix). hash and btree tables are Berkeley DB
 *	files file_name.db in Postfix's format: Postfix reads what postmap
 *	builds and the other way round. The new table is written to a
 *	temporary file that is renamed over file_name.db, so a process that
 *	reads the table meanwhile sees either the old or the new one.
 *	file_type defaults to default_database_type.
 *
 *	Options:
 *	-c dir	main.cf is in dir ($MAIL_CONFIG otherwise);
 *	-d key	remove key from each table (one entry per table); "-d -"
 *		reads keys from standard input; exit 1 when none was found;
 *	-f	do not fold keys to lower case (building and querying);
 *	-i	incremental: add the entries read from standard input to the
 *		existing table (created when missing);
 *	-N	store keys and values with a trailing NUL (the default);
 *	-n	store them without (a lookup tries both unless told);
 *	-o	when run by root, do not switch to the owner of the source
 *		file;
 *	-p	create the table with mode 0644 instead of the source
 *		file's permissions;
 *	-q key	print the value of key from the first table that has it,
 *		exit 1 when none has; "-q -" reads keys from standard input
 *		and prints "key<TAB>value" lines;
 *	-r	replace duplicate keys silently (the last one wins);
 *	-s	print every "key<TAB>value" of each table;
 *	-v	verbose;
 *	-w	ignore duplicate keys silently (the first one wins).
 *
 *	A duplicate key is warned about as
 *	"postmap: warning: FILE, line N: duplicate entry: "key"" (Postfix
 *	names only FILE.db) and the first value kept.
 * DIAGNOSTICS
 *	Problems go to standard error. Exit status 0 on success, 1 for an
 *	error or when -q/-d found nothing.
 * CONFIGURATION PARAMETERS
 *	default_database_type.
 */
#include "mkmap.h"
#include "msg.h"

int     main(int argc, char **argv)
{
    msg_init("postmap");
    msg_to_stderr(1);
    return mkmap_main(argc, argv, 0);
}
