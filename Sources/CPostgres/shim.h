#ifndef OUTREACH_CPOSTGRES_SHIM_H
#define OUTREACH_CPOSTGRES_SHIM_H
#include <libpq-fe.h>

/* The error field codes are macros of character constants ('C', 'M'); Swift imports them as Int32
 * of the wrong width for PQresultErrorField's `int`, so the shim names the two it reads. */
static inline char *outreach_pq_sqlstate(const PGresult *r) { return PQresultErrorField(r, PG_DIAG_SQLSTATE); }
static inline char *outreach_pq_primary_message(const PGresult *r) {
    return PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
}
#endif
