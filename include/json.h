#ifndef SSHFIX_JSON_H
#define SSHFIX_JSON_H

#include <stdio.h>
#include <time.h>

#include "util.h"

/*
 * JSON (src/json.c). Strings are always valid UTF-8: one that is not
 * is given in vis(3) C style, and its member K gets a sibling K_raw with
 * the bytes in base64.
 */
#define JSON_SCHEMA_VERSION	1

void	json_string(struct sbuf *, const char *);
/* ,"K":"V" (V NULL: null); no leading comma unless COMMA. */
void	json_kv(struct sbuf *, const char *k, const char *v, int comma);
/* ,"K":[...] of the N strings of V (N SIZE_MAX: V is NULL-terminated);
 * K_raw: as many, base64 for each that is not UTF-8, else null. */
void	json_strv(struct sbuf *, const char *k, char *const *v, size_t n);
/* ,"K":"2026-11-22T16:00:00Z" (RFC 3339, UTC). */
void	json_time(struct sbuf *, const char *k, time_t);
/* The envelope every document shares: json_begin opens the object with
 * schema_version, version, mode, root (NULL: null) and time; json_end
 * closes it with result and error (NULL: null, else {"message":...}). */
void	json_begin(struct sbuf *, const char *mode, const char *root);
void	json_end(struct sbuf *, const char *result, const char *error);
/* Write B to FP and free it. */
void	json_put(FILE *, struct sbuf *);
/* The document of an error that left no other: mode and result "error". */
void	json_error_doc(FILE *, const char *root, const char *error);

#endif
