import Foundation
import GRDB
import SKSQLite
import Testing

/// The installed tokenizer must build exactly the index SQLite's own `trigram` builds: the
/// same terms, each in the same rows. Each test indexes the same documents twice, once on a
/// plain connection and once with `TrigramTokenizer` installed, and compares the two FTS5
/// vocabularies.
@Suite struct TrigramTokenizerTests {
  /// A document: text, or raw bytes bound as a blob (FTS5 tokenizes a blob's bytes as they are,
  /// which is how bytes that are not UTF-8 reach a tokenizer).
  enum Document {
    case text(String)
    case bytes([UInt8])
  }

  /// Indexes `documents` into a new database file at `path`.
  static func index(
    _ documents: [Document], at path: String, installed: Bool, tokenize: String = "trigram"
  ) throws {
    var config = Configuration()
    if installed { config.prepareDatabase { db in try TrigramTokenizer.install(on: db) } }
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.write { db in
      try db.execute(
        sql: """
          CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '\(tokenize)', content = '', detail = none);
          CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');
          """)
      for (row, document) in documents.enumerated() {
        let value: any DatabaseValueConvertible =
          switch document {
          case .text(let text): text
          case .bytes(let bytes): Data(bytes)
          }
        try db.execute(sql: "INSERT INTO t (rowid, body) VALUES (?, ?)", arguments: [row + 1, value])
      }
    }
    try queue.close()
  }

  /// The two indexes' vocabularies (term, rows holding it) compared in SQL: how many entries
  /// each has, and up to five entries that only one of them has.
  struct Comparison {
    var builtinTerms: Int
    var installedTerms: Int
    var differences: [String]
  }

