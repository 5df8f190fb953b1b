#ifndef SK_FTS5_TRIGRAM_H
#define SK_FTS5_TRIGRAM_H
#include <sqlite3.h>

/* Replaces FTS5's built-in "trigram" tokenizer on this connection with one that produces the
 * same tokens but gives each distinct trigram of a document to FTS5 only once (see
 * fts5_trigram.c). Tables keep `tokenize = 'trigram'` in their schema, so any SQLite reads and
 * queries them as before. Returns SQLITE_OK, or SQLite's error when FTS5 or its trigram
 * tokenizer is missing. */
int sk_fts5_trigram_install(sqlite3 *db);

#endif
