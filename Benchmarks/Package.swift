// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so ordinary builds never resolve the benchmark dependency.
// Run: `cd Benchmarks && swift package benchmark` (add `--filter simulate` for one).
let package = Package(
    name: "HeadroomBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Headroom", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SimulatorBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeadroomCore", package: "Headroom"),
                .product(name: "HeadroomCatalog", package: "Headroom"),
            ],
            path: "Benchmarks/SimulatorBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PlannerBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeadroomCore", package: "Headroom"),
                .product(name: "HeadroomCatalog", package: "Headroom"),
            ],
            path: "Benchmarks/PlannerBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "FleetScaleBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeadroomCore", package: "Headroom"),
                .product(name: "HeadroomCatalog", package: "Headroom"),
            ],
            path: "Benchmarks/FleetScaleBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "BenchClientBenchmark",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeadroomCore", package: "Headroom"),
            ],
            path: "Benchmarks/BenchClientBenchmark",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
