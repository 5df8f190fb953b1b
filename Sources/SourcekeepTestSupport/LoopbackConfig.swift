/// The config file tests give the binary: digests from `digests/`, state in `data/`, and a
/// fetcher allowed onto loopback (the fixture servers live there) with no politeness gap
/// and no retries, so tests run fast. `extra` is appended (later keys in a section override
/// nothing: give only keys not listed here, or whole extra sections). Page requisites are off
/// unless asked for: the fixture pages cite images on real hosts (`mmbiz.qpic.cn`), and tests
/// stay on loopback. The web view is off unless `extra` has a `[web]` section: tests run many
/// stores at once, and each daemon would try the default port 8470.
public enum LoopbackConfig {
  public static func toml(fetch extraFetch: String = "", extra: String = "", requisites: Bool = false) -> String {
    """
    [digests]
    paths = ["digests"]
    [storage]
    dir = "data"
    [fetch]
    allow_private_networks = true
    per_host_interval_ms = 0
    retries = 0
    \(extraFetch)
    \(extra)
    [capture]
    requisites = \(requisites)
    \(extra.contains("[web]") ? "" : "[web]\nlisten = \"\"")
    """
  }
}
