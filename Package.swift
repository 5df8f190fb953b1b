// swift-tools-version:6.0
// sourcekeep: keeps the sources of curated news digests readable. Linux only (glibc, inotify,
// flock, abstract Unix sockets); SwiftPM cannot declare a Linux-only package, so no `platforms:`.
// Layout: C system libraries (module map + pkg-config) → one C shim for curl's variadic
// calls → thin Swift wrappers (SKCurl, SKLibXML2, SKCmark, SKZlib, SKSystem: the only code
// that touches C pointers and POSIX calls) → SourcekeepCore (pure Swift, folders in data-flow
// order) → SourcekeepApp (the jobs the CLI and the daemon share) → SourcekeepDaemon → the
// `sourcekeep` executable. See docs/architecture.md.
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "sourcekeep",
  products: [
    .executable(name: "sourcekeep", targets: ["sourcekeep"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    // SHA-256 for WACZ export (BoringSSL's assembly, SHA-NI where the CPU has it); already in the
    // graph through HummingbirdTesting → async-http-client. docs/performance.md#wacz-export
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // MARK: C system libraries: module map + pkg-config only.
    .systemLibrary(
      name: "Clibcurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "Clibxml2", pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(
      name: "Ccmarkgfm", pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
    .systemLibrary(
      name: "Czlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    // libdeflate: whole-buffer DEFLATE for the WARC members (docs/performance.md#where-capture-cpu-goes).
    .systemLibrary(
      name: "Clibdeflate", pkgConfig: "libdeflate",
      providers: [.apt(["libdeflate-dev"])]),
    // libxcrypt's crypt_rn: bcrypt ($2b$/$2y$) for the web view's htpasswd entries.
    .systemLibrary(
      name: "Clibcrypt", pkgConfig: "libcrypt",
      providers: [.apt(["libcrypt-dev"])]),

    // glibc's <malloc.h> (mallopt, malloc_info): part of libc, nothing to install or link.
    .systemLibrary(name: "CGlibcMalloc"),

    // MARK: Typed, non-variadic wrappers for curl's variadic calls.
    .target(name: "CCurlShim", dependencies: ["Clibcurl"]),
    // MARK: FTS5's trigram tokenizer, each distinct trigram of a document once (the catalog's
    // detail=none index). SQLite itself comes through GRDB (libsqlite3-dev). Optimised in debug
    // builds too: the tests and `make bench-catalog` (a debug build) run every text through it.
    .target(
      name: "CFTS5Trigram", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("sqlite3")]),

    // MARK: Thin Swift wrappers: the only Swift code that touches C pointers and POSIX calls
    // (SKSystemTests checks the targets above them).
    .target(name: "SKCurl", dependencies: ["Clibcurl", "CCurlShim", "SKSystem"], swiftSettings: strict),
    .target(name: "SKLibXML2", dependencies: ["Clibxml2", "SKSystem"], swiftSettings: strict),
    .target(name: "SKCmark", dependencies: ["Ccmarkgfm"], swiftSettings: strict),
    .target(name: "SKZlib", dependencies: ["Czlib", "Clibdeflate"], swiftSettings: strict),
    .target(
      name: "SKSQLite", dependencies: ["CFTS5Trigram", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    // File descriptors, sockets, inotify, flock, time conversion, unaligned loads, malloc arenas.
    .target(
      name: "SKSystem",
      dependencies: ["Clibcrypt", "CGlibcMalloc", .product(name: "SystemPackage", package: "swift-system")],
      swiftSettings: strict),

    // MARK: The engine, pure Swift.
    .target(
      name: "SourcekeepCore",
      dependencies: [
        "SKCurl", "SKLibXML2", "SKCmark", "SKZlib", "SKSystem", "SKSQLite",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict),

    // MARK: The application layer: the jobs (ingest, check) the CLI and the daemon both run.
    .target(
      name: "SourcekeepApp",
      dependencies: ["SourcekeepCore", "SKSystem", .product(name: "Logging", package: "swift-log")],
      swiftSettings: strict),

    // MARK: The web view (Hummingbird 2): read-only pages, Memento, metrics. docs/design.md#web
    .target(
      name: "SourcekeepWeb",
      dependencies: [
        "SourcekeepCore", "SourcekeepApp", "SKSystem",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),

    // MARK: The daemon: scheduler, control socket, signals, systemd notify, journald logs.
    .target(
      name: "SourcekeepDaemon",
      dependencies: [
        "SourcekeepCore", "SourcekeepApp", "SKSystem", "SourcekeepWeb", .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),

    // MARK: The command-line tool and daemon entry point.
    .executableTarget(
      name: "sourcekeep",
      dependencies: [
        "SourcekeepCore", "SourcekeepApp", "SourcekeepDaemon", "SKSystem", "SourcekeepWeb",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),

    // MARK: Benchmark of the HTML parse paths (bench/parse/main.swift says how to run it).
    .executableTarget(
      name: "bench-html-parse", dependencies: ["SKLibXML2", "SKZlib"], path: "bench/parse",
      swiftSettings: strict),
    // MARK: Benchmark of the fetcher over a URL list (bench/fetch/run.sh runs it).
    .executableTarget(
      name: "bench-probe", dependencies: ["SourcekeepApp", "SourcekeepCore"], path: "bench/probe",
      swiftSettings: strict),
    // MARK: A synthetic million-link catalog for bench/scale/run.sh.
    .executableTarget(
      name: "bench-scale-catalog", dependencies: ["SourcekeepCore"], path: "bench/scale/catalog",
      swiftSettings: strict),
    // MARK: A fresh process that caps glibc's arenas as `sourcekeep` does and counts them
    // (SourcekeepCLITests.MallocArenaTests): glibc fixes its cap once, so only a new process shows it.
    .executableTarget(
      name: "malloc-arena-probe", dependencies: ["SKSystem"], path: "Tests/Probes/malloc-arena-probe",
      swiftSettings: strict),

    // MARK: Test support: real loopback servers and temporary stores.
    .target(
      name: "SourcekeepTestSupport",
      dependencies: ["SourcekeepCore", "SKZlib", "SKSystem"],
      swiftSettings: strict),

    .testTarget(name: "SKCurlTests", dependencies: ["SKCurl"], swiftSettings: strict),
    .testTarget(
      name: "SKLibXML2Tests", dependencies: ["SKLibXML2", "SKZlib", "SourcekeepTestSupport"],
      swiftSettings: strict),
    .testTarget(name: "SKCmarkTests", dependencies: ["SKCmark"], swiftSettings: strict),
    .testTarget(name: "SKZlibTests", dependencies: ["SKZlib", "SourcekeepTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "SKSQLiteTests", dependencies: ["SKSQLite", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    .testTarget(
      name: "SKSystemTests", dependencies: ["SKSystem", .product(name: "SystemPackage", package: "swift-system")],
      swiftSettings: strict),
    .testTarget(
      name: "SourcekeepCoreTests",
      // GRDB: migration tests write a catalog as an older release did.
      dependencies: [
        "SourcekeepCore", "SKSystem", "SKZlib", "SourcekeepTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "SourcekeepDaemonTests",
      // GRDB: the upgrade test writes a catalog as an older release did.
      dependencies: [
        "SourcekeepDaemon", "SourcekeepApp", "SKSystem", "SourcekeepTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "SourcekeepWebTests",
      dependencies: [
        "SourcekeepWeb", "SourcekeepCore", "SourcekeepApp", "SourcekeepDaemon", "SKSystem", "SourcekeepTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "SourcekeepCLITests",
      dependencies: ["SourcekeepTestSupport"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)

// MARK: libFuzzer targets (fuzz/README.md), declared only when SOURCEKEEP_FUZZ=1 so a plain
// `swift build` never links libFuzzer's main. `make fuzz` builds them with
// `-sanitize=fuzzer,address` in .build-fuzz.
if Context.environment["SOURCEKEEP_FUZZ"] == "1" {
  package.targets.append(.target(name: "FuzzDriver", path: "fuzz/FuzzDriver", swiftSettings: strict))
  for name in ["digest-markdown", "digest-html", "page-extractor", "warc-reader", "config-loader", "http-head"] {
    package.targets.append(
      .executableTarget(
        name: "fuzz-\(name)", dependencies: ["SourcekeepCore", "FuzzDriver"], path: "fuzz/\(name)",
        swiftSettings: strict))
  }
  // The control protocol (SourcekeepApp) read the way the daemon's server reads it (SKSystem).
  package.targets.append(
    .executableTarget(
      name: "fuzz-control-protocol", dependencies: ["SourcekeepApp", "SKSystem", "FuzzDriver"],
      path: "fuzz/control-protocol", swiftSettings: strict))
}
