/// A host name that fails to resolve without any DNS packet leaving the machine.
///
/// A plain `.invalid` name (RFC 6761) is still sent to the system resolver by glibc; a
/// label longer than 63 octets is refused by glibc's resolver before any query is built
/// (seen with strace: no socket to the nameserver), so tests get a real DNS failure from
/// libcurl while staying on loopback.
public enum UnresolvableHost {
  public static let name = String(repeating: "a", count: 70) + ".sourcekeep-test.invalid"
  /// `http://<name>/path`.
  public static func url(_ path: String = "/") -> String { "http://\(name)\(path)" }
}