  static func compare(_ documents: [Document], tokenize: String = "trigram") throws -> Comparison {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trigram-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let builtin = directory.appendingPathComponent("builtin.sqlite").path
    let installed = directory.appendingPathComponent("installed.sqlite").path
    try index(documents, at: builtin, installed: false, tokenize: tokenize)
    try index(documents, at: installed, installed: true, tokenize: tokenize)
    let queue = try DatabaseQueue(path: builtin)
    defer { try? queue.close() }
    return try queue.writeWithoutTransaction { db in
      try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [installed])
      // CAST: a term that is not UTF-8 is compared byte for byte.
      let mine = "SELECT CAST(term AS BLOB), doc FROM main.v"
      let theirs = "SELECT CAST(term AS BLOB), doc FROM other.v"
      let differences = try Row.fetchAll(
        db,
        sql: """
          SELECT 'built-in only' AS side, * FROM (\(mine) EXCEPT \(theirs))
          UNION ALL SELECT 'installed only', * FROM (\(theirs) EXCEPT \(mine)) LIMIT 5
          """
      ).map { row -> String in
        let term = [UInt8](row[1] as Data)
        return "\(row[0] as String): \(String(decoding: term, as: UTF8.self)) \(term) in \(row[2] as Int) rows"
      }
      return Comparison(
        builtinTerms: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.v") ?? 0,
        installedTerms: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM other.v") ?? 0,
        differences: differences)
    }
  }

  static func expectSameIndex(
    _ documents: [Document], tokenize: String = "trigram", sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let comparison = try compare(documents, tokenize: tokenize)
    #expect(comparison.builtinTerms > 0, sourceLocation: sourceLocation)
    #expect(comparison.installedTerms == comparison.builtinTerms, sourceLocation: sourceLocation)
    #expect(comparison.differences == [], sourceLocation: sourceLocation)
  }

  /// Long enough (64 bytes and more) for the installed tokenizer's own path.
  static func long(_ text: String) -> Document { .text(String(repeating: text + " ", count: 8)) }

  @Test func mixedScriptsAndCaseIndexLikeTheBuiltIn() throws {
    try Self.expectSameIndex([
      Self.long("DeepSeek V4 发布，MoE 架构：推理成本下降 LARGE model"),
      Self.long("ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ and ！？ punctuation"),
      Self.long("Ёлка ЖУК Σίσυφος ΣΊΣΥΦΟΣ İstanbul ǅemal ß ẞ"),
      Self.long("Émile À l'été — «quoted» µ Å K Ω"),
      Self.long("emoji 😀👍🏽 flags 🇨🇳 and \u{FFFF}\u{FFFE} non-characters \u{10FFFF}"),
      Self.long("combining e\u{301} a\u{30A} 한국어 カタカナ ひらがな"),
      .text(String(repeating: "x", count: 63)),
      .text(String(repeating: "Ab", count: 32)),
      .text("ab"),
      .text("ABC"),
      .text(String(repeating: "模型架构推理开源生态", count: 500)),
    ])
  }

  @Test func aNulEndsTheTextAsItDoesForTheBuiltIn() throws {
    try Self.expectSameIndex([
      Self.long("before the nul 前面"),
      .text(String(repeating: "before 前面 ", count: 8) + "\u{0}" + String(repeating: "after 后面 ", count: 8)),
    ])
  }

  /// Every Unicode scalar (surrogates have none) in every position of a trigram: the folds
  /// the installed tokenizer learns or assumes are the built-in tokenizer's, for all of them.
  @Test func everyScalarFoldsAsTheBuiltInFoldsIt() throws {
    let scalars = (UInt32(1)...0x10FFFF).compactMap(Unicode.Scalar.init)
    var documents: [Document] = []
    var start = 0
    while start < scalars.count {
      let chunk = scalars[start..<min(start + 8192, scalars.count)]
      var text = String.UnicodeScalarView()
      text.append(contentsOf: chunk)
      documents.append(.text(String(text)))
      start += chunk.count
    }
    try Self.expectSameIndex(documents)
  }

  /// Bytes that are not UTF-8 (stray continuation bytes, overlong forms, encoded surrogates,
  /// cut sequences, NUL) between valid text: the built-in tokenizer's reading of them,
  /// unchanged, also for the trigrams the fast path gave before it met them.
  @Test func bytesThatAreNotUTF8IndexLikeTheBuiltIn() throws {
    var random = SplitMix64(seed: 17)
    let pieces: [[UInt8]] = [
      Array("text 文字 ".utf8), [0x80], [0xBF, 0x41], [0xC0, 0x80], [0xC1, 0xBF], [0xED, 0xA0, 0x80],
      [0xF4, 0x90, 0x80, 0x80], [0xE6, 0x96], [0xF0, 0x9F, 0x98], [0xFF], [0xFE], Array("ÄÖÜ".utf8), [0x00],
      // Well-formed characters with continuation bytes after them: SQLite reads those as one.
      [0xC3, 0x84, 0x80], [0xE6, 0x96, 0x87, 0xBF, 0xBF], [0xF0, 0x9F, 0x98, 0x80, 0x80], Array("\u{FFFF}".utf8),
    ]
    var documents: [Document] = []
    for _ in 0..<1000 {
      var bytes: [UInt8] = []
      while bytes.count < 80 + Int(random.next() % 200) {
        if random.next() % 4 == 0 {
          bytes.append(UInt8(truncatingIfNeeded: random.next()))
        } else {
          bytes += pieces[Int(random.next() % UInt64(pieces.count))]
        }
      }
      documents.append(.bytes(bytes))
    }
    try Self.expectSameIndex(documents)
  }

  @Test func queriesFindWhatTheBuiltInFinds() throws {
    var config = Configuration()
    config.prepareDatabase { db in try TrigramTokenizer.install(on: db) }
    let queue = try DatabaseQueue(configuration: config)
    let found = try queue.write { db in
      try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'trigram', content = '', detail = none)")
      try db.execute(
        sql: "INSERT INTO t (rowid, body) VALUES (1, ?)", arguments: [String(repeating: "Qwen 千问 OPEN ", count: 9)])
      try db.execute(
        sql: "INSERT INTO t (rowid, body) VALUES (2, ?)", arguments: [String(repeating: "其他 other ", count: 9)])
      // detail=none answers single trigrams (and ANDs of them), not phrases.
      return try ["qwe", "QWE", "千问 ", "问 O", "oth", "zzz"].map { term in
        try Int.fetchAll(db, sql: "SELECT rowid FROM t WHERE t MATCH ?", arguments: ["\"\(term)\""])
      }
    }
    #expect(found == [[1], [1], [1], [1], [2], []])
  }

  /// With options the tokenizer is the built-in one: `case_sensitive 1` keeps case.
  @Test func optionsKeepTheBuiltInTokenizer() throws {
    try Self.expectSameIndex(
      [Self.long("Case Matters HERE 大小写"), Self.long("case matters here")], tokenize: "trigram case_sensitive 1")
  }
}

/// A seeded generator (SplitMix64), so a failure reproduces.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
