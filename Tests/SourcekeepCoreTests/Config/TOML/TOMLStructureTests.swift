import Testing

@testable import SourcekeepCore

/// Keys, tables, arrays of tables, arrays, inline tables, comments, line ends and encoding
/// (toml.io/en/v1.0.0#keys … #array-of-tables), with every redefinition rule.
@Suite struct TOMLStructureTests {
  @Test func bareQuotedAndDottedKeys() throws {
    let doc = try TOMLReader.parse(
      """
      bare_key-1 = 1
      1234 = 2
      "127.0.0.1" = 3
      "ʎǝʞ" = 4
      'quoted "value"' = 5
      "" = 6
      physical.color = "orange"
      physical . shape = "round"
      site."google.com" = true
      3.14159 = "pi"
      """)
    #expect(doc.keys == ["bare_key-1", "1234", "127.0.0.1", "ʎǝʞ", "quoted \"value\"", "", "physical", "site", "3"])
    #expect(doc["physical"] == TOML.table([("color", .string("orange")), ("shape", .string("round"))]))
    #expect(doc["site"] == TOML.table([("google.com", .bool(true))]))
    #expect(doc["3"] == TOML.table([("14159", .string("pi"))]))
  }

  @Test(arguments: [
    ("= 1", "expected a key"), ("é = 1", "bare key"), ("a b = 1", "expected '='"), ("a. = 1", "expected a key"),
    (".a = 1", "expected a key"), ("a..b = 1", "expected a key"), ("a = 1\na = 2", "defined twice (first on line 1)"),
    ("a = 1\n\"a\" = 2", "defined twice"), ("a.b = 1\na.b = 2", "defined twice"),
    ("a = 1\na.b = 2", "already an integer"),
    ("a.b = 1\na = 2", "defined twice"), ("a = \n", "expected a value"), ("a", "expected '='"),
    ("a = 1 b = 2", "line break"),
  ])
  func invalidKeys(_ text: String, _ fragment: String) throws {
    let error = try #require(TOML.error(text), "\(text)")
    #expect(error.message.contains(fragment), "\(text): \(error)")
  }

