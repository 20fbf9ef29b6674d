/* NAME
 *	config 3h
 * SUMMARY
 *	the loaded configuration of one instance
 * DESCRIPTION
 *	config_load() reads DIR/main.cf (DIR from -c, else $MAIL_CONFIG,
 *	else the compiled-in config_directory). Values come from, in order
 *	of precedence: config_override() (master.cf "-o name=value" and
 *	command-line -o), main.cf, the parameter table's defaults.
 *
 *	config_value() returns a value with $name references expanded;
 *	the typed getters take a PARAM_ID, so a misspelt name does not
 *	compile. A value that does not parse as its type is fatal, naming
 *	the file and line where it was set.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "main_cf.h"
#include "param.h"
#include "strv.h"

#define CONFIG_LOAD_CHECK   (1<<0)      /* report every error, do not exit */
#define CONFIG_LOAD_DEFAULTS (1<<1)     /* ignore main.cf (postconf -d) */

extern int config_load(const char *dir, int flags);
extern const char *config_dir(void);
extern const MAIN_CF *config_main_cf(void);
extern void config_override(const char *name, const char *value);
extern int config_override_arg(const char *name_eq_value);
extern const char *config_raw(const char *name);
extern const char *config_default(const char *name);
extern int config_is_known(const char *name);
extern const char *config_value(const char *name);
extern int config_expand(const char *text, BUF *out);

extern const char *config_str(PARAM_ID id);
extern long config_int(PARAM_ID id);
extern int config_bool(PARAM_ID id);
extern long config_time(PARAM_ID id);
extern STRV *config_list(PARAM_ID id);
extern int config_check_types(void);
extern void config_setup_logging(void);

#endif
