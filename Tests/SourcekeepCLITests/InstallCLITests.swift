import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// Completions, the man page and `make install-files` (issue #19, docs/design.md#install-completions-and-man-page):
/// the built binary writes the completion scripts, the hand-kept man page names every command
/// and option the binary knows, and the install lays them out under DESTDIR/PREFIX.
@Suite struct InstallCLITests {
  @Test func completionScriptsAreWrittenForBashZshAndFish() throws {
    let run = CommandRunner(workingDirectory: "/")
    let bash = try run.run(["--generate-completion-script", "bash"])
    #expect(bash.status == 0 && bash.stdout.contains("sourcekeep"), "\(bash.stderr)")
    #expect(try run.run(["--generate-completion-script", "zsh"]).stdout.hasPrefix("#compdef sourcekeep"))
    #expect(try run.run(["--generate-completion-script", "fish"]).stdout.contains("complete -c 'sourcekeep'"))
    // The subcommands and their options are completed, not only the top level.
    #expect(bash.stdout.contains("--list-pending") && bash.stdout.contains("--fail-on"))
  }

  @Test func manPageNamesEveryCommandAndOption() throws {
    let dump = try CommandRunner(workingDirectory: "/").run(["--experimental-dump-help"])
    let tool = try #require(JSONValue.parse(dump.stdout), "\(dump.stderr)")
    let page = try String(
      contentsOf: TestFixtures.repositoryRoot.appendingPathComponent("docs/sourcekeep.1"), encoding: .utf8)
    // roff escapes the hyphens of options: compare without the backslashes.
    let plain = page.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\fB", with: "")
      .replacingOccurrences(of: "\\fR", with: "").replacingOccurrences(of: "\\fI", with: "")
    var missing: [String] = []
    func visit(_ command: JSONValue, path: [String]) {
      if !path.isEmpty && !plain.contains(path.joined(separator: " ")) { missing.append(path.joined(separator: " ")) }
      if case .array(let arguments)? = command["arguments"] {
        for argument in arguments {
          guard case .array(let names)? = argument["names"] else { continue }
          for name in names where name["kind"] == "long" {
            let option = "--" + (name["name"]?.stringValue ?? "")
            if !plain.contains(option) { missing.append("\(path.joined(separator: " ")) \(option)") }
          }
        }
      }
      if case .array(let subcommands)? = command["subcommands"] {
        for sub in subcommands { visit(sub, path: path + [sub["commandName"]?.stringValue ?? "?"]) }
      }
    }
    visit(try #require(tool["command"]), path: [])
    #expect(missing.isEmpty, "docs/sourcekeep.1 does not name: \(missing)")
  }

  @Test func installFilesLaysOutBinaryCompletionsAndManPage() throws {
    let make = try #require(ExternalTool.find("make"), "make is needed to run the install target")
    let destination = TempDirectory(prefix: "sk-install")
    let binary = try CommandRunner.requireBinary()
    let result = try CommandRunner.run(
      executable: make,
      ["-s", "install-files", "BIN=\(binary)", "DESTDIR=\(destination.path)", "PREFIX=/usr"],
      in: TestFixtures.repositoryRoot.path)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let root = destination.file("usr")
    let installed = [
      "bin/sourcekeep", "share/bash-completion/completions/sourcekeep", "share/zsh/site-functions/_sourcekeep",
      "share/fish/vendor_completions.d/sourcekeep.fish", "share/man/man1/sourcekeep.1",
    ]
    for file in installed {
      let size = (try? FileManager.default.attributesOfItem(atPath: root + "/" + file)[.size] as? NSNumber) ?? 0
      #expect(size.intValue > 0, "\(file) is missing or empty")
    }
    #expect(FileManager.default.isExecutableFile(atPath: root + "/bin/sourcekeep"))
    // The installed binary runs, and the bash completion parses.
    let version = try CommandRunner.run(executable: root + "/bin/sourcekeep", ["--version"])
    #expect(version.status == 0, "\(version.stderr)")
    let bash = try #require(ExternalTool.find("bash"))
    let syntax = try CommandRunner.run(
      executable: bash, ["-n", root + "/share/bash-completion/completions/sourcekeep"])
    #expect(syntax.status == 0, "bash -n: \(syntax.stderr)")
  }
}
