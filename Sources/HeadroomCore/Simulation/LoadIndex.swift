/// The replicas of one pool ordered by load (requests waiting plus running), lowest index first among equals: the
/// least-outstanding router's pick in O(1), a load change in O(log n).
///
/// An indexed binary heap: `heap` holds replica indices, `position` where each sits, so a replica whose load
/// changed moves up or down from where it is instead of the pool being scanned.
struct LoadIndex {
    private var heap: [Int32]
    private var position: [Int32]
    private(set) var load: [Int]

    /// A pool of `count` idle replicas.
    init(count: Int) {
        heap = (0..<Int32(truncatingIfNeeded: count)).map { $0 }
        position = heap
        load = Array(repeating: 0, count: count)
    }

    /// The least-loaded replica (the lowest index among equals); 0 for an empty pool.
    /// - Complexity: O(1).
    var least: Int { heap.first.map { Int($0) } ?? 0 }

    /// Records replica `index`'s load.
    /// - Complexity: O(log n).
    mutating func set(_ index: Int, load newLoad: Int) {
        let old = load[index]
        guard old != newLoad else { return }
        load[index] = newLoad
        let at = Int(position[index])
        if newLoad < old { siftUp(at) } else { siftDown(at) }
    }

    @inline(__always) private func less(_ a: Int32, _ b: Int32) -> Bool {
        let la = load[Int(a)]
        let lb = load[Int(b)]
        return la < lb || (la == lb && a < b)
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[Int(heap[i])] = Int32(truncatingIfNeeded: i)
        position[Int(heap[j])] = Int32(truncatingIfNeeded: j)
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { return }
            swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let left = 2 * i + 1
            guard left < n else { return }
            var child = left
            if left + 1 < n, less(heap[left + 1], heap[left]) { child = left + 1 }
            guard less(heap[child], heap[i]) else { return }
            swapAt(i, child)
            i = child
        }
    }
}
