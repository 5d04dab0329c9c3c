import Testing
@testable import sessiongw

@Suite struct TextTableTests {
    @Test func alignsColumnsWithThreeSpacesAndNoTrailingSpace() {
        var table = TextTable(columns: ["NAME", "ID"])
        table.append(["a-long-name", "s-1"])
        table.append(["b", "s-22"])
        #expect(table.rendered() == "NAME          ID\na-long-name   s-1\nb             s-22\n")
    }

    @Test func emptyAndMissingCellsPrintAsDash() {
        let table = TextTable(columns: ["A", "B", "C"], rows: [["x", ""]])
        #expect(table.rendered() == "A   B   C\nx   -   -\n")
    }

    @Test func controlCharactersCannotBreakTheLayout() {
        #expect(TextTable.cell("a\nb\tc\u{1B}[31m") == "a?b?c?[31m")
    }

    @Test func keyValueListAlignsValuesAndListsUnderLabels() {
        var list = KeyValueList()
        list.append("Name", "demo")
        list.append("Reason", "")
        list.append("Labels", values: ["a=1", "b=2"])
        list.append("Env", values: [])
        #expect(list.rendered() == "Name:    demo\nReason:  -\nLabels:\n  a=1\n  b=2\nEnv:     -\n")
    }
}
