/// The tables of a document while it is read, with the facts TOML's redefinition rules need
/// (toml.io/en/v1.0.0#table, #array-of-tables, #inline-table, #keys).
///
/// Inline tables and arrays are finished values the moment they close, so they are stored as
/// `TOMLValue`s: nothing can reach into them later, which is exactly TOML's rule that they
/// cannot be extended. Only tables made by headers and dotted keys stay open here.
final class TOMLTableNode {
  /// How the table came to exist, which decides what may still define or extend it.
  enum Origin {
    /// Made as the parent of a header (`[a]` for `[a.b]`), or as a document root: a later
    /// `[a]` may still define it, once.
    case implicit
    /// Defined by a `[header]` or as an element of `[[array]]`: no second header may define
    /// it and dotted keys from another section may not add to it.
    case header
    /// Made by dotted keys (`a.b = 1` makes `a`): dotted keys in the same section may add
    /// more; at the next header it is closed (`sealed`) and no header may define it.
    case dotted
  }

  enum Slot {
    case value(TOMLValue)
    case table(TOMLTableNode)
    case arrayOfTables([TOMLTableNode])
  }

  var origin: Origin
  /// Dotted-key tables are sealed at the next header; header-defined ones are from the start.
  var sealed: Bool
  private var keys: [String] = []
  private var slots: [Slot] = []
  /// Byte offset of each key's first definition, for "defined twice (first on line 3)".
  private var offsets: [Int] = []
  private var index: [String: Int] = [:]

  init(origin: Origin) {
    self.origin = origin
    sealed = origin == .header
  }

  subscript(key: String) -> Slot? { index[key].map { slots[$0] } }

  /// Where `key` was first defined (a byte offset), if it is defined.
  func offset(of key: String) -> Int? { index[key].map { offsets[$0] } }

  /// Adds a key the table does not have yet.
  func add(_ key: String, _ slot: Slot, at offset: Int) {
    guard index[key] == nil else { return }
    index[key] = keys.count
    keys.append(key)
    slots.append(slot)
    offsets.append(offset)
  }

  /// Appends to an array of tables in place (amortised O(1) for many `[[x]]` headers).
  func appendElement(_ key: String, _ element: TOMLTableNode) {
    guard let position = index[key], case .arrayOfTables(var elements) = slots[position] else { return }
    slots[position] = .arrayOfTables([])  // drop the slot's reference so `elements` is not copied
    elements.append(element)
    slots[position] = .arrayOfTables(elements)
  }

  /// The finished value; recursion is bounded by the reader's nesting cap.
  var value: TOMLValue { .table(table) }

  /// The finished table; the key index is handed over as it is (no key is hashed again).
  var table: TOMLTable {
    let values = slots.map { slot -> TOMLValue in
      switch slot {
      case .value(let v): return v
      case .table(let node): return node.value
      case .arrayOfTables(let nodes): return .array(nodes.map(\.value))
      }
    }
    return TOMLTable(keys: keys, values: values, index: index)
  }
}
