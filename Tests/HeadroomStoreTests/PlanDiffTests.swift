import HeadroomCore
import HeadroomStore
import Testing

@Suite("Plan diff and store URLs")
struct PlanDiffTests {
    @Test func identicalTreesHaveNoChanges() throws {
        let tree = try JSONValue(parsing: #"{"a": [1, {"b": null}], "c": "x"}"#, what: "test")
        #expect(PlanDiff.changes(from: tree, to: tree).isEmpty)
    }

    @Test func keysAreEscapedAsJSONPointers() throws {
        let old = try JSONValue(parsing: #"{"a/b": 1, "c~d": 1}"#, what: "old")
        let new = try JSONValue(parsing: #"{"a/b": 2}"#, what: "new")
        #expect(PlanDiff.changes(from: old, to: new).map(\.path) == ["/a~1b", "/c~0d"])
    }

    @Test func aTypeChangeIsOneChange() throws {
        let old = try JSONValue(parsing: #"{"a": {"b": 1}}"#, what: "old")
        let new = try JSONValue(parsing: #"{"a": "flat"}"#, what: "new")
        #expect(
            PlanDiff.changes(from: old, to: new) == [
                .init(kind: .changed, path: "/a", oldValue: .object(["b": .number(1)]), newValue: .string("flat"))
            ])
    }

    @Test func anUnsupportedURLIsAConfigurationError() async throws {
        let error = await #expect(throws: StoreError.self) {
            try await SQLHeadroomStore.open(url: "mysql://x@y/z", defaultPath: "x.sqlite", logger: TestDatabase.logger)
        }
        #expect(error?.code == .configuration)
    }
}
