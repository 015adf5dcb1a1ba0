// swift-tools-version:6.0
import PackageDescription

// Every existential spelled `any` (a protocol used as a type is a boundary, and should read as one).
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

// No package dependencies: C libraries come from Debian's -dev packages (see scripts/install-deps.sh).
let package = Package(
    name: "Outreach",
    products: [
        .executable(name: "outreachd", targets: ["outreachd"]),
        .library(name: "Outreach", targets: ["Outreach"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // PostgreSQL's client library, for the store of issue 20 (not yet selectable: docs/scale-out.md).
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        // glibc's mallopt (libc itself: no package, nothing to link).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "Outreach", dependencies: ["CSQLite", "CPostgres", "COpenSSL"], swiftSettings: strict),
        .target(name: "Channels", dependencies: ["Outreach", "CCurl", "COpenSSL"], swiftSettings: strict),
        .executableTarget(
            name: "outreachd", dependencies: ["Outreach", "Channels", "CMicroHTTPD", "CMalloc"], swiftSettings: strict),
        // Two layers (docs/testing.md): unit tests start no process and open no socket (`make unit`);
        // end-to-end tests run the built binary against real peers.
        // What both share (channel sections, template folders, the Mustache spec): data, no process.
        .target(
            name: "OutreachTestFixtures", dependencies: ["Outreach", "COpenSSL"], path: "Tests/OutreachTestFixtures",
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "OutreachUnitTests", dependencies: ["Outreach", "Channels", "OutreachTestFixtures"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "OutreachEndToEndTests", dependencies: ["Outreach", "Channels", "OutreachTestFixtures"],
            swiftSettings: strict),
    ]
)
