import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The WAL grows past `Catalog.walSizeLimit` while a reader keeps checkpoints from wrapping it;
/// once the reader is gone and a checkpoint has emptied it, the next writes cut the file back
/// to the limit instead of leaving it at its largest (what SQLite does without the pragma).
@Suite struct WALSizeTests {
  let dir = TempDirectory()

  @Test func theWALIsCutBackAfterALongReadEnds() throws {
    let path = dir.path + "/catalog.sqlite"
    let catalog = try Catalog(path: path)
    try catalog.write { db in try db.execute(sql: "CREATE TABLE filler (bytes BLOB)") }
    var longRead = Configuration()
    longRead.allowsUnsafeTransactions = true  // the read transaction spans several accesses
    let reader = try DatabaseQueue(path: path, configuration: longRead)
    try reader.inDatabase { db in
      try db.execute(sql: "BEGIN")
      _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM link")
    }
    let block = Data(repeating: 0x5A, count: 1 << 20)
    for _ in 0..<(Catalog.walSizeLimit >> 20) + 16 {
      try catalog.write { db in try db.execute(sql: "INSERT INTO filler (bytes) VALUES (?)", arguments: [block]) }
    }
    func walSize() throws -> Int {
      try #require(FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
    }
    let grown = try walSize()
    #expect(grown > Catalog.walSizeLimit, "the reader kept the WAL from wrapping")
    try reader.inDatabase { db in try db.execute(sql: "COMMIT") }
    try reader.close()
    // The next commit's automatic checkpoint, with no reader left, copies the whole WAL into
    // the database; the write after it starts the WAL over, and cuts the file to the limit.
    for _ in 0..<3 {
      try catalog.write { db in try db.execute(sql: "DELETE FROM filler WHERE rowid = (SELECT MIN(rowid) FROM filler)")
      }
    }
    #expect(try walSize() <= Catalog.walSizeLimit, "grew to \(grown) bytes, cut back to at most the limit")
  }
}
