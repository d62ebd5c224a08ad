/* cli_int.h — entry points of the `aib` subcommands (argc/argv start at the subcommand name).
 * Each returns the process exit code: 0 success, 1 negative result (deny, invalid, failures),
 * 2 usage or input error. Also the small loaders the cedar commands share: each reads a file,
 * parses it and on failure prints "file:line:col: message" to stderr. */
#ifndef AIB_CLI_INT_H
#define AIB_CLI_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "aib/cedar.h"

int aib_cli_cedar(int argc, char **argv);
/* `aib cedar validate ...` (cmd_cedar_validate.c); argv[0] is "validate". */
int aib_cli_cedar_validate(int argc, char **argv);
/* `aib cedar conformance ...` (conformance.c); argv[0] is "conformance". */
int aib_cli_cedar_conformance(int argc, char **argv);
/* `aib screen ...` (cmd_screen.c): restricted-party screening; argv[0] is "screen". */
int aib_cli_screen(int argc, char **argv);
/* `aib determine ...` and `aib eligibility ...` (cmd_determine.c): release determinations. */
int aib_cli_determine(int argc, char **argv);
int aib_cli_eligibility(int argc, char **argv);
/* `aib alliance ...` (cmd_alliance.c): registry and reference-data lookups; argv[0] is "alliance". */
int aib_cli_alliance(int argc, char **argv);
/* `aib label ...` (cmd_label.c): security labels, bindings, label conformance; argv[0] is "label". */
int aib_cli_label(int argc, char **argv);
/* `aib serve ...` (cmd_serve.c): the HTTP API server; argv[0] is "serve". */
int aib_cli_serve(int argc, char **argv);
/* `aib token ...` (cmd_token.c): API tokens; argv[0] is "token". */
int aib_cli_token(int argc, char **argv);
/* `aib db ...` (cmd_db.c), `aib audit ...` (cmd_audit.c), `aib case ...` (cmd_case.c). */
int aib_cli_db(int argc, char **argv);
int aib_cli_audit(int argc, char **argv);
int aib_cli_case(int argc, char **argv);
/* `aib registry ...`, `aib export ...`, `aib import ...` (cmd_registry.c): the innovation
 * registry and signed handoff; argv[0] is "registry", "export" or "import". */
int aib_cli_registry(int argc, char **argv);
int aib_cli_export(int argc, char **argv);
int aib_cli_import(int argc, char **argv);
/* Opens the store named by exactly one of db / pg (migrating it when migrate is set); prints the
 * problem and returns AIB_CLI_USAGE on failure (cmd_db.c). */
struct aib_store;
int aib__cli_open_store(const char *cmd, const char *db, const char *pg, int migrate,
                        struct aib_store **out);

/* Exit codes shared by the commands. */
enum { AIB_CLI_OK = 0, AIB_CLI_NEGATIVE = 1, AIB_CLI_USAGE = 2 };

/* True when path names a JSON schema (ends in ".json"); otherwise .cedarschema text. */
bool aib__cli_schema_is_json(const char *path);

/* Loaders: 0 on success (*out owned by the caller, freed with the matching *_free), otherwise
 * a negative AIB_E* code after printing the place and reason to stderr. entities may use schema
 * (NULL for none). path "-" reads standard input. */
int aib__cli_load_policies(const char *path, aib_cedar_policyset_t **out);
int aib__cli_load_schema(const char *path, aib_cedar_schema_t **out);
int aib__cli_load_entities(const char *path, const aib_cedar_schema_t *schema,
                           aib_cedar_entities_t **out);

/* Reads a whole file, or standard input for "-" (malloc'd, NUL-terminated; caller frees). */
int aib__cli_read(const char *path, char **out, size_t *len, aib_diag_t *diag);

/* One option a command accepts; *value receives the argument ("1" for a flag). */
typedef struct aib__cli_opt {
    const char *name; /* without the leading "--" */
    bool takes_value;
    const char **value;
} aib__cli_opt_t;

/* Parses argv[1..] as --name VALUE, --name=VALUE and --flag. cmd is the command as users type it
 * after `aib` (e.g. "cedar authorize", "registry") and prefixes every message. Positional arguments go to pos
 * (at most max_pos; pos/n_pos may be NULL when none are accepted). Returns 0, or AIB_CLI_USAGE
 * after printing the problem to stderr; *help is set for --help / -h. */
int aib__cli_parse_opts(const char *cmd, int argc, char **argv, aib__cli_opt_t *opts, size_t n_opts,
                        const char **pos, size_t max_pos, size_t *n_pos, bool *help);

/* Prints a diagnostic as "aib cedar: file:line:col: message" on f. */
void aib__cli_print_diag(FILE *f, const aib_diag_t *d);

#endif
