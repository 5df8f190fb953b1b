/// Where the text walk is in the content's tables and lists, so each block can say which
/// table cell or list it belongs to (`ContentBlock.table`, `.ordered`, …): the flat block list
/// keeps enough shape for the readable rendition to rebuild tables and lists.
struct BlockLayout {
  private struct Table {
    var id: Int
    var row = -1
    var column = -1
    var header = false
    var inCell = false
    var inCaption = false
  }

  private var tables: [Table] = []
  private var nextTable = 0
  /// Open lists, innermost last: true for `<ol>`.
  private var lists: [Bool] = []

  mutating func enter(_ tag: PageDOM.Tag) {
    switch tag {
    case .table:
      tables.append(Table(id: nextTable))
      nextTable += 1
    case .tr where !tables.isEmpty:
      tables[tables.count - 1].row += 1
      tables[tables.count - 1].column = -1
    case .td, .th:
      guard !tables.isEmpty else { return }
      if tables[tables.count - 1].row < 0 { tables[tables.count - 1].row = 0 }
      tables[tables.count - 1].column += 1
      tables[tables.count - 1].header = tag == .th
      tables[tables.count - 1].inCell = true
    case .caption where !tables.isEmpty:
      tables[tables.count - 1].inCaption = true
    case .ul, .ol:
      lists.append(tag == .ol)
    default: break
    }
  }

  mutating func exit(_ tag: PageDOM.Tag) {
    switch tag {
    case .table: if !tables.isEmpty { tables.removeLast() }
    case .td, .th: if !tables.isEmpty { tables[tables.count - 1].inCell = false }
    case .caption: if !tables.isEmpty { tables[tables.count - 1].inCaption = false }
    case .ul, .ol: if !lists.isEmpty { lists.removeLast() }
    default: break
    }
  }

  /// Sets the block's table position (inside a cell or caption) and list details.
  func place(_ block: inout ContentBlock) {
    if let t = tables.last, t.inCell || t.inCaption {
      block.table = t.id
      if t.inCell {
        block.row = t.row
        block.column = t.column
        if t.header { block.header = true }
      }
    }
    if block.type == "list_item", let ordered = lists.last {
      if ordered { block.ordered = true }
      if lists.count > 1 { block.depth = lists.count }
    }
  }
}
