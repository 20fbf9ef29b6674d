/* NAME
 *	postalias 1
 * SUMMARY
 *	Postern alias database maintenance
 * SYNOPSIS
 *	postalias [-Nfinoprsvw] [-c config_dir] [-d key] [-q key]
 *		[file_type:]file_name ...
 *	newaliases [-c config_dir] [-v]
 * DESCRIPTION
 *	postalias is postmap(1) for alias files (aliases(5) syntax):
 *	"name: value, value" with continuation lines; the name may be
 *	quoted. Keys are folded to lower case. The database also gets
 *	Postfix's extra entries "@" (value "@"), YP_LAST_MODIFIED and
 *	YP_MASTER_NAME. -q - and -s print "key:<TAB>value". The options are
 *	those of postmap(1).
 *
 *	Invoked as newaliases, it rebuilds every table of alias_database.
 * DIAGNOSTICS
 *	Problems go to standard error. Exit status 0 on success, 1 for an
 *	error or when -q/-d found nothing.
 * CONFIGURATION PARAMETERS
 *	alias_database (newaliases), default_database_type.
 */
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "mkmap.h"
#include "msg.h"
#include "strv.h"

/* postalias_newaliases - build every table of alias_database */

static int postalias_newaliases(int argc, char **argv)
{
    const char *dir = 0;
    STRV   *args;
    STRV   *tables;
    int     ch;
    int     verbose = 0;
    int     status;
    size_t  i;

    while ((ch = getopt(argc, argv, "c:v")) != -1) {
        switch (ch) {
        case 'c':
            dir = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        default:
            msg_fatal("usage: newaliases [-c config_dir] [-v]");
        }
    }
    if (optind != argc)
        msg_fatal("usage: newaliases [-c config_dir] [-v]");
    config_load(dir, 0);
    tables = config_list(P_ALIAS_DATABASE);
    if (tables->argc == 0) {
        strv_free(&tables);
        return 0;
    }
    args = strv_new();
    strv_add(args, "postalias");
    if (dir) {
        strv_add(args, "-c");
        strv_add(args, dir);
    }
    if (verbose)
        strv_add(args, "-v");
    for (i = 0; i < tables->argc; i++)
        strv_add(args, tables->argv[i]);
    strv_free(&tables);
    optind = 1;
    status = mkmap_main((int) args->argc, args->argv, MKMAP_ALIAS);
    strv_free(&args);
    return status;
}

int     main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');

    if (strcmp(slash ? slash + 1 : argv[0], "newaliases") == 0) {
        msg_init("newaliases");
        msg_to_stderr(1);
        return postalias_newaliases(argc, argv);
    }
    msg_init("postalias");
    msg_to_stderr(1);
    return mkmap_main(argc, argv, MKMAP_ALIAS);
}
