// libFuzzer target: the control-protocol parser as the daemon's server runs it (fuzz/README.md
// says how to run it): bytes from the socket cut into lines by `LineReader`, each line decoded
// as a request (and as a message, the client's side); a decoded request encodes back to itself.
import Foundation
import FuzzDriver
import SKSystem
import SourcekeepApp

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard bytes.count < 60_000 else { return 0 }  // stays within one pipe buffer
  let pipe = Pipe()
  pipe.fileHandleForWriting.write(Data(bytes))
  try? pipe.fileHandleForWriting.close()
  var reader = LineReader(fd: pipe.fileHandleForReading.fileDescriptor)
  while let line = reader.next() {
    if let request = ControlCoding.decode(ControlRequest.self, line) {
      let again = ControlCoding.decode(ControlRequest.self, String(decoding: request.encoded.dropLast(), as: UTF8.self))
      if again != request { fatalError("request does not survive encode/decode: \(line)") }
    }
    _ = ControlCoding.decode(ControlMessage.self, line)
  }
  try? pipe.fileHandleForReading.close()
  return 0
}

runFuzzer(fuzzOne)
