import Foundation

/// One page requisite on its way to the sink: its catalog row and, when it was fetched and
/// stored, its records (docs/design.md#page-requisites).
struct RequisiteWork: Sendable {
  /// The row to store; the sink fills in the location and the record type.
  var requisite: Requisite
  /// Records before the payload record, in file order: redirect hop pairs, then the request.
  var members: [ArchiveSink.Member] = []
  /// The gzipped `response` record, nil when nothing is to be written (failed, skipped, reused).
  var response: ArchiveSink.Member?
  /// A `revisit` record with the same record id, its `WARC-Refers-To*` fields still empty:
  /// the sink fills them in and writes it instead of `response` when the payload is already
  /// archived. Only the response head: holding the body until the sink decides would double
  /// the memory of every image in flight.
  var revisit: WARCRecord?
}

extension LinkRunner {
  /// Requests in flight per page: enough to overlap transfers, few enough that the per-page
  /// byte cap stops the fetching soon after it is reached.
  static let requisiteChunk = 4

  /// Fetches the requisites of one captured page (or reuses those already archived) and
  /// builds their records. Never fails: every outcome is a status on its row.
  /// - Parameters:
  ///   - urls: the page's requisites in order (`PageFacts.requisites`).
  ///   - pageURL: the page's final URL, sent as `Referer` (WeChat's image host answers a
  ///     placeholder to a foreign one).
  ///   - link: the page's link: what its earlier snapshots archived is reused, not fetched.
  func captureRequisites(_ urls: [String], pageURL: String, link: Int64) async -> [RequisiteWork] {
    let policy = requisitePolicy
    var works: [RequisiteWork?] = Array(repeating: nil, count: urls.count)
    let now = Date()
    for (i, url) in urls.enumerated() where i >= policy.maxPerPage {
      works[i] = RequisiteWork(
        requisite: Requisite(position: i, url: url, status: .skipped, reason: "capture.max_requisites", fetchedAt: now))
    }
    let candidates = Array(urls.prefix(max(0, policy.maxPerPage)))
    // A re-capture fetches only what it does not have yet (docs/design.md#page-requisites).
    let archived = await references.archivedRequisites(urls: candidates, link: link)
    var toFetch: [Int] = []
    for (i, url) in candidates.enumerated() {
      if var old = archived[url] {
        old.position = i
        old.reused = true
        works[i] = RequisiteWork(requisite: old)
      } else {
        toFetch.append(i)
      }
    }
    let headers = [RequestHeader("Referer", pageURL), RequestHeader("Accept", RequisitePolicy.accept)]
    var pageBytes = 0
    var capped = false
    var next = 0
    while next < toFetch.count {
      let chunk = Array(toFetch[next..<min(toFetch.count, next + Self.requisiteChunk)])
      next += chunk.count
      if capped {
        for i in chunk { works[i] = skippedByPageCap(i, urls[i]) }
        continue
      }
      let requests = chunk.map {
        FetchRequest(url: urls[$0], extraHeaders: headers, maxBodyBytes: policy.maxBytesEach)
      }
      let results = await fetcher.fetch(requests)
      for (i, result) in zip(chunk, results) {
        if capped {
          works[i] = skippedByPageCap(i, urls[i])
          continue
        }
        var work = requisiteWork(position: i, url: urls[i], result)
        if work.response != nil {
          if pageBytes + work.requisite.bytes > policy.maxBytesPerPage {
            capped = true
            work = skippedByPageCap(i, urls[i])
          } else {
            pageBytes += work.requisite.bytes
          }
        }
        works[i] = work
      }
    }
    return works.enumerated().map { i, w in
      w ?? RequisiteWork(requisite: Requisite(position: i, url: urls[i], status: .skipped, fetchedAt: now))
    }
  }

  private func skippedByPageCap(_ position: Int, _ url: String) -> RequisiteWork {
    RequisiteWork(
      requisite: Requisite(
        position: position, url: url, status: .skipped, reason: "capture.max_requisites_mb_per_page",
        fetchedAt: Date()))
  }

  /// One fetched requisite: its status and, when it is a complete successful response, its
  /// records (hop pairs, request, response), serialised and gzipped here, off the sink.
  func requisiteWork(position: Int, url: String, _ result: FetchResult) -> RequisiteWork {
    // The run was stopping when this image's turn came: nothing was sent; a later capture of
    // the page fetches it (docs/design.md#interrupting-a-run).
    if result.notStarted {
      return RequisiteWork(
        requisite: Requisite(position: position, url: url, status: .skipped, reason: "stopping", fetchedAt: Date()))
    }
    let final = result.exchange
    var r = Requisite(
      position: position, url: url, finalURL: result.finalURL == url ? nil : result.finalURL,
      status: RequisiteStatus(fetch: result.status), reason: result.reason?.rawValue, httpStatus: result.httpStatus,
      contentType: final?.header("Content-Type"), bytes: final?.bodyLength ?? 0,
      fetchedAt: final?.startedAt ?? Date())
    guard r.status == .archived, let final, (200..<300).contains(final.httpStatus) else {
      if r.status == .archived { r.status = .serverError }
      return RequisiteWork(requisite: r)
    }
    if final.truncated {
      // Over `capture.max_requisite_mb`: a cut image is no image, so nothing is archived.
      r.status = .tooLarge
      r.reason = "capture.max_requisite_mb"
      return RequisiteWork(requisite: r)
    }
    let builder = WARCRecordBuilder()
    var records = Self.redirectHopRecords(result, builder: builder)
    let archived = Self.archived(final)
    let pair = builder.exchange(archived, warcinfoID: nil)
    records.append(pair.request)
    r.payloadDigest = pair.payloadDigest
    r.recordID = pair.response.recordID
    r.recordType = "response"
    do {
      let members = try records.map { record throws(WARCFormatError) in try ArchiveSink.Member(record) }
      var response = try ArchiveSink.Member(pair.response)
      response.park(in: StoreLayout(root: storeRoot).tmpDirectory)
      let id = pair.response.recordID ?? ""
      let revisit = WARCRecordBuilder(makeID: { id }).revisit(
        archived, refersTo: "", refersToURI: "", refersToDate: archived.date, warcinfoID: nil)
      return RequisiteWork(requisite: r, members: members, response: response, revisit: revisit)
    } catch {
      r.status = .unreachable
      r.reason = "protocol"
      r.payloadDigest = nil
      r.recordID = nil
      r.recordType = nil
      return RequisiteWork(requisite: r)
    }
  }

  /// The page's requisites for its `metadata` record and journal event.
  static func requisitesJSON(_ works: [RequisiteWork]) -> JSONValue {
    .array(
      works.map { w in
        let r = w.requisite
        return .object([
          ("url", .string(r.url)), ("status", .string(r.status.rawValue)), ("reason", .optional(r.reason)),
          ("http_status", .optional(r.httpStatus)), ("record_id", .optional(r.recordID)),
        ])
      })
  }

  /// Counts for the `capture`/`check` event: how many were archived and how many not, by status.
  static func requisiteCounts(_ works: [RequisiteWork]) -> JSONValue {
    var counts: [String: Int] = [:]
    for w in works { counts[w.requisite.status.rawValue, default: 0] += 1 }
    var fields: [(String, JSONValue)] = [("total", .int(Int64(works.count)))]
    for status in RequisiteStatus.allCases {
      if let n = counts[status.rawValue] { fields.append((status.rawValue, .int(Int64(n)))) }
    }
    return .object(fields)
  }
}
