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
 * document) and keys each window of three characters as one 64-bit number. At the first byte
 * that is not (bytes that are not UTF-8, or a NUL, which ends the built-in tokenizer's input)
 * the whole document goes to the built-in tokenizer instead, whose tokens are then passed on
 * once each. Queries always go to the built-in tokenizer unchanged. */
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
  int shift; /* 64 - log2(mask + 1): the slot is the top bits of key * 2^64/phi */
} KeySet;

static size_t slotOf(const KeySet *set, uint64_t key) {
  return (size_t)((key * 0x9E3779B97F4A7C15ull) >> set->shift);
}

static int keySetInit(KeySet *set) {
  set->mask = 1023;
  set->shift = 64 - 10;
  set->used = 0;
  set->keys = calloc(set->mask + 1, sizeof *set->keys);
  return set->keys != NULL;
}

static int keySetGrow(KeySet *set) {
  KeySet bigger = {calloc((set->mask + 1) * 2, sizeof(uint64_t)), set->mask * 2 + 1, set->used, set->shift - 1};
  if (bigger.keys == NULL) return 0;
  for (size_t i = 0; i <= set->mask; i++) {
    uint64_t key = set->keys[i];
    if (key == 0) continue;
    size_t j = slotOf(&bigger, key);
    while (bigger.keys[j] != 0) j = (j + 1) & bigger.mask;
    bigger.keys[j] = key;
  }
  free(set->keys);
  *set = bigger;
  return 1;
}

/* 1: `key` was new and is now in the set; 0: it was there; -1: out of memory. */
static inline int keySetAdd(KeySet *set, uint64_t key) {
  size_t i = slotOf(set, key);
  while (set->keys[i] != 0) {
    if (set->keys[i] == key) return 0;
    i = (i + 1) & set->mask;
  }
  set->keys[i] = key;
  if (++set->used * 2 > set->mask && !keySetGrow(set)) return -1;
  return 1;
}

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
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

/* A multi-byte character as the built-in tokenizer reads it: SQLite's READ_UTF8 takes a lead
 * byte and every continuation byte after it, however many. So a sequence is only read the same
 * way here when it is well-formed and the byte after it is not a continuation byte. */
static int endsCleanly(const unsigned char *p, const unsigned char *end, int length) {
  return p + length == end || (p[length] & 0xC0) != 0x80;
}

/* The length of the well-formed multi-byte UTF-8 sequence at `p` (before `end`; p[0] >= 0x80)
 * and its code point, or 0 when the built-in tokenizer could read it differently. */
static int decode(const unsigned char *p, const unsigned char *end, uint32_t *codePoint) {
  unsigned char b = p[0];
  ptrdiff_t left = end - p;
  if (b >= 0xC2 && b <= 0xDF) {
    if (left < 2 || (p[1] & 0xC0) != 0x80 || !endsCleanly(p, end, 2)) return 0;
    *codePoint = ((uint32_t)(b & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || !endsCleanly(p, end, 3)) return 0;
    uint32_t c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *codePoint = c;
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    if (!endsCleanly(p, end, 4)) return 0;
    uint32_t c = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
                 (p[3] & 0x3F);
    if (c < 0x10000 || c > 0x10FFFF) return 0;
    *codePoint = c;
    return 4;
  }
  return 0;
}

/* MARK: The fast path */

/* One character of the window: its fold's UTF-8 (at `fold`: the document's own bytes when the
 * character folds to itself, else `bytes`) and where it starts in the document. Only a new
 * trigram's bytes are copied out, so a character that folds to itself is never copied: a
 * variable-length memcpy per character was a library call per CJK character. */
typedef struct {
  const char *fold;
  char bytes[4];
  int length;
  int start;
} Character;

/* Each distinct trigram of the document, once: SQLITE_OK, SQLITE_NOMEM, FTS5's error, or -1
 * when the document is not well-formed UTF-8 without NUL or a fold could not be learnt. Then
 * the caller gives the whole document to the built-in path; the trigrams given to FTS5 before
 * reach it again, which costs a little time and changes nothing (a document's repeated
 * trigrams reach FTS5 that way from the built-in tokenizer too). */
static int tokenizeFast(Instance *instance, void *context, const unsigned char *text, int length, TokenCallback token) {
  KeySet seen;
  FoldCache folds = {calloc(64, sizeof(Fold)), 63, 0, instance};
  if (folds.slots == NULL || !keySetInit(&seen)) {
    free(folds.slots);
    return SQLITE_NOMEM;
  }
  const unsigned char *end = text + length;
  Character window[3];
  uint64_t key = 0; /* the last three code points, 21 bits each (A-Z as a-z) */
  int count = 0;
  int rc = SQLITE_OK;
  for (const unsigned char *p = text; p < end && rc == SQLITE_OK;) {
    Character *next = &window[count % 3];
    next->start = (int)(p - text);
    uint32_t c;
    unsigned char b = p[0];
    if (b < 0x80) {
      if (b == 0) {
        rc = -1;
        break;
      }
      c = (b >= 'A' && b <= 'Z') ? b + 32u : b;
      next->bytes[0] = (char)c;
      next->fold = next->bytes;
      next->length = 1;
      p += 1;
    } else {
      int n = decode(p, end, &c);
      if (n == 0) {
        rc = -1;
        break;
      }
      if (foldsToItself(c)) {
        next->fold = (const char *)p;
        next->length = n;
      } else {
        const Fold *fold = foldOf(&folds, c, p, n);
        if (fold == NULL) {
          rc = -1;
          break;
        }
        /* (Copied: the cache's slots move when it grows.) */
        memcpy(next->bytes, fold->bytes, fold->length);
        next->fold = next->bytes;
        next->length = fold->length;
      }
      p += n;
    }
    key = ((key << 21) | c) & ((1ull << 63) - 1);
    if (++count < 3) continue;
    int added = keySetAdd(&seen, key);
    if (added < 0) {
      rc = SQLITE_NOMEM;
    } else if (added) {
      const Character *first = &window[count % 3], *second = &window[(count + 1) % 3], *third = next;
      char trigram[12];
      int m = 0;
      memcpy(trigram, first->fold, (size_t)first->length);
      m += first->length;
      memcpy(trigram + m, second->fold, (size_t)second->length);
      m += second->length;
      memcpy(trigram + m, third->fold, (size_t)third->length);
      m += third->length;
      rc = token(context, 0, trigram, m, first->start, first->start + m);
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
  int rc = tokenizeFast(instance, context, (const unsigned char *)text, length, token);
  if (rc != -1) return rc;
  Deduplicator dedup = {context, token, {NULL, 0, 0, 0}};
  if (!keySetInit(&dedup.seen)) return SQLITE_NOMEM;
  rc = builtin->xTokenize(instance->builtin, &dedup, flags, text, length, passOnce);
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
