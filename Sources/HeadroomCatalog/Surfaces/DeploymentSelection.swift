import Foundation
public import HeadroomCore

/// A deployment named by its parts (catalog ids, sizes, precisions), as the CLI's flags and the server's request
/// bodies give it; each part falls back to a workload file's deployment section.
public struct DeploymentSelection: Sendable, Hashable {
    public var model: String?
    public var accelerator: String?
    public var count: Int?
    public var tp: Int?
    public var pp: Int?
    public var ep: Int?
    /// Data-parallel attention across the tensor-parallel ranks (mixture-of-experts models).
    public var attentionDP: Bool?
    public var precision: String?
    public var kvPrecision: String?
    public var stack: String?
    public var memoryFraction: Double?
    public var maxNumSeqs: Int?
    public var maxBatchedTokens: Int?
    /// `accelerator=h100-sxm,count=8,tp=4,…` over the file's deployment section (separate parts win).
    public var deployment: String?
    /// Whether `model` may name a Hugging Face `config.json` on this machine (the CLI: yes; the server: no).
    public var allowsFiles: Bool

    public init(
        model: String? = nil, accelerator: String? = nil, count: Int? = nil, tp: Int? = nil, pp: Int? = nil,
        ep: Int? = nil, precision: String? = nil, kvPrecision: String? = nil, stack: String? = nil,
        memoryFraction: Double? = nil, maxNumSeqs: Int? = nil, maxBatchedTokens: Int? = nil,
        deployment: String? = nil, allowsFiles: Bool = true, attentionDP: Bool? = nil
    ) {
        self.attentionDP = attentionDP
        self.model = model
        self.accelerator = accelerator
        self.count = count
        self.tp = tp
        self.pp = pp
        self.ep = ep
        self.precision = precision
        self.kvPrecision = kvPrecision
        self.stack = stack
        self.memoryFraction = memoryFraction
        self.maxNumSeqs = maxNumSeqs
        self.maxBatchedTokens = maxBatchedTokens
        self.deployment = deployment
        self.allowsFiles = allowsFiles
    }

    /// Whether the user fixed `max_num_seqs` or the token budget.
    public var batchLimitsGiven: Bool { maxNumSeqs != nil || maxBatchedTokens != nil }

