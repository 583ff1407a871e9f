/// A planned training run: FLOPs, scaling-law view, memory and layout, time, reliability and procurement.
public struct TrainingPlan: Sendable, Hashable, Codable {
    /// One point of the cluster-size sweep.
    public struct SizePoint: Sendable, Hashable, Codable {
        public var accelerators: Int
        public var wallDays: Double
        public var acceleratorHours: Double
        public var goodput: Double
        public var cost: Double?
    }

    /// The scaling-law view of the run.
    public struct Scaling: Sendable, Hashable, Codable {
        public var law: String
        public var lawSource: String
        /// Budget taken as 6·N·D.
        public var budgetFLOPs: Double
        public var optimalParams: Double
        public var optimalTokens: Double
        public var optimalTokensPerParameter: Double
        public var tokensPerParameter: Double
        public var heuristicTokensPerParameter: Double
        public var heuristicTokens: Double
        public var predictedLoss: Double
        public var optimalLoss: Double
        /// Predicted loss under every bundled law, by name.
        public var lossByLaw: [String: Double]
        public var optimalTokensPerParameterByLaw: [String: Double]
    }

    public var modelName: String
    public var totalParams: Double
    public var computeParams: Double
    public var tokens: Double
    public var accelerator: String
    public var count: Int
    public var precision: Precision
    public var flops: TrainingFLOPs
    public var scaling: Scaling
    public var overTraining: OverTrainingAnalysis
    public var plan: ParallelismPlan
    public var memory: TrainingMemory
    public var step: TrainingStep
    public var alternatives: [TrainingLayoutSearch.Candidate]
    public var smallestFitting: [TrainingLayoutSearch.Candidate]
    /// MFU the times use, and whether it was given or predicted.
    public var mfu: Double
    public var mfuGiven: Bool
    public var predictedMFU: Double
    /// Parts whose published runs the predicted MFU's kernel efficiencies were fitted on, when this part has no runs
    /// of its own (Trainium2, TPUs): the prediction is borrowed. `nil` when the part has its own fit.
    public var mfuBorrowedFrom: [String]? = nil
    public var peakFLOPS: Double
    public var computeDays: Double
    public var reliability: ReliabilityEstimate
    public var procurement: TrainingProcurement
    public var deadlineDays: Double?
    /// Accelerators needed to finish within the deadline, at the same MFU; `nil` when none was asked or none suffices.
    public var acceleratorsForDeadline: Int?
    public var sweep: [SizePoint]
    public var assumptions: [String]

    /// Wall-clock days including interruptions, checkpoints and restarts.
    public var wallDays: Double { reliability.wallSeconds / 86_400 }
    /// Accelerator-hours held (wall time × accelerators): what a cluster bills.
    public var acceleratorHours: Double { reliability.wallSeconds * Double(count) / 3600 }
    /// Accelerator-hours of failure-free compute.
    public var computeAcceleratorHours: Double { reliability.computeSeconds * Double(count) / 3600 }
}
