public import Hummingbird
import Logging

/// Builds the twin's HTTP application (shared by `headroom serve-sim` and the tests).
///
/// Routes: `POST /v1/completions`, `POST /v1/chat/completions`, `GET /v1/models`, `GET /health`, `POST /tokenize`
/// and `POST /detokenize`. See ``SimTokenizer`` for how prompts are counted.
/// - Parameter configuration: the deployment to simulate and where to listen.
/// - Returns: an application to `run()` or `runService()` (which shuts down gracefully on SIGINT and SIGTERM).
public func buildSimApplication(configuration: SimServerConfiguration) -> some ApplicationProtocol {
    let service = SimService(configuration: configuration)
    let router = Router(context: BasicRequestContext.self)
    router.post("/v1/completions") { request, _ in try await service.complete(request, kind: .completion) }
    router.post("/v1/chat/completions") { request, _ in try await service.complete(request, kind: .chat) }
    router.get("/v1/models") { _, _ in service.models() }
    router.get("/health") { _, _ in HTTPResponse.Status.ok }
    router.post("/tokenize") { request, _ in try await service.tokenize(request) }
    router.post("/detokenize") { request, _ in try await service.detokenize(request) }
    var logger = Logger(label: "headroom.serve-sim")
    logger.logLevel = .notice
    return Application(
        router: router,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "headroom-serve-sim"),
        logger: logger
    )
}
