/// The load generator for OpenAI-compatible endpoints: `headroom bench`'s engine.
public enum HeadroomBench {}
