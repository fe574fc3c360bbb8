// swift-tools-version:6.0
// Resources: a service ships its Migrations/ and Seed/ folders where it has them, the gateway its
// page templates.
import Foundation
import PackageDescription

// Every target builds in the Swift 6 language mode, so strict concurrency checking is on everywhere.
let services = ["identity", "catalogue", "intake", "review", "statistics", "gateway"]

func appTarget(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() + "Service" }

var targets: [Target] = [
    .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
                   providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka",
                   providers: [.apt(["librdkafka-dev"])]),
    .target(name: "KPIConcurrency", dependencies: [], path: "Shared/KPIConcurrency"),
    .target(name: "KPIPostgres", dependencies: [
        "CLibPQ", "KPIConcurrency",
        .product(name: "Logging", package: "swift-log"),
    ], path: "Shared/KPIPostgres"),
    .target(name: "KPIKafka", dependencies: [
        "CRdKafka",
        .product(name: "Logging", package: "swift-log"),
    ], path: "Shared/KPIKafka"),
    .target(name: "KPIEvents", dependencies: [], path: "Shared/KPIEvents"),
    .target(name: "KPIContracts", dependencies: [], path: "Shared/KPIContracts"),
    .systemLibrary(name: "CArgon2", path: "Shared/CArgon2", providers: [.apt(["libargon2-dev"])]),
    .target(name: "KPIPasswords", dependencies: ["CArgon2", "KPIConcurrency"], path: "Shared/KPIPasswords"),
    .target(name: "KPIRuntime", dependencies: [
        "KPIPostgres", "KPIKafka", "KPIEvents", "KPIConcurrency", "KPIContracts",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Crypto", package: "swift-crypto"),
        // HTTP parts as HTTPTypes in the channel pipeline (ExpectContinue).
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
    ], path: "Shared/KPIRuntime", resources: [.copy("Migrations")]),
    // Stored files (evidence, indicator documents): content-addressed, streamed, checked by content.
    .target(name: "KPIFiles", dependencies: [
        "KPIRuntime", "KPIPostgres", "KPIConcurrency",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "_NIOFileSystem", package: "swift-nio"),
    ], path: "Shared/KPIFiles"),
    .executableTarget(name: "kpi-broker", dependencies: ["KPIKafka", "KPIEvents", "CRdKafka"], path: "Shared/DevBroker"),
    .executableTarget(name: "kpi-bench", dependencies: ["KPIRuntime", "IdentityService", "CatalogueService", "StatisticsService"], path: "Shared/Bench"),
    .testTarget(name: "UnitTests", dependencies: [
        "KPIRuntime", "KPIEvents", "KPIPostgres", "KPIKafka", "KPIConcurrency", "KPIPasswords", "KPIContracts", "KPIFiles",
        "IdentityService", "CatalogueService", "StatisticsService", "GatewayService",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
    ], path: "Tests/UnitTests"),
    .testTarget(name: "IntegrationTests", dependencies: [
        "KPIRuntime", "KPIEvents", "KPIContracts", "KPIPostgres", "KPIKafka", "IdentityService", "CatalogueService", "IntakeService",
        "ReviewService", "StatisticsService",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        // A fake SMTP server for the e-mailed notices.
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
    ], path: "Tests/IntegrationTests"),
]

/// The gateway's page templates: every `Templates` folder under its App (Core and each feature).
func templateFolders(under folder: String) -> [String] {
    let found = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    return found.filter { ($0 as NSString).lastPathComponent == "Templates" }.sorted()
}

for service in services {
    let folder = Context.packageDirectory + "/Services/\(service)/App/"
    let resources = ["Migrations", "Seed"].filter { FileManager.default.fileExists(atPath: folder + $0) }
    let templates = templateFolders(under: folder)
    targets.append(.target(
        name: appTarget(service),
        dependencies: ["KPIRuntime", "KPIEvents", "KPIContracts",
                       .product(name: "Hummingbird", package: "hummingbird"),
                       .product(name: "HTTPTypes", package: "swift-http-types"),
                       // Background work (schedules, open event streams) stops with the service.
                       .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
            + (service == "gateway" ? [.product(name: "AsyncHTTPClient", package: "async-http-client"),
                                       // Built for Hummingbird already: its channel streams uploads on.
                                       .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                                       .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                                       .product(name: "Mustache", package: "swift-mustache"),
                                       .product(name: "Crypto", package: "swift-crypto")] : [])
            + (service == "identity" ? ["KPIPasswords", .product(name: "Crypto", package: "swift-crypto"),
                                        // The e-mail of notices (SMTP).
                                        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")] : [])
            + (["catalogue", "intake", "gateway"].contains(service) ? ["KPIFiles"] : []),
        path: "Services/\(service)/App",
        resources: resources.map { .copy($0) } + templates.map { .process($0) }))
    targets.append(.executableTarget(
        name: service, dependencies: [.target(name: appTarget(service)), "KPIRuntime"],
        path: "Services/\(service)/Main"))
}

let package = Package(
    name: "kpi-online",
    platforms: [.macOS(.v14)],
    products: services.map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "kpi-broker", targets: ["kpi-broker"]),
        .executable(name: "kpi-bench", targets: ["kpi-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Already built for Hummingbird; named for their modules (KPIFiles, the gateway's uploads).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