    /// Parses `key=value,…` over the workload file's deployment section.
    public static func parse(
        _ text: String, over base: WorkloadSpec.DeploymentSpec?
    ) throws(HeadroomError) -> WorkloadSpec.DeploymentSpec {
        var spec = base ?? WorkloadSpec.DeploymentSpec()
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw HeadroomError(.invalidInput, "expected key=value, got '\(pair)'", field: "deployment")
            }
            func integer() throws(HeadroomError) -> Int {
                guard let value = Int(parts[1]), value >= 1 else {
                    throw HeadroomError(
                        .invalidInput, "\(parts[0]) must be a positive whole number, got '\(parts[1])'",
                        field: "deployment.\(parts[0])")
                }
                return value
            }
            switch parts[0].lowercased() {
            case "accelerator": spec.accelerator = parts[1]
            case "count": spec.count = try integer()
            case "tp": spec.tp = try integer()
            case "pp": spec.pp = try integer()
            case "ep": spec.ep = try integer()
            case "attention-dp", "attention_dp":
                switch parts[1].lowercased() {
                case "true", "yes", "1": spec.attentionDP = true
                case "false", "no", "0": spec.attentionDP = false
                default:
                    throw HeadroomError(
                        .invalidInput, "attention-dp must be true or false, got '\(parts[1])'",
                        field: "deployment.attention-dp")
                }
            case "precision": spec.precision = parts[1]
            case "kv-precision", "kv_precision": spec.kvPrecision = parts[1]
            case "stack": spec.stack = parts[1]
            case "router": spec.router = parts[1]
            default:
                throw HeadroomError(
                    .invalidInput,
                    "unknown key '\(parts[0])'; one of accelerator, count, tp, pp, ep, attention-dp, precision, kv-precision, stack, router",
                    field: "deployment"
                )
            }
        }
        return spec
    }

    /// Resolves the parts against `catalog`, each falling back to `file`'s deployment section and `fileModel`.
    /// - Throws: ``HeadroomError`` naming the missing or unknown part.
    public func resolve(
        in catalog: Catalog, file: WorkloadSpec.DeploymentSpec? = nil, fileModel: String? = nil
    ) throws -> ResolvedDeployment {
        var notes: [String] = []
        let file = try deployment.map { text throws(HeadroomError) in try Self.parse(text, over: file) } ?? file
        guard let model = model ?? fileModel else {
            throw HeadroomError(.invalidInput, "`model` is required", field: "model")
        }
        guard let accelerator = accelerator ?? file?.accelerator else {
            throw HeadroomError(.invalidInput, "`accelerator` is required", field: "accelerator")
        }
        guard let count = count ?? file?.count else {
            throw HeadroomError(.invalidInput, "`count` is required", field: "count")
        }
        let stack = stack ?? file?.stack ?? "vllm"
        let precision = precision ?? file?.precision
        let kvPrecision = kvPrecision ?? file?.kvPrecision
        let tp = tp ?? file?.tp ?? 1
        let pp = pp ?? file?.pp ?? 1
        let ep = ep ?? file?.ep ?? 1
        let attentionDP = attentionDP ?? file?.attentionDP ?? false
        let architecture: ModelArchitecture
        if allowsFiles && (model.hasSuffix(".json") || FileManager.default.fileExists(atPath: model)) {
            architecture = try HuggingFaceImporter.importConfig(at: URL(fileURLWithPath: model))
            notes.append("model imported from \(model)")
        } else {
            architecture = try catalog.model(model)
        }
        let part = try catalog.accelerator(accelerator)
        let servingStack = try catalog.stack(stack)
        let weights: Precision
        if let precision {
            guard let parsed = Precision(userInput: precision) else {
                throw HeadroomError(
                    .invalidInput,
                    "unknown precision '\(precision)'; one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "precision"
                )
            }
            weights = parsed
        } else {
            let shipped = architecture.weightsQuantization ?? architecture.nativePrecision
            weights = servingStack.supports(shipped, on: part.id) ? shipped : .bf16
            notes.append("precision not given: using \(weights) (the checkpoint ships \(shipped))")
        }
        var kv: Precision?
        if let kvPrecision {
            guard let parsed = Precision(userInput: kvPrecision) else {
                throw HeadroomError(.invalidInput, "unknown KV-cache precision '\(kvPrecision)'", field: "kv_precision")
            }
            kv = parsed
        }
        let deployment = try Deployment(
            model: architecture, accelerator: part, stack: servingStack, count: count, tensorParallel: tp,
            pipelineParallel: pp, expertParallel: ep, attentionDataParallel: attentionDP, precision: weights,
            kvPrecision: kv,
            memoryFraction: memoryFraction, maxNumSeqs: maxNumSeqs, maxBatchedTokens: maxBatchedTokens
        )
        return ResolvedDeployment(deployment: deployment, notes: notes)
    }
}

/// A deployment resolved against the catalog, with the notes on what was assumed.
public struct ResolvedDeployment: Sendable {
    public var deployment: Deployment
    public var notes: [String]

    public init(deployment: Deployment, notes: [String]) {
        self.deployment = deployment
        self.notes = notes
    }

    /// The efficiency profile for the deployment's stack on its accelerator.
    /// - Throws: ``HeadroomError`` when the catalog has none.
    public func efficiency(in catalog: Catalog) throws(HeadroomError) -> (profile: EfficiencyProfile, specificity: Int)
    {
        guard
            let found = catalog.efficiency(
                stack: deployment.stack.id, accelerator: deployment.accelerator.id, isMoE: deployment.model.isMoE)
        else {
            throw HeadroomError(
                .unknownEntry,
                "the catalog has no efficiency profile for \(deployment.stack.id) on \(deployment.accelerator.id)",
                field: "stack"
            )
        }
        return found
    }
}