  @Test func tablesAndImplicitParents() throws {
    let doc = try TOMLReader.parse(
      """
      [table-1]
      key1 = "some string"
      [dog."tater.man"]
      type.name = "pug"
      [ j . "ʞ" . 'l' ]
      [x.y.z.w]
      [x]
      v = 1
      [fruit]
      apple.color = "red"
      apple.taste.sweet = true
      [fruit.apple.texture]
      smooth = true
      """)
    #expect(doc.keys == ["table-1", "dog", "j", "x", "fruit"])
    #expect(
      doc["dog"] == TOML.table([("tater.man", TOML.table([("type", TOML.table([("name", .string("pug"))]))]))]))
    guard case .table(let x) = doc["x"] else {
      Issue.record("x")
      return
    }
    #expect(x.keys == ["y", "v"])
    guard case .table(let fruit) = doc["fruit"], case .table(let apple) = fruit["apple"] else {
      Issue.record("fruit.apple")
      return
    }
    #expect(apple.keys == ["color", "taste", "texture"])
  }

  @Test(arguments: [
    ("[a]\n[a]", "defined twice (first on line 1)"),
    ("[a]\nb = 1\n[a.b]", "already an integer"),
    ("[a.b]\n[a]\n[a]", "defined twice"),
    ("a.b = 1\n[a]", "already defined with dotted keys"),
    ("[fruit]\napple.color = \"red\"\n[fruit.apple]", "already defined with dotted keys"),
    ("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]", "already defined with dotted keys"),
    ("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "dotted keys cannot add to table 'b.c'"),
    ("[a.b]\n[a]\nb.x = 1", "dotted keys cannot add"),
    ("[x.a.b.y]\n[x]\na.b.c = 1\n[x.a.b]", "already defined"),
    ("a = {}\n[a]", "inline table"),
    ("a = {b = 1}\n[a.c]", "inline table"),
    ("a = {b = 1}\na.c = 2", "inline table"),
    ("[product]\ntype.name = \"Nail\"\ntype = { edible = false }", "defined twice"),
    ("[a]\nb = [1]\n[a.b.c]", "already an array"),
    ("[[a]]\n[a]", "array of tables"),
    ("[ a ]]", "line break"),
    ("[a", "close the table header"),
    ("[a]x = 1", "line break"),
    ("[]", "expected a key"),
  ])
  func tableRedefinitions(_ text: String, _ fragment: String) throws {
    let error = try #require(TOML.error(text), "\(text)")
    #expect(error.message.contains(fragment), "\(text): \(error)")
  }

  @Test func arraysOfTables() throws {
    let doc = try TOMLReader.parse(
      """
      [[fruits]]
      name = "apple"
      [fruits.physical]
      color = "red"
      [[fruits.varieties]]
      name = "red delicious"
      [[fruits.varieties]]
      name = "granny smith"
      [[fruits]]
      name = "banana"
      [[fruits.varieties]]
      name = "plantain"
      [[empty]]
      [[empty]]
      """)
    guard case .array(let fruits) = doc["fruits"], fruits.count == 2, case .table(let apple) = fruits[0],
      case .array(let varieties) = apple["varieties"]
    else {
      Issue.record("fruits: \(doc)")
      return
    }
    #expect(varieties.count == 2)
    #expect(apple.keys == ["name", "physical", "varieties"])
    #expect(doc["empty"] == .array([TOML.table([]), TOML.table([])]))
  }

  @Test(arguments: [
    ("fruits = []\n[[fruits]]", "which cannot be extended"),
    ("[fruit.physical]\n[[fruit]]", "already a table"),
    ("[[fruit]]\n[fruit]", "already an array of tables"),
    ("[[fruit]]\nx = 1\n[fruit.x]", "already an integer"),
    ("[a]\n[[a]]", "already a table"),
    ("[[a.b]]\n[a]\nb.x = 1", "it is an array of tables"),
    ("[[a] ]", "close the table header"),
    ("[[a]\n", "close the table header"),
  ])
  func invalidArraysOfTables(_ text: String, _ fragment: String) throws {
    let error = try #require(TOML.error(text), "\(text)")
    #expect(error.message.contains(fragment), "\(text): \(error)")
  }

  @Test func arrays() throws {
    #expect(try TOML.value("v = []") == .array([]))
    #expect(
      try TOML.value("v = [ 1, 'a', 2.5, [true], {x = 1} ]")
        == .array([
          .integer(1), .string("a"), .float(2.5), .array([.bool(true)]), TOML.table([("x", .integer(1))]),
        ]))
    #expect(try TOML.value("v = [\n  1, # one\n  2, # two\n\n]") == .array([.integer(1), .integer(2)]))
    #expect(try TOML.value("v = [\r\n1\r\n,2,]") == .array([.integer(1), .integer(2)]))
    for bad in ["v = [1,,2]", "v = [,]", "v = [1 2]", "v = [1", "v = [1,\n", "v = [\"a\" # c ]"] {
      #expect(TOML.error(bad) != nil, "\(bad)")
    }
    #expect(TOML.error("v = [1,\n2\n")?.message.contains("opened on line 1") == true)
  }

  @Test func inlineTables() throws {
    #expect(try TOML.value("v = {}") == TOML.table([]))
    #expect(
      try TOML.value("v = { first = \"Tom\", last.name = 'P', list = [\n1,\n2] }")
        == TOML.table([
          ("first", .string("Tom")), ("last", TOML.table([("name", .string("P"))])),
          ("list", .array([.integer(1), .integer(2)])),
        ]))
    #expect(
      try TOML.value("v = { a.b = 1, a.c = 2 }")
        == TOML.table([("a", TOML.table([("b", .integer(1)), ("c", .integer(2))]))]))
    for (bad, fragment) in [
      ("v = { a = 1, }", "trailing comma"), ("v = { a = 1\n}", "closed on the line"),
      ("v = {\na = 1 }", "closed on the line"),
      ("v = { a = 1, a = 2 }", "defined twice"), ("v = { a = {b = 1}, a.c = 2 }", "inline table"),
      ("v = { a = 1 b = 2 }", "expected ',' or '}'"), ("v = { a = 1", "never closed"), ("v = { , }", "expected a key"),
      ("v = { a = 1 } # ok\nv.b = 2", "inline table"),
    ] {
      let error = TOML.error(bad)
      #expect(error?.message.contains(fragment) == true, "\(bad): \(String(describing: error))")
    }
  }

  @Test func commentsLineEndsAndControlCharacters() throws {
    #expect(try TOMLReader.parse("# only a comment é\n\n  \t\n# another").count == 0)
    #expect(try TOMLReader.parse("a = 1 # trailing\r\nb = 2\r\n")["b"] == .integer(2))
    #expect(try TOMLReader.parse("a = 1 # tab\there")["a"] == .integer(1))
    for (bad, fragment) in [
      ("a = 1\rb = 2", "carriage return"), ("# bell \u{7}", "U+0007"), ("# del \u{7F}", "U+007F"),
      ("a = 1 # nul \u{0}", "U+0000"), ("a = 1\u{0}", "U+0000"), ("# cr \r here", "carriage return"),
    ] {
      let error = TOML.error(bad)
      #expect(error?.message.contains(fragment) == true, "\(bad.debugDescription): \(String(describing: error))")
    }
  }

  @Test func encoding() throws {
    // A byte-order mark at the start is allowed; anywhere else it is an unquoted character.
    #expect(try TOMLReader.parse([0xEF, 0xBB, 0xBF] + Array("a = 1".utf8))["a"] == .integer(1))
    #expect(TOML.error(Array("a = 1\n".utf8) + [0xEF, 0xBB, 0xBF]) != nil)
    for bytes: [UInt8] in [
      [0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22],  // a = "<FF>"
      [0x23, 0xC0, 0xAF],  // an overlong "/" in a comment
      [0x23, 0xED, 0xA0, 0x80],  // a UTF-16 surrogate in a comment
      [0x23, 0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
      [0x23, 0xE2, 0x82],  // cut short at the end
    ] {
      let error = try #require(TOML.error(bytes), "\(bytes)")
      #expect(error.message.contains("not valid UTF-8"), "\(error)")
    }
    let error = try #require(TOML.error(Array("a = 1\n# é".utf8) + [0xFF]))
    #expect(error.line == 2 && error.column == 4, "\(error)")
  }

  @Test func nestingIsCappedWithAnError() throws {
    for text in [
      "v = " + String(repeating: "[", count: 100_000),
      "v = " + String(repeating: "{a = ", count: 100_000),
      "v = " + String(repeating: "[", count: 101) + String(repeating: "]", count: 101),
      String(repeating: "a.", count: 100_000) + "b = 1",
      "[" + String(repeating: "a.", count: 100_000) + "b]",
      "v = " + String(repeating: "{a.b.c.d.e.f.g.h.i.j = ", count: 20),
    ] {
      let error = try #require(TOML.error(text))
      #expect(error.message.contains("100"), "\(error)")
    }
    let deep = "v = " + String(repeating: "[", count: 99) + String(repeating: "]", count: 99)
    #expect(TOML.error(deep) == nil)
  }
}
