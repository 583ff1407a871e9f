/// Headroom's HTTP surfaces: `headroom serve-sim` (an OpenAI-compatible digital twin) and, later, `headroom serve`.
public enum HeadroomServer {}
