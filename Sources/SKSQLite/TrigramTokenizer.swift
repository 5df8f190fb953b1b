import CFTS5Trigram
public import GRDB

/// FTS5's `trigram` tokenizer for the catalog's contentless `detail = none` index: the same
/// tokens, each distinct trigram of a document handed to FTS5 once (Sources/CFTS5Trigram says
/// how, docs/performance.md#the-trigram-index what it saves).
///
/// Installed on a connection it takes the name `trigram` there, so the schema still says
/// `tokenize = 'trigram'` and any SQLite (the `sqlite3` shell, an older sourcekeep) reads and
/// searches the same index. Only for connections whose trigram tables are all `detail = none`:
/// with positions kept, a repeated trigram must reach FTS5 every time.
public enum TrigramTokenizer {
  /// Replaces `trigram` on `db`'s connection.
  /// - Throws: `DatabaseError` when this SQLite has no FTS5 or no trigram tokenizer (3.34+).
  public static func install(on db: Database) throws {
    let code = sk_fts5_trigram_install(db.sqliteConnection)
    guard code == 0 else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message:
          "could not install the trigram tokenizer: this SQLite needs FTS5 and its trigram tokenizer (3.34 or newer)")
    }
  }
}
