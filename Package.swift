// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Headroom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "headroom", targets: ["headroom"]),
        .library(name: "HeadroomCore", targets: ["HeadroomCore"]),
        .library(name: "HeadroomCatalog", targets: ["HeadroomCatalog"]),
        .library(name: "HeadroomReport", targets: ["HeadroomReport"]),
        .library(name: "HeadroomCLI", targets: ["HeadroomCLI"]),
        .library(name: "HeadroomBench", targets: ["HeadroomBench"]),
        .library(name: "HeadroomOperations", targets: ["HeadroomOperations"]),
        .library(name: "HeadroomServer", targets: ["HeadroomServer"]),
        .library(name: "HeadroomSimServer", targets: ["HeadroomSimServer"]),
        .library(name: "HeadroomStore", targets: ["HeadroomStore"]),
        .library(name: "HeadroomAgent", targets: ["HeadroomAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(
            name: "HeadroomCore",
            dependencies: [
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "HeadroomCatalog",
            dependencies: [
                "HeadroomCore", .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(name: "HeadroomReport", dependencies: ["HeadroomCore"]),
        .target(
            name: "HeadroomBench",
            dependencies: [
                "HeadroomCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HeadroomStore",
            dependencies: [
                "HeadroomCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The use cases every surface adapts (CLI, HTTP, MCP, agent): no HTTP server, NIO server or SQL driver here.
        .target(name: "HeadroomOperations", dependencies: ["HeadroomCore", "HeadroomCatalog", "HeadroomReport"]),
        // `headroom serve-sim`: an OpenAI-compatible endpoint streaming at a simulated deployment's pace.
        .target(
            name: "HeadroomSimServer",
            dependencies: [
                "HeadroomCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `headroom serve`: the team service (HTTP API, web page, identity, store, audit, POST /mcp).
        .target(
            name: "HeadroomServer",
            dependencies: [
                "HeadroomCore", "HeadroomCatalog", "HeadroomReport", "HeadroomStore", "HeadroomOperations",
                "HeadroomAgent", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                // The web page, compiled into the binary: WebPage.swift reads them as `PackageResources.page_*`.
                .embedInCode("Service/Web/page.html"), .embedInCode("Service/Web/page.css"),
                .embedInCode("Service/Web/page.js"),
            ]
        ),
        // The MCP server (stdio) and the planning agent: adapters over HeadroomOperations, no HTTP server.
        .target(
            name: "HeadroomAgent",
            dependencies: [
                "HeadroomCore", "HeadroomCatalog", "HeadroomReport", "HeadroomOperations",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "HeadroomCLI",
            dependencies: [
                "HeadroomCore", "HeadroomCatalog", "HeadroomReport", "HeadroomBench", "HeadroomServer", "HeadroomStore",
                "HeadroomAgent", "HeadroomOperations", "HeadroomSimServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "headroom", dependencies: ["HeadroomCLI"]),
        .testTarget(
            name: "HeadroomCoreTests",
            dependencies: [
                "HeadroomCore", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(
            name: "HeadroomCatalogTests",
            dependencies: [
                "HeadroomCatalog", "HeadroomCore", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "HeadroomReportTests",
            dependencies: [
                "HeadroomReport", "HeadroomCore", "HeadroomCatalog", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "HeadroomBenchTests",
            dependencies: [
                "HeadroomBench", "HeadroomSimServer", "HeadroomCore", "HeadroomCatalog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "HeadroomStoreTests",
            dependencies: ["HeadroomStore", "HeadroomCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "HeadroomServerTests",
            dependencies: [
                "HeadroomServer", "HeadroomStore", "HeadroomCore", "HeadroomCatalog", "HeadroomReport",
                "HeadroomOperations", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "HeadroomAgentTests",
            dependencies: [
                "HeadroomAgent", "HeadroomServer", "HeadroomStore", "HeadroomCore", "HeadroomCatalog",
                "HeadroomOperations", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "HeadroomCLITests",
            dependencies: [
                "headroom", "HeadroomCLI", "HeadroomCatalog", "HeadroomCore", "HeadroomServer", "HeadroomStore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
        .treatAllWarnings(as: .error),
    ])
    target.swiftSettings = settings
}
