import Foundation
internal import SKCurl

extension Fetcher {
  /// One attempt: the first hop and every redirect, each scheduled and guarded.
  /// `first`: the link's first attempt, which is not sent once the run is stopping.
  nonisolated func attemptOnce(
    _ request: FetchRequest, deadline: ContinuousClock.Instant, first: Bool = true
  ) async -> FetchAttempt {
    var hops: [Hop] = []
    var exchanges: [Exchange] = []
    var seen: Set<String> = []
    var current = request.url
    var redirects = 0
    func done(
      _ status: CheckStatus, _ reason: CheckReason?, http: Int?, error: CurlError? = nil, retryAfter: Duration? = nil
    )
      -> FetchAttempt
    {
      FetchAttempt(
        status: status, reason: reason, httpStatus: http, hops: hops, exchanges: exchanges, error: error,
        retryAfter: retryAfter)
    }
    while true {
      guard let url = URL(string: current), let scheme = url.scheme?.lowercased(),
        scheme == "http" || scheme == "https",
        let host = url.host, !host.isEmpty
      else {
        hops.append(Hop(url: current, httpStatus: nil, location: nil))
        return done(.excluded, .scheme, http: hops.dropLast().last?.httpStatus)
      }
      seen.insert(current)
      // Judged before anything is sent: the host as libcurl reads it and, through a proxy
      // (where the connect-time guard sees only the proxy), every address it resolves to.
      if let refusal = await screen(current) {
        hops.append(Hop(url: current, httpStatus: nil, location: nil))
        return done(refusal.status, refusal.reason, http: nil, error: refusal.error)
      }
      var headers = ["Accept-Encoding: gzip, deflate", "Accept: text/html,application/xhtml+xml,*/*;q=0.8"]
      for extra in request.extraHeaders where extra.isSendable {
        let prefix = extra.name.lowercased() + ":"
        headers.removeAll { $0.lowercased().hasPrefix(prefix) }
        headers.append("\(extra.name): \(extra.value)")
      }
      // Validators belong to the requested URL: first hop only, and never a value that could
      // break the header line.
      if redirects == 0 {
        if let etag = request.etag, HeaderValue.isSendable(etag) { headers.append("If-None-Match: \(etag)") }
        if let lm = request.lastModified, HeaderValue.isSendable(lm) { headers.append("If-Modified-Since: \(lm)") }
      }
      let guardCopy = addressGuard
      let hostKey = HostPolicy.hostKey(scheme: scheme, host: host, port: url.port)
      let grant = await gate.acquire(host: hostKey)
      let gate = self.gate
      if first && redirects == 0 && !shouldStart() {
        await gate.release(grant, host: hostKey, sentAt: nil)
        var attempt = done(.unreachable, nil, http: nil)
        attempt.notStarted = true
        return attempt
      }
      // The link's deadline bounds this hop's transfer too (the wait for a slot included).
      let remainingMs = (deadline - .now).milliseconds
      if remainingMs <= 0 {
        await gate.release(grant, host: hostKey, sentAt: nil)
        hops.append(Hop(url: current, httpStatus: nil, location: nil))
        return done(.unreachable, .timeout, http: nil, error: deadlineError(current, hops: hops.count - 1))
      }
      let timeoutMs = Int(min(Int64(config.timeoutS) * 1000, remainingMs))
      var spec = TransferSpec(
        url: current, headers: headers, userAgent: config.userAgent,
        connectTimeoutMs: min(config.connectTimeoutS * 1000, timeoutMs), timeoutMs: timeoutMs,
        lowSpeedLimit: tuning.lowSpeedLimit, lowSpeedTimeS: tuning.lowSpeedTimeS,
        maxBodyBytes: min(config.maxBodyMB << 20, request.maxBodyBytes ?? Int.max), proxy: proxyMode,
        admitAddress: { bytes in IPAddress(bytes: bytes).map { guardCopy.admits($0) } ?? false })
      if config.perHostIntervalMs > 0 {
        spec.onRequestSent = { at in Task { await gate.sent(grant, host: hostKey, at: at) } }
      }
      let startedAt = Date()
      let outcome = await engine.perform(spec)
      await gate.release(grant, host: hostKey, sentAt: outcome.requestSentAt)

      if var error = outcome.error {
        // libcurl's timer is in whole ms and may fire just before the instant itself.
        let nearDeadline = ContinuousClock.now + .milliseconds(100) >= deadline
        if error.code == .timeout, timeoutMs < config.timeoutS * 1000, nearDeadline {
          error = deadlineError(current, hops: hops.count)
        }
        if !outcome.responseHeader.isEmpty || !outcome.requestHeader.isEmpty {
          exchanges.append(exchange(current, startedAt, outcome))
        }
        hops.append(Hop(url: current, httpStatus: outcome.httpStatus == 0 ? nil : outcome.httpStatus, location: nil))
        let refused = outcome.refusedAddresses.compactMap { IPAddress(bytes: $0)?.description }
        logger.info(
          "fetch failed", metadata: ["url": "\(current)", "curl.code": "\(error.curlCode)", "refused": "\(refused)"])
        let (status, reason) = Fetcher.classify(error.code)
        let refusedIPs = outcome.refusedAddresses.compactMap { IPAddress(bytes: $0) }
        let explained = explainingRefusal(error, refused: refusedIPs, url: current)
        return done(status, reason, http: nil, error: namingTheProxy(explained, scheme: scheme, refused: refusedIPs))
      }
      var ex = exchange(current, startedAt, outcome)
      let code = outcome.httpStatus
      let location = StatusMapping.isRedirect(code) ? ex.header("Location") : nil
      // A redirect's body is archived but nobody reads it: keep its head only (the WARC
      // record says `WARC-Truncated: length`), so a chain of hostile hops cannot hold
      // `max_body_mb` per hop in memory until the link is done.
      if let location, !location.isEmpty, ex.body.count > Fetcher.redirectBodyKept {
        ex.body = Array(ex.body.prefix(Fetcher.redirectBodyKept))
        ex.truncated = true
      }
      exchanges.append(ex)
      if let location, !location.isEmpty {
        let next = URL(string: location, relativeTo: url)?.absoluteURL.absoluteString ?? location
        hops.append(Hop(url: current, httpStatus: code, location: next))
        redirects += 1
        if seen.contains(next) || redirects > config.maxRedirects {
          return done(.unreachable, .redirectLoop, http: code)
        }
        current = next
        continue
      }
      hops.append(Hop(url: current, httpStatus: code, location: nil))
      var (status, reason) = StatusMapping.classify(httpStatus: code)
      if status == .ok, redirects > 0, !StatusMapping.isTrivialRedirect(from: request.url, to: current) {
        status = .redirected
      }
      if status == .ok, outcome.truncated {
        logger.info("body truncated", metadata: ["url": "\(current)", "fetch.max_body_mb": "\(config.maxBodyMB)"])
      }
      let retryAfter = ex.header("Retry-After").flatMap { RetryPolicy.parseRetryAfter($0) }
      if status == .unreachable { reason = .protocol }
      return done(status, reason, http: code, retryAfter: retryAfter)
    }
  }

