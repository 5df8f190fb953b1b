import Foundation

/// Article texts for the catalog benchmark: about `bytes` of UTF-8, mostly Chinese, different
/// for every index and the same on every run (seeded).
public struct BenchCorpus: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// bench/capture/farm.py's generator: 44 words, so it compresses far better than prose.
    case farm
    /// Paragraphs drawn from the zh_CN translations installed with Debian's programs
    /// (/usr/share/locale/zh_CN/LC_MESSAGES/*.mo): real Chinese with a real vocabulary,
    /// which is what the compression level has to be chosen on.
    case locale
  }

  public let kind: Kind
  public let bytes: Int
  private let paragraphs: [String]

  private static let farmWords =
    ("模型 架构 推理 开源 生态 稀疏 注意力 成本 部署 机器人 春晚 智能体 千问 评测 数据 训练 "
    + "产业 商业化 用户 场景 芯片 算力 token price model agent open source inference latency "
    + "benchmark release research team product market growth").split(separator: " ").map(String.init)

  /// - Throws: when `locale` finds no zh_CN catalogues on this machine.
  public init(_ kind: Kind, bytes: Int = 60 * 1024) throws {
    self.kind = kind
    self.bytes = bytes
    switch kind {
    case .farm: paragraphs = []
    case .locale:
      paragraphs = try Self.localeParagraphs()
      guard paragraphs.count > 1000 else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: Self.localeFolder])
      }
    }
  }

  /// The text of article `n`.
  public func article(_ n: Int) -> String {
    var rng = SplitMix64(seed: UInt64(n) &* 0x9E37_79B9 &+ 1)
    var out = ""
    while out.utf8.count < bytes {
      switch kind {
      case .farm:
        let count = Int.random(in: 40...120, using: &rng)
        for _ in 0..<count {
          let w = Self.farmWords.randomElement(using: &rng)!
          out += w.utf8.first! > 127 ? w : " " + w + " "
        }
        out += "。\n"
      case .locale:
        out += paragraphs.randomElement(using: &rng)! + "\n"
      }
    }
    return out
  }

  public func title(_ n: Int) -> String { "第\(n)篇 测试文章" }

  static let localeFolder = "/usr/share/locale/zh_CN/LC_MESSAGES"

  /// Every translated string with at least 8 CJK ideographs, from every .mo file.
  static func localeParagraphs() throws -> [String] {
    var out: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: localeFolder).sorted() where name.hasSuffix(".mo") {
      guard let data = FileManager.default.contents(atPath: localeFolder + "/" + name) else { continue }
      for text in MOFile.translations(Array(data)) {
        let ideographs = text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
        if ideographs >= 8 { out.append(text.replacingOccurrences(of: "\n", with: " ")) }
      }
    }
    return out
  }
}

/// The translations in a GNU gettext .mo file (little-endian; header entry skipped).
enum MOFile {
  static func translations(_ b: [UInt8]) -> [String] {
    func u32(_ at: Int) -> Int {
      guard at + 4 <= b.count else { return 0 }
      return Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
    }
    guard u32(0) == 0x9504_12DE else { return [] }
    let count = u32(8)
    let table = u32(16)
    var out: [String] = []
    for i in 1..<max(count, 1) {
      let length = u32(table + 8 * i)
      let offset = u32(table + 8 * i + 4)
      guard offset + length <= b.count else { break }
      // Plural forms are NUL-separated; each is a text of its own.
      for form in b[offset..<(offset + length)].split(separator: 0) {
        out.append(String(decoding: form, as: UTF8.self))
      }
    }
    return out
  }
}

/// A small seeded generator (SplitMix64), so every run draws the same articles, documents and
/// inputs on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
