/* FTS5's trigram tokenizer, wrapped for contentless `detail = none` tables (docs/performance.md#the-trigram-index).
 *
 * Such a table keeps, for each trigram, only which rows hold it: no positions, no counts. FTS5
 * still takes every trigram of every document through its hash table, one per character, and
 * on the capture benchmark that hashing was most of the catalog's CPU. This wrapper hands
 * FTS5 each distinct trigram of a document once; the index it builds is the same, byte for
 * byte (SKSQLiteTests compares the two vocabularies).
 *
 * Documents that are valid UTF-8 without NUL (every text sourcekeep indexes) take the fast
 * path: this file reads the characters, folds them as the built-in tokenizer does (ASCII and
 * scripts without case inline; any other character asked of the built-in tokenizer once per
 * document) and keys each window of three characters as one 64-bit number. Anything else
 * (bytes that are not UTF-8, a NUL, which ends the built-in tokenizer's input) goes to the
 * built-in tokenizer, whose tokens are then passed on once each. Queries always go to the
 * built-in tokenizer unchanged. */
#include "fts5_trigram.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*TokenCallback)(void *, int, const char *, int, int, int);

/* The built-in tokenizer, found before this one takes its name. */
typedef struct {
  fts5_tokenizer builtin;
  void *builtinContext;
} Registration;

typedef struct {
  Fts5Tokenizer *builtin;
  Registration *registration;
  /* Default options only (no `case_sensitive 1`, no `remove_diacritics`): this file folds as
   * they do. Otherwise every call goes to the built-in tokenizer unchanged. */
  int defaults;
} Instance;

/* MARK: A set of nonzero 64-bit keys (open addressing, grows at half full). */

typedef struct {
  uint64_t *keys;
  size_t mask;
  size_t used;
} KeySet;

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

static int keySetInit(KeySet *set) {
  set->mask = 1023;
  set->used = 0;
  set->keys = calloc(set->mask + 1, sizeof *set->keys);
  return set->keys != NULL;
}

static int keySetGrow(KeySet *set) {
  size_t mask = set->mask * 2 + 1;
  uint64_t *keys = calloc(mask + 1, sizeof *keys);
  if (keys == NULL) return 0;
  for (size_t i = 0; i <= set->mask; i++) {
    uint64_t key = set->keys[i];
    if (key == 0) continue;
    size_t j = mix(key) & mask;
    while (keys[j] != 0) j = (j + 1) & mask;
    keys[j] = key;
  }
  free(set->keys);
  set->keys = keys;
  set->mask = mask;
  return 1;
}

/* 1: `key` was new and is now in the set; 0: it was there; -1: out of memory. */
static int keySetAdd(KeySet *set, uint64_t key) {
  size_t i = mix(key) & set->mask;
  while (set->keys[i] != 0) {
    if (set->keys[i] == key) return 0;
    i = (i + 1) & set->mask;
  }
  set->keys[i] = key;
  if (++set->used * 2 > set->mask && !keySetGrow(set)) return -1;
  return 1;
}

/* MARK: Folding, as the built-in tokenizer folds (case only: trigram keeps diacritics). */

/* Code points the built-in fold leaves as they are: ASCII but A-Z, General Punctuation, CJK
 * symbols, kana and ideographs, Hangul syllables, fullwidth punctuation. */
