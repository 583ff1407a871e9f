import Foundation
import HeadroomCatalog
import HeadroomCore
import Testing

@Suite struct OverrideTests {
    static let goodAccelerator = """
        accelerators:
          - id: h100-sxm
            name: H100 with a lab's measured bandwidth
            vendor: nvidia
            memory_gib: 80
            memory_bandwidth_gbps: 3000
            tflops: {bf16: 989, fp8: 1979}
            precisions: [bf16, fp8]
            source: "lab measurement"
            as_of: "2026-11-01"
        """

    @Test func overrideReplacesTheBundledEntry() throws {
        let folder = try temporaryFolder(files: ["lab.yaml": Self.goodAccelerator])
        let catalog = try CatalogLoader.standard(extraDirectories: [folder], environment: [:])
        let part = try catalog.accelerator("h100-sxm")
        #expect(part.memoryBandwidthGBps == 3000)
        #expect(catalog.accelerators.filter { $0.id == "h100-sxm" }.count == 1)
        #expect(try catalog.model("llama-3.1-8b").layers == 32, "the rest of the bundled catalog stays")
    }

    @Test func userConfigDirectoryIsRead() throws {
        let folder = try temporaryFolder(files: ["mine.yml": Self.goodAccelerator])
        let catalog = try CatalogLoader.standard(environment: ["HEADROOM_CONFIG_DIR": folder.path])
        #expect(try catalog.accelerator("h100-sxm").memoryBandwidthGBps == 3000)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var field: String
        var testDescription: String { field }
    }

    static let badCases: [BadCase] = [
        BadCase(
            yaml: goodAccelerator.replacingOccurrences(of: "memory_gib: 80", with: "memory_gib: lots"), line: 5,
            field: "accelerators[0].memory_gib"
        ),
        BadCase(
            yaml: goodAccelerator.replacingOccurrences(of: "memory_gib: 80", with: "memory_gib: -80"), line: 5,
            field: "accelerators[0].memory_gib"
        ),
        BadCase(
            yaml: goodAccelerator.replacingOccurrences(of: "    source: \"lab measurement\"\n", with: ""), line: 2,
            field: "accelerators[0].source"
        ),
        BadCase(
            yaml: goodAccelerator.replacingOccurrences(of: "precisions: [bf16, fp8]", with: "precisions: [bf16, fp9]"),
            line: 8, field: "accelerators[0].precisions"
        ),
        BadCase(
            yaml: """
                stacks:
                  - id: mine
                    name: Mine
                    memory_semantics: sometimes
                    default_memory_fraction: 0.9
                    default_max_num_batched_tokens: 8192
                    runtime_overhead_gib: 1
                    support: []
                    source: x
                    as_of: "2026-01-01"
                """, line: 4, field: "stacks[0].memory_semantics"
        ),
    ]

    @Test(arguments: badCases)
    func badFileNamesFileLineAndField(bad: BadCase) throws {
        #expect {
            try CatalogLoader.decode(yaml: bad.yaml, file: "lab.yaml")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.file == "lab.yaml" && error.line == bad.line && error.field == bad.field
        }
    }

    @Test func brokenYAMLGivesTheLine() {
        #expect {
            try CatalogLoader.decode(yaml: "accelerators:\n  - id: [unclosed\n", file: "bad.yaml")
        } throws: { error in
            guard let error = error as? HeadroomError else { return false }
            return error.file == "bad.yaml" && error.line != nil
        }
    }

    @Test func missingCatalogFolderIsAnError() {
        #expect(throws: HeadroomError.self) {
            try CatalogLoader.standard(
                extraDirectories: [URL(fileURLWithPath: "/nonexistent/headroom")], environment: [:])
        }
    }

    func temporaryFolder(files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headroom-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }
}
