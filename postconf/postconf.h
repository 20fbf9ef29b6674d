/* NAME
 *	postconf 3h
 * SUMMARY
 *	postconf(1) internals
 * DESCRIPTION
 *	postconf_mode holds one bit per command-line option, as Postfix's
 *	postconf does, so that the same rules decide which options go
 *	together (postconf.c).
 *
 *	postconf_param.c knows every parameter name: built-in (the
 *	parameter table), service-defined (a master.cf service name plus a
 *	suffix, for delivery services) and user-defined (a main.cf name that
 *	some value refers to). It holds the name spaces: main.cf with the -o
 *	overrides, and the "-o name=value" options of each master.cf entry;
 *	and it looks names up and expands values in them.
 *
 *	postconf_user.c scans all values to find the user-defined names that
 *	are in use, warns about undefined and unused ones, and expands every
 *	built-in value once, so a broken one is fatal whatever is shown.
 *
 *	postconf_main.c prints main.cf parameters, postconf_master.c
 *	master.cf entries, fields and parameters, postconf_edit.c edits
 *	main.cf.
 */
#ifndef POSTCONF_H
#define POSTCONF_H

#include "buf.h"
#include "htable.h"
#include "master_cf.h"
#include "strv.h"

 /*
  * Modes, one per option letter.
  */
#define POSTCONF_SHOW_NONDEF    (1<<0)  /* -n */
#define POSTCONF_SHOW_DEFS      (1<<1)  /* -d */
#define POSTCONF_HIDE_NAME      (1<<2)  /* -h */
#define POSTCONF_SHOW_MAPS      (1<<3)  /* -m */
#define POSTCONF_EDIT_CONF      (1<<4)  /* -e */
#define POSTCONF_SHOW_LOCKS     (1<<5)  /* -l */
#define POSTCONF_SHOW_EVAL      (1<<6)  /* -x */
#define POSTCONF_SASL_SERVER    (1<<7)  /* -a */
#define POSTCONF_SASL_CLIENT    (1<<8)  /* -A */
#define POSTCONF_COMMENT_OUT    (1<<9)  /* -# */
#define POSTCONF_MASTER_ENTRY   (1<<10) /* -M */
#define POSTCONF_FOLD_LINE      (1<<11) /* -f */
#define POSTCONF_EDIT_EXCL      (1<<12) /* -X */
#define POSTCONF_MASTER_FIELD   (1<<13) /* -F */
#define POSTCONF_MAIN_PARAM     (1<<14) /* -p */
#define POSTCONF_EXP_TEMPLATES  (1<<15) /* -b */
#define POSTCONF_PARAM_CLASS    (1<<16) /* -C */
#define POSTCONF_MAIN_OVERRIDE  (1<<17) /* -o */
#define POSTCONF_DUMP_TEMPLATES (1<<18) /* -t */
#define POSTCONF_MASTER_PARAM   (1<<19) /* -P */
#define POSTCONF_HIDE_VALUE     (1<<20) /* -H */
#define POSTCONF_SHOW_TLS       (1<<21) /* -T */

#define POSTCONF_MASTER_ANY \
    (POSTCONF_MASTER_ENTRY | POSTCONF_MASTER_FIELD | POSTCONF_MASTER_PARAM)
#define POSTCONF_EDIT_ANY \
    (POSTCONF_EDIT_CONF | POSTCONF_EDIT_EXCL | POSTCONF_COMMENT_OUT)

extern int postconf_mode;

#define POSTCONF_LINE_LIMIT     80      /* fold longer lines (-f) */
#define POSTCONF_INDENT         "    "  /* folded lines start with this */
#define POSTCONF_BLANKS         " \t\r\n"

 /*
  * Parameter classes (-C), and what else is known about a name.
  */
#define POSTCONF_BUILTIN        (1<<0)  /* the parameter table */
#define POSTCONF_SERVICE        (1<<1)  /* service name + suffix */
#define POSTCONF_USER           (1<<2)  /* main.cf name in use */
#define POSTCONF_LEGACY         (1<<3)  /* old name, not listed */
#define POSTCONF_CLASSES        (POSTCONF_BUILTIN | POSTCONF_SERVICE | POSTCONF_USER)

typedef struct POSTCONF_PARAM {
    int     flags;                      /* one class, maybe LEGACY */
    int     param_flags;                /* PARAM_RAW etc. of the table */
    const char *def;                    /* raw default, NULL: user-defined */
    char   *own_def;                    /* def, when made here */
} POSTCONF_PARAM;

 /*
  * A name space: main.cf (with config_directory when -c or MAIL_CONFIG
  * gave it, and the -o overrides), or the "-o name=value" options of one
  * master.cf entry.
  */
typedef struct POSTCONF_SCOPE {
    const MASTER_CF_ENTRY *entry;       /* NULL: main.cf */
    STRV   *command;                    /* its command, -o options split */
    char   *name;                       /* "service/type", or NULL */
    const char *file;                   /* "main.cf" or "master.cf" */
    STRV   *names;                      /* in order of first setting */
    HTABLE *values;                     /* name -> char *, the last one */
    HTABLE *valid;                      /* user names valid here only */
} POSTCONF_SCOPE;

 /*
  * postconf_param.c
  */
extern void postconf_param_init(void);
extern void postconf_param_read_main(const char *dir, int dir_given,
                                     const STRV *overrides);
extern void postconf_param_read_master(const char *dir, int missing_is_fatal);
extern const POSTCONF_PARAM *postconf_param_find(const char *name);
extern void postconf_param_add_user(const char *name);
extern void postconf_param_relabel(const char *name, int class);
extern STRV *postconf_param_list(int classes);
extern POSTCONF_SCOPE *postconf_param_main(void);
extern size_t postconf_param_services(POSTCONF_SCOPE ***scopes_r);
extern const char *postconf_param_value(const POSTCONF_SCOPE *scope, const char *name);
extern const char *postconf_param_lookup(int mode, const char *name,
                                         const POSTCONF_SCOPE *scope);
extern const char *postconf_param_expand(const char *value,
                                         const POSTCONF_SCOPE *scope, BUF *out);
extern const char *postconf_param_expand_in(const char *value,
                                            const POSTCONF_SCOPE *scope, BUF *out);
extern void postconf_param_forget(POSTCONF_SCOPE *scope, const char *name);
extern void postconf_param_free(void);

 /*
  * postconf_user.c
  */
extern void postconf_user_register(void);
extern void postconf_user_flag_unused(int main_too);

 /*
  * postconf_main.c
  */
extern void postconf_main_print_line(int mode, const char *text);
extern void postconf_main_show(char **names, int classes);

 /*
  * postconf_master.c
  */
extern STRV *postconf_master_pattern(const char *pattern, int min, int max);
extern int postconf_master_match(const STRV *pattern, const MASTER_CF_ENTRY *entry);
extern void postconf_master_show(char **args);

 /*
  * postconf_edit.c
  */
extern void postconf_edit_main(const char *dir, char **args);

#endif
