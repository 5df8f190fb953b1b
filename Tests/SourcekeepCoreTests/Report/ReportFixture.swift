import Foundation
import SourcekeepTestSupport

@testable import SourcekeepCore

/// A real SQLite catalog with three digests and links in every state, checked at fixed times,
/// so report renderers can be compared with golden files.
///
/// Links (report time 2026-02-18 12:00 UTC):
/// - `old-dead` (2026-01-10 and 2026-02-17, 量子位): captured, then gone three times → dead
/// - `old-alive` (2026-01-10 and 2026-02-17, 机器之心): captured, ok again → alive
/// - `36kr.com/p/1` (2026-02-10, 36氪): captured → alive
/// - `example.com/chips` (2026-02-10, a mention): 503 once, never captured → failing
/// - `geek` (2026-02-17, 极客公园): captured → alive
/// - `qbit` (2026-02-17, 量子位): captured, then soft-404 deleted → failing
/// - `cyber` (2026-02-17, 赛博禅心): captured, then drifted with a second capture → drifted
/// - `kr-blocked` (2026-02-17, 36氪): WeChat verification page → unknown
/// - `pending` (2026-02-17, 智能涌现): never checked → pending
struct ReportFixture {
  static let now = date("2026-02-18T12:00:00Z")
  static let storageDir = "/srv/sourcekeep-data"

  let dir = TempDirectory()
  let catalog: Catalog

  init() throws {
    catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let digests = [
      (
        "2026-01-10.md",
        """
        # 🤖 AI行业速递 - 2026年01月10日

        ## 旧闻：大模型发布潮

        > **来源：** [量子位](https://mp.weixin.qq.com/s/old-dead) 、 [机器之心](https://mp.weixin.qq.com/s/old-alive)

        """, "2026-01-10T07:00:00Z"
      ),
      (
        "2026-02-10.md",
        """
        # 🤖 AI行业速递 - 2026年02月10日

        ## 国产芯片出货量翻倍

        > **来源：** [36氪](https://36kr.com/p/1)

        - 详见 [官网公告](https://example.com/chips)

        """, "2026-02-10T07:00:00Z"
      ),
      (
        "2026-02-17.md",
        """
        # 🤖 AI行业速递 - 2026年02月17日

        ## 千问3.5发布：极致稀疏MoE架构实现性能超越闭源模型，Token价格低至竞品1/18

        > **来源：** [极客公园](https://mp.weixin.qq.com/s/geek) 、 [量子位](https://mp.weixin.qq.com/s/qbit) 、 [赛博禅心](https://mp.weixin.qq.com/s/cyber)

        ## 松延动力春晚机器人秀

        > **来源：** [36氪](https://mp.weixin.qq.com/s/kr-blocked) 、 [智能涌现](https://mp.weixin.qq.com/s/pending) 、 [机器之心](https://mp.weixin.qq.com/s/old-alive) 、 [量子位](https://mp.weixin.qq.com/s/old-dead)

        """, "2026-02-17T07:00:00Z"
      ),
    ]
    for (name, text, at) in digests {
      _ = try catalog.registerDigest(try DigestReader().read(dir.write(name, text)), at: Self.date(at))
    }
    var ids: [String: Int64] = [:]
    for link in try catalog.linksToCapture(now: Self.now) { ids[link.url] = link.id }
    let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 48 * 3600)

    func check(
      _ url: String, _ at: String, _ status: CheckStatus, http: Int?, reason: CheckReason? = nil,
      capture offset: Int64? = nil
    ) throws {
      let id = ids[url]!
      let snapshot = offset.map { offset in
        SnapshotRecord(
          capturedAt: Self.date(at), status: status, httpStatus: http, finalURL: url, recordType: "response",
          location: WARCFile.Location(
            file: "warc/sourcekeep-\(at.prefix(10).replacingOccurrences(of: "-", with: ""))-00001.warc.gz",
            offset: offset, length: 900),
          metadataOffset: nil, payloadDigest: "sha1:FIXTUREFIXTUREFIXTURE\(offset)", title: "t", publisher: nil,
          author: nil, published: nil, truncated: false, text: nil)
      }
      try catalog.recordCheck(
        CheckRecord(linkID: id, checkedAt: Self.date(at), status: status, reason: reason, httpStatus: http),
        snapshot: snapshot, machine: machine, nextCheck: nil)
    }

    let w = "https://mp.weixin.qq.com/s/"
    try check(w + "old-dead", "2026-01-10T09:00:00Z", .ok, http: 200, capture: 1234)
    try check(w + "old-dead", "2026-01-20T08:00:00Z", .gone, http: 404)
    try check(w + "old-dead", "2026-01-21T08:00:00Z", .gone, http: 404)
    try check(w + "old-dead", "2026-01-22T09:00:00Z", .gone, http: 404)
    try check(w + "old-alive", "2026-01-10T09:05:00Z", .ok, http: 200, capture: 5678)
    try check(w + "old-alive", "2026-02-18T08:00:00Z", .ok, http: 200)
    try check("https://36kr.com/p/1", "2026-02-10T09:00:00Z", .ok, http: 200, capture: 0)
    try check("https://example.com/chips", "2026-02-18T08:00:00Z", .serverError, http: 503)
    try check(w + "geek", "2026-02-17T08:00:00Z", .ok, http: 200, capture: 1000)
    try check(w + "qbit", "2026-02-17T08:01:00Z", .ok, http: 200, capture: 2000)
    try check(w + "qbit", "2026-02-18T08:01:00Z", .soft404, http: 200, reason: .deleted)
    try check(w + "cyber", "2026-02-17T08:02:00Z", .ok, http: 200, capture: 3000)
    try check(w + "cyber", "2026-02-18T08:02:00Z", .drifted, http: 200, capture: 9000)
    try check(w + "kr-blocked", "2026-02-17T08:03:00Z", .blocked, http: 200)
  }

  /// The model as the CLI builds it, at the fixed report time, with a fixed storage folder.
  func model(_ filter: ReportFilter = ReportFilter()) throws -> ReportModel {
    var model = try catalog.reportModel(filter: filter, now: Self.now)
    model.storageDir = Self.storageDir
    return model
  }

  static func date(_ text: String) -> Date {
    Timestamp.parse(text)!
  }
}

/// Golden files live in `.golden/` beside this source file, found through `#filePath`.
///
/// The folder is hidden because SwiftPM skips hidden entries: a visible folder would have to be
/// declared as resources in Package.swift, or every build warns. `SOURCEKEEP_UPDATE_GOLDEN=1`
/// rewrites the files from the current output (then read the diff before committing).
enum Golden {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".golden")

  /// The golden text for `name`, after rewriting it from `actual` when asked to.
  static func expected(_ name: String, actual: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["SOURCEKEEP_UPDATE_GOLDEN"] == "1" {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
    }
    return try String(contentsOf: url, encoding: .utf8)
  }
}
