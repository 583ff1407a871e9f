import Testing

@testable import HeadroomBench

struct PlaceholderTests {
    @Test func builds() { #expect(Bool(true)) }
}
