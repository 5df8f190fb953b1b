import Glibc

/// `rename(2)`: moves `source` over `destination` in one step, so a reader opening
/// `destination` sees the old file or the new one, never a half-written one (the CDXJ index
/// files are written beside and renamed into place; docs/design.md#cdxj-index).
public func atomicRename(_ source: String, over destination: String) throws(IOError) {
  if rename(source, destination) != 0 {
    throw IOError(operation: "rename", path: destination, code: errno)
  }
}