static int foldsToItself(uint32_t c) {
  return (c < 0x80 && !(c >= 'A' && c <= 'Z')) || (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xFF01 && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

/* Other characters' folds, learnt from the built-in tokenizer once per document. */
typedef struct {
  uint32_t codePoint; /* 0: empty */
  uint8_t length;
  char bytes[4];
} Fold;

typedef struct {
  Fold *slots;
  size_t mask;
  size_t used;
  Instance *instance;
} FoldCache;

typedef struct {
  char bytes[16];
  int length;
} Captured;

static int capture(void *context, int flags, const char *token, int length, int start, int end) {
  (void)flags, (void)start, (void)end;
  Captured *captured = context;
  if (captured->length == 0 && length > 0 && length <= (int)sizeof captured->bytes) {
    memcpy(captured->bytes, token, (size_t)length);
    captured->length = length;
  }
  return SQLITE_OK;
}

static int foldCacheGrow(FoldCache *cache) {
  size_t mask = cache->mask * 2 + 1;
  Fold *slots = calloc(mask + 1, sizeof *slots);
  if (slots == NULL) return 0;
  for (size_t i = 0; i <= cache->mask; i++) {
    if (cache->slots[i].codePoint == 0) continue;
    size_t j = mix(cache->slots[i].codePoint) & mask;
    while (slots[j].codePoint != 0) j = (j + 1) & mask;
    slots[j] = cache->slots[i];
  }
  free(cache->slots);
  cache->slots = slots;
  cache->mask = mask;
  return 1;
}

/* The fold of `c` (whose UTF-8 is `utf8`, `length` bytes): the built-in tokenizer's only token
 * of "<c>aa", less its last two bytes. NULL when out of memory or when the built-in answer is
 * not of that shape (then the caller hands the document to the built-in tokenizer). */
static const Fold *foldOf(FoldCache *cache, uint32_t c, const unsigned char *utf8, int length) {
  size_t i = mix(c) & cache->mask;
  while (cache->slots[i].codePoint != 0) {
    if (cache->slots[i].codePoint == c) return &cache->slots[i];
    i = (i + 1) & cache->mask;
  }
  char probe[6];
  memcpy(probe, utf8, (size_t)length);
  probe[length] = 'a';
  probe[length + 1] = 'a';
  Captured captured = {{0}, 0};
  Registration *registration = cache->instance->registration;
  int rc = registration->builtin.xTokenize(
    cache->instance->builtin, &captured, FTS5_TOKENIZE_DOCUMENT, probe, length + 2, capture);
  if (rc != SQLITE_OK || captured.length < 3 || captured.length > 6) return NULL;
  if (captured.bytes[captured.length - 1] != 'a' || captured.bytes[captured.length - 2] != 'a') return NULL;
  Fold *fold = &cache->slots[i];
  fold->codePoint = c;
  fold->length = (uint8_t)(captured.length - 2);
  memcpy(fold->bytes, captured.bytes, fold->length);
  if (++cache->used * 2 > cache->mask) {
    Fold copy = *fold;
    if (!foldCacheGrow(cache)) return NULL;
    return foldOf(cache, copy.codePoint, utf8, length);
  }
  return fold;
}

/* MARK: UTF-8 */

/* The length of the well-formed UTF-8 sequence at `p` (before `end`) and its code point, or 0
 * for a malformed one or NUL. */
static int decode(const unsigned char *p, const unsigned char *end, uint32_t *codePoint) {
  unsigned char b = p[0];
  if (b < 0x80) {
    *codePoint = b;
    return b != 0;
  }
  ptrdiff_t left = end - p;
  if (b >= 0xC2 && b <= 0xDF) {
    if (left < 2 || (p[1] & 0xC0) != 0x80) return 0;
    *codePoint = ((uint32_t)(b & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    uint32_t c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *codePoint = c;
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    uint32_t c = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
                 (p[3] & 0x3F);
    if (c < 0x10000 || c > 0x10FFFF) return 0;
    *codePoint = c;
    return 4;
  }
  return 0;
}

static int wellFormed(const unsigned char *p, const unsigned char *end) {
  uint32_t c;
  while (p < end) {
    int length = decode(p, end, &c);
    if (length == 0) return 0;
    p += length;
  }
  return 1;
}

/* MARK: The fast path */

typedef struct {
  char bytes[4];
  int length;
  uint32_t key; /* the code point, A-Z as a-z */
  int start;    /* byte offset in the document */
} Character;

/* Each distinct trigram of a well-formed document, once. SQLITE_NOMEM, or -1 when a fold could
 * not be learnt (the caller then uses the built-in path). */
static int tokenizeFast(Instance *instance, void *context, const unsigned char *text, int length, TokenCallback token) {
  KeySet seen;
  FoldCache folds = {calloc(64, sizeof(Fold)), 63, 0, instance};
  if (folds.slots == NULL || !keySetInit(&seen)) {
    free(folds.slots);
    return SQLITE_NOMEM;
  }
  const unsigned char *end = text + length;
  Character window[3];
  int count = 0;
  int rc = SQLITE_OK;
  for (const unsigned char *p = text; p < end && rc == SQLITE_OK;) {
    uint32_t c = 0;
    int n = decode(p, end, &c);
    Character next = {{0}, 0, c, (int)(p - text)};
    if (c >= 'A' && c <= 'Z') {
      next.key = c + 32;
      next.bytes[0] = (char)(c + 32);
      next.length = 1;
    } else if (foldsToItself(c)) {
      memcpy(next.bytes, p, (size_t)n);
      next.length = n;
    } else {
      const Fold *fold = foldOf(&folds, c, p, n);
      if (fold == NULL) {
        rc = -1;
        break;
      }
      memcpy(next.bytes, fold->bytes, fold->length);
      next.length = fold->length;
    }
    p += n;
    window[0] = window[1];
    window[1] = window[2];
    window[2] = next;
    if (++count < 3) continue;
    uint64_t key = ((uint64_t)window[0].key << 42) | ((uint64_t)window[1].key << 21) | window[2].key;
    int added = keySetAdd(&seen, key);
    if (added < 0) {
      rc = SQLITE_NOMEM;
    } else if (added) {
      char trigram[12];
      int m = 0;
      for (int k = 0; k < 3; k++) {
        memcpy(trigram + m, window[k].bytes, (size_t)window[k].length);
        m += window[k].length;
      }
      rc = token(context, 0, trigram, m, window[0].start, window[0].start + m);
    }
  }
  free(seen.keys);
  free(folds.slots);
  return rc;
}

/* MARK: The built-in path, deduplicated */

typedef struct {
  void *context;
  TokenCallback token;
  KeySet seen;
  int failed;
} Deduplicator;

/* Tokens of up to 7 bytes are keyed by their bytes and length; longer ones (rare outside the
 * fast path's documents) go to FTS5 every time, which is only slower. */
static int passOnce(void *context, int flags, const char *token, int length, int start, int end) {
  Deduplicator *dedup = context;
  if (length <= 0 || length > 7) return dedup->token(dedup->context, flags, token, length, start, end);
  uint64_t key = (uint64_t)length;
  for (int i = 0; i < length; i++) key |= (uint64_t)(unsigned char)token[i] << (8 * (i + 1));
  int added = keySetAdd(&dedup->seen, key);
  if (added < 0) return SQLITE_NOMEM;
  return added ? dedup->token(dedup->context, flags, token, length, start, end) : SQLITE_OK;
}

/* MARK: The tokenizer */

static int create(void *context, const char **arguments, int count, Fts5Tokenizer **out) {
  Instance *instance = calloc(1, sizeof *instance);
  if (instance == NULL) return SQLITE_NOMEM;
  instance->registration = context;
  instance->defaults = count == 0;
  int rc = instance->registration->builtin.xCreate(instance->registration->builtinContext, arguments, count,
                                                   &instance->builtin);
  if (rc != SQLITE_OK) {
    free(instance);
    return rc;
  }
  *out = (Fts5Tokenizer *)instance;
  return SQLITE_OK;
}

static void destroy(Fts5Tokenizer *tokenizer) {
  Instance *instance = (Instance *)tokenizer;
  instance->registration->builtin.xDelete(instance->builtin);
  free(instance);
}

/* Documents under this many bytes (titles, publishers) go straight to the built-in tokenizer. */
enum { SHORT_DOCUMENT = 64 };

static int tokenize(Fts5Tokenizer *tokenizer, void *context, int flags, const char *text, int length,
                    TokenCallback token) {
  Instance *instance = (Instance *)tokenizer;
  fts5_tokenizer *builtin = &instance->registration->builtin;
  if (!instance->defaults || !(flags & FTS5_TOKENIZE_DOCUMENT) || length < SHORT_DOCUMENT)
    return builtin->xTokenize(instance->builtin, context, flags, text, length, token);
  const unsigned char *bytes = (const unsigned char *)text;
  if (wellFormed(bytes, bytes + length)) {
    int rc = tokenizeFast(instance, context, bytes, length, token);
    if (rc != -1) return rc;
  }
  Deduplicator dedup = {context, token, {NULL, 0, 0}, 0};
  if (!keySetInit(&dedup.seen)) return SQLITE_NOMEM;
  int rc = builtin->xTokenize(instance->builtin, &dedup, flags, text, length, passOnce);
  free(dedup.seen.keys);
  return rc;
}

static fts5_api *fts5Api(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *statement = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, NULL) == SQLITE_OK) {
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
  return api;
}

static void freeRegistration(void *registration) { free(registration); }

int sk_fts5_trigram_install(sqlite3 *db) {
  fts5_api *api = fts5Api(db);
  if (api == NULL) return SQLITE_ERROR;
  Registration *registration = calloc(1, sizeof *registration);
  if (registration == NULL) return SQLITE_NOMEM;
  int rc = api->xFindTokenizer(api, "trigram", &registration->builtinContext, &registration->builtin);
  if (rc != SQLITE_OK) {
    free(registration);
    return rc;
  }
  fts5_tokenizer wrapper = {create, destroy, tokenize};
  return api->xCreateTokenizer(api, "trigram", registration, &wrapper, freeRegistration);
}
