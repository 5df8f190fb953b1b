import Clibcrypt

/// crypt(3) from libxcrypt, for the web view's htpasswd entries (bcrypt `$2y$`/`$2b$`, as
/// `htpasswd -B` writes them; docs/design.md#web-view).
///
/// Why libxcrypt: it is the system's password hashing library (Debian's libcrypt1, already
/// linked by glibc programs), it implements bcrypt, and `crypt_rn` is reentrant: each call
/// has its own work area, so concurrent requests need no lock.
public enum PasswordHash {
  /// The hash of `password` under `setting` (a whole stored hash works: its algorithm, cost
  /// and salt are read from it); nil when the setting is malformed or the algorithm unknown.
  /// Comparing the result with the stored hash verifies the password (compare in constant
  /// time: `ConstantTime.equal`).
  public static func hash(_ password: String, setting: String) -> String? {
    // A password or setting with a NUL would be cut short by C: refuse rather than verify a prefix.
    guard !password.utf8.contains(0), !setting.utf8.contains(0) else { return nil }
    let area = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
    defer { area.deallocate() }
    // libxcrypt wants the work area zeroed before first use.
    UnsafeMutableRawPointer(area).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
    let result = password.withCString { phrase in
      setting.withCString { salt in
        crypt_rn(phrase, salt, UnsafeMutableRawPointer(area), Int32(MemoryLayout<crypt_data>.size))
      }
    }
    guard let result else { return nil }
    let text = String(cString: result)
    // libxcrypt's failure token starts with '*'; a real hash never does.
    return text.hasPrefix("*") ? nil : text
  }
}

/// Comparisons whose time does not depend on where the inputs differ (credentials).
public enum ConstantTime {
  /// Whether `a` and `b` hold the same bytes; the time depends only on the lengths.
  public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    let n = max(a.count, b.count)
    for i in 0..<n {
      let x = i < a.count ? a[i] : 0
      let y = i < b.count ? b[i] : 0
      difference |= x ^ y
    }
    return difference == 0 && a.count == b.count
  }
}
