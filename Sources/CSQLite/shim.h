#ifndef OUTREACH_CSQLITE_SHIM_H
#define OUTREACH_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer; Swift cannot import it. */
static inline sqlite3_destructor_type outreach_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* sqlite3_config is variadic. Memory statistics cost a global mutex on every allocation; we never read them. */
static inline int outreach_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
