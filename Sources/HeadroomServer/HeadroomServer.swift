/// Headroom's team service, `headroom serve`: the HTTP API over the operations, identity, roles, the store, the audit
/// log, the web page and `POST /mcp`. The simulated OpenAI endpoint (`headroom serve-sim`) is `HeadroomSimServer`.
public enum HeadroomServer {}
