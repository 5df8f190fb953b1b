import Foundation

// SwiftPM makes each fuzz target's main.swift the executable's `main` (libFuzzer's own
// `main` is then not linked), so main.swift hands the command line to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func libFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with this process's arguments (`-max_total_time=…`, corpus folders) on `test`.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(libFuzzerRunDriver(&argc, &argv, test))
}
