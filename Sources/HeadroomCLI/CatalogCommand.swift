import ArgumentParser
import Foundation
import HeadroomCatalog
import HeadroomCore
import HeadroomReport

/// `headroom catalog`: what the planner knows, with sources.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List accelerators, models and stacks with their sources.",
        subcommands: [Accelerators.self, Models.self, Stacks.self, Check.self]
    )

    struct Accelerators: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accelerators and their specs.")
        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            try reportingErrors {
                let catalog = try catalogOptions.load()
                var table = TextTable(header: [
                    "id", "name", "GiB", "GB/s", "bf16 TF", "fp8 TF", "fp4 TF", "scale-up", "TDP W", "as of",
                ])
                for a in catalog.accelerators.sorted(by: { $0.id < $1.id }) {
                    table.rows.append([
                        a.id, a.name, humanNumber(a.memoryGiB), humanNumber(a.memoryBandwidthGBps),
                        a.tflops[.bf16].map(humanNumber) ?? "—", a.tflops[.fp8].map(humanNumber) ?? "—",
                        a.tflops[.fp4].map(humanNumber) ?? "—",
                        a.scaleUp.map { "\(humanNumber($0.bandwidthGBps)) GB/s ×\($0.domainSize ?? 1)" } ?? "—",
                        a.tdpWatts.map(humanNumber) ?? "—", a.provenance.asOf,
                    ])
                }
                emit(table.render())
            }
        }
    }

    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Models and their architecture.")
        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            try reportingErrors {
                let catalog = try catalogOptions.load()
                var table = TextTable(header: [
                    "id", "alias", "params B", "active B", "layers", "hidden", "heads/kv", "attention",
                    "KV KiB/token (bf16)",
                ])
                for m in catalog.models.sorted(by: { $0.id < $1.id }) {
                    table.rows.append([
                        m.id, m.aliases.first ?? "", humanNumber(m.totalParams / 1e9),
                        humanNumber(m.activeParams / 1e9),
                        String(m.layers), String(m.hiddenSize), "\(m.attentionHeads)/\(m.kvHeads)",
                        m.attention.rawValue + (m.slidingWindow.map { " sw\($0)" } ?? ""),
                        humanNumber(m.kvBytesPerToken(kvPrecision: .bf16) / 1024),
                    ])
                }
                emit(table.render())
            }
        }
    }

    struct Stacks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serving stacks and the portability matrix.")
        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            try reportingErrors {
                let catalog = try catalogOptions.load()
                let stacks = catalog.stacks.sorted { $0.id < $1.id }
                var table = TextTable(header: ["accelerator"] + stacks.map(\.id))
                for a in catalog.accelerators.sorted(by: { $0.id < $1.id }) {
                    table.rows.append(
                        [a.id]
                            + stacks.map { stack in
                                let formats = stack.precisions(on: a.id).filter { a.supports($0) }
                                return formats.isEmpty ? "—" : formats.map(\.rawValue).joined(separator: ",")
                            })
                }
                emit(table.render())
                for stack in stacks {
                    emit(
                        "\n\(stack.name) \(stack.version ?? ""): memory \(stack.memorySemantics.rawValue) × \(stack.defaultMemoryFraction), max_num_seqs \(stack.defaultMaxNumSeqs.map(String.init) ?? "from KV capacity"), token budget \(stack.defaultMaxBatchedTokens) — \(stack.provenance.source) (\(stack.provenance.asOf))"
                    )
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the catalog with overrides and report the first problem.")
        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            try reportingErrors {
                let catalog = try catalogOptions.load()
                emit(
                    "ok: \(catalog.accelerators.count) accelerators, \(catalog.models.count) models, \(catalog.stacks.count) stacks, \(catalog.efficiencies.count) efficiency profiles"
                )
            }
        }
    }
}
