import Foundation
import Logging
import SKSystem
import SourcekeepApp
import Synchronization
import Testing

@testable import SourcekeepDaemon

/// The daemon's small parts on real sockets and real handlers, without starting a daemon.
@Suite struct DaemonPartsTests {
  final class Lines: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ s: String) { items.withLock { $0.append(s) } }
    var all: [String] { items.withLock { $0 } }
  }

  @Test func journaldHandlerPrefixesEachLineWithItsSyslogPriority() {
    let lines = Lines()
    var logger = Logger(label: "sk") { JournaldLogHandler(label: $0, write: { lines.add($0) }) }
    logger.logLevel = .debug
    logger.error("disk full", metadata: ["path": "/var/lib/sourcekeep"])
    logger.info("started\nsecond line")
    logger.debug("detail")
    #expect(
      lines.all == ["<3>sk: disk full path=/var/lib/sourcekeep\n", "<6>sk: started second line\n", "<7>sk: detail\n"])
    #expect(JournaldLogHandler.priority(.warning) == 4)
    #expect(JournaldLogHandler.priority(.critical) == 2)
    #expect(JournaldLogHandler.priority(.notice) == 5)
  }

  @Test func outsideTheJournalLinesCarryATimeAndTheLevelInstead() {
    let lines = Lines()
    let logger = Logger(label: "sk") { JournaldLogHandler(label: $0, forJournal: false, write: { lines.add($0) }) }
    logger.warning("slow host")
    let line = lines.all.first ?? ""
    #expect(!line.hasPrefix("<"), "\(line)")
    #expect(line.contains(" WARNING sk: slow host"), "\(line)")
    #expect(JournaldLogHandler.stderrIsJournal(["JOURNAL_STREAM": "8:1234"]))
    #expect(!JournaldLogHandler.stderrIsJournal([:]))
  }

  @Test func notifierSendsOneDatagramToTheSocketPathAndNothingWithoutOne() throws {
    let path = NSTemporaryDirectory() + "sk-notify-\(UUID().uuidString.prefix(8)).sock"
    let fd = try UnixSocket.bindDatagram(path)
    defer {
      UnixSocket.close(fd)
      unlink(path)
    }
    let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"])
    #expect(notifier.watchdogInterval == 1.5)
    notifier.notify("READY=1", "STATUS=idle")
    notifier.status("checking\n3/9")
    #expect(UnixSocket.receive(fd, timeout: 5).map { String(decoding: $0, as: UTF8.self) } == "READY=1\nSTATUS=idle")
    #expect(UnixSocket.receive(fd, timeout: 5).map { String(decoding: $0, as: UTF8.self) } == "STATUS=checking 3/9")
    let silent = SystemdNotifier(environment: [:])
    #expect(silent.socketPath == nil && silent.watchdogInterval == nil)
    silent.notify("READY=1")
    let otherPID = SystemdNotifier(environment: [
      "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "1",
    ])
    #expect(otherPID.watchdogInterval == nil, "a watchdog meant for another pid is not ours")
  }

  @Test func notifierReachesAnAbstractSocketAddress() throws {
    let name = "@sk-notify-test-\(UUID().uuidString.prefix(8))"
    let fd = try UnixSocket.bindDatagram(name)
    defer { UnixSocket.close(fd) }
    SystemdNotifier(environment: ["NOTIFY_SOCKET": name]).notify("WATCHDOG=1")
    #expect(UnixSocket.receive(fd, timeout: 5).map { String(decoding: $0, as: UTF8.self) } == "WATCHDOG=1")
  }

  @Test func controlMessagesAreOneVersionedSnakeCaseJSONLine() throws {
    let request = ControlRequest(command: .check, all: true, urls: ["https://example.com/a"])
    let text = String(decoding: request.encoded, as: UTF8.self)
    #expect(text == #"{"all":true,"command":"check","urls":["https://example.com/a"],"v":1}"# + "\n")
    #expect(ControlCoding.decode(ControlRequest.self, String(text.dropLast())) == request)
    var message = ControlMessage(type: .result)
    message.exit = 65
    message.stdout = "ingest: 0 digest(s) read\n"
    let back = try #require(
      ControlCoding.decode(ControlMessage.self, String(decoding: message.encoded.dropLast(), as: UTF8.self)))
    #expect(back.type == .result && back.exit == 65 && back.stdout == message.stdout && back.v == 1)
    #expect(ControlCoding.decode(ControlRequest.self, "not json") == nil)
    // A command this build does not know still decodes, so the daemon can name it in its refusal.
    let unknown = ControlCoding.decode(ControlRequest.self, #"{"command":"frobnicate","v":1}"#)
    #expect(unknown?.command == .unknown("frobnicate"))
    #expect(
      String(decoding: ControlRequest(command: .unknown("x")).encoded, as: UTF8.self) == #"{"command":"x","v":1}"#
        + "\n")
  }

  @Test func anExchangeThatEndsWithoutAResultReturnsNothingNotTheLastProgressLine() throws {
    // A daemon that exits after progress lines (killed, or a result lost at exit) must not
    // look like a successful run to the client.
    let path = NSTemporaryDirectory() + "sk-exchange-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    let listener = try UnixSocket.listen(path)
    defer {
      UnixSocket.close(listener)
      unlink(path)
    }
    func serve(_ messages: [ControlMessage]) {
      Thread.detachNewThread {
        var fd: Int32?
        for _ in 0..<500 where fd == nil {
          fd = UnixSocket.accept(listener)
          if fd == nil { usleep(10_000) }
        }
        guard let fd else { return }
        _ = UnixSocket.readSome(fd)
        for m in messages { _ = UnixSocket.writeAll(fd, m.encoded) }
        UnixSocket.close(fd)
      }
    }
    var progress = ControlMessage(type: .progress)
    progress.line = "ok  https://example.com/a"
    serve([ControlMessage(type: .starting), progress])
    var seen = 0
    let cut = ControlClient.exchange(fd: try UnixSocket.connect(path), ControlRequest(command: .check)) { _ in seen += 1
    }
    #expect(seen == 2)
    #expect(cut == nil)

    var result = ControlMessage(type: .result)
    result.exit = 0
    result.stdout = "check: 1 of 1 link(s) checked\n"
    serve([progress, result])
    let whole = ControlClient.exchange(fd: try UnixSocket.connect(path), ControlRequest(command: .check)) { _ in }
    #expect(whole?.type == .result && whole?.stdout == result.stdout)
  }

  /// A count shared with signal and registration handlers.
  final class Counter: Sendable {
    private let value = Atomic(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
  }

  /// `SignalWatcher.registered()` returns only once the handlers are live (the daemon sends
  /// READY=1 then): not while the source's queue is held (registration reports there; a
  /// bounded wait gives up with false), and after it a signal reaches the handler. The signal is SIGUSR2, ignored by this process
  /// first, so a watcher that said "registered" too early fails here instead of killing the run.
  @Test func signalWatcherIsRegisteredOnlyWhenASignalReachesItsHandler() async throws {
    _ = signal(SIGUSR2, SIG_IGN)
    let queue = DispatchQueue(label: "test.signals")
    let hold = DispatchSemaphore(value: 0)
    queue.async { hold.wait() }
    let received = Counter()
    let registrations = Counter()
    let watcher = SignalWatcher(
      queue: queue, handlers: [(SIGUSR2, { @Sendable in received.add() })],
      onRegistered: { @Sendable in registrations.add() })
    defer { watcher.cancel() }
    // Held: not registered, and a bounded wait says so instead of hanging.
    let early = await watcher.registered(within: .milliseconds(300))
    #expect(!early && registrations.count == 0, "registered while its queue was held")
    hold.signal()
    let registered = await watcher.registered()
    #expect(registered && registrations.count == 1)
    kill(getpid(), SIGUSR2)
    let deadline = ContinuousClock.now + .seconds(5)
    while received.count == 0 && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(received.count == 1, "the signal after registered() never reached the handler")
  }
}