  /// The most of a redirect response's body kept for the archive.
  static let redirectBodyKept = 64 << 10

  /// The failure of a link whose `fetch.link_deadline_s` ran out.
  nonisolated func deadlineError(_ url: String, hops: Int) -> CurlError {
    CurlError(
      code: .timeout,
      message: "fetch.link_deadline_s (\(config.linkDeadlineS) s) ran out after \(hops) redirect hop(s), "
        + "retries and waits included",
      url: url)
  }

  private nonisolated func exchange(_ url: String, _ startedAt: Date, _ o: TransferOutcome) -> Exchange {
    Exchange(
      url: url, startedAt: startedAt, requestHeader: o.requestHeader, responseHeader: o.responseHeader, body: o.body,
      truncated: o.truncated, httpStatus: o.httpStatus, remoteIP: o.remoteIP, remotePort: o.remotePort,
      timings: o.timings)
  }

  /// Transport failures → status and reason (docs/design.md#check-status: unreachable reasons,
  /// excluded/private-network).
  static func classify(_ code: CurlError.Code) -> (CheckStatus, CheckReason?) {
    switch code {
    case .resolve: return (.unreachable, .dns)
    case .connectRefused: return (.unreachable, .refused)
    case .connectFailed: return (.unreachable, .refused)
    case .timeout: return (.unreachable, .timeout)
    case .tls: return (.unreachable, .tls)
    case .reset: return (.unreachable, .reset)
    case .protocolError, .other, .setup, .aborted: return (.unreachable, .protocol)
    case .addressRefused: return (.excluded, .privateNetwork)
    }
  }
}
