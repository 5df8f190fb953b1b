/// Sizes for people, one rule everywhere text output prints one (docs/design.md#times-and-sizes):
/// 1024-based units with the IEC names (`812 B`, `11.2 KiB`, `3.4 MiB`, `1.2 GiB`), one decimal
/// once past bytes. JSON keeps exact byte counts.
public enum ByteSize {
  public static func forPeople(_ bytes: Int64) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    var value = Double(bytes)
    var unit = "B"
    for next in ["KiB", "MiB", "GiB", "TiB", "PiB"] {
      guard value >= 1023.95 else { break }
      value /= 1024
      unit = next
    }
    // One decimal, rounded half up, without Foundation's locale-dependent formatting.
    let tenths = Int64((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(unit)"
  }

  public static func forPeople(_ bytes: Int) -> String { forPeople(Int64(bytes)) }
}
