import Crypto
import Synchronization

/// API keys the store verified lately, so a busy key costs one store lookup (a transaction that also writes
/// `last_used_at`) per ``ttl`` instead of one per request: under load that lookup, serialised on the database, was
/// most of a request's time. Concurrent requests with the same key share one lookup (else, when an entry expires,
/// every request in flight would queue on the database at once). Revoking a key through this server clears the cache
/// at once; a key revoked by another process (the CLI, another replica) keeps working here for at most ``ttl``.
/// Unknown keys are never cached.
package final class APIKeyCache: Sendable {
    private enum Slot {
        case verified(APIKeyOwner, expires: ContinuousClock.Instant)
        case pending(Task<APIKeyOwner?, any Error>)
    }

    /// How long a verified key is trusted without asking the store again.
    package let ttl: Duration
    private let capacity: Int
    /// By the SHA-256 of the secret: the cache never holds a secret.
    private let slots = Mutex<[SHA256.Digest: Slot]>([:])

    /// - Parameters:
    ///   - ttl: how long a verified key is trusted (zero turns the cache off).
    ///   - capacity: the most keys kept; a full cache starts over.
    package init(ttl: Duration = .seconds(2), capacity: Int = 4096) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The owner of `secret`: from the cache while fresh, else from `lookup`, shared with concurrent callers.
    /// - Returns: nil when `lookup` finds no live key.
    /// - Throws: what `lookup` throws.
    package func owner(
        of secret: String, lookup: @escaping @Sendable () async throws -> APIKeyOwner?
    ) async throws -> APIKeyOwner? {
        guard ttl > .zero else { return try await lookup() }
        let digest = SHA256.hash(data: Array(secret.utf8))
        let now = ContinuousClock.now
        let found: Slot = slots.withLock { slots in
            switch slots[digest] {
            case .verified(let owner, let expires) where expires > now:
                return .verified(owner, expires: expires)
            case .pending(let task):
                return .pending(task)
            default:
                if slots.count >= capacity { slots.removeAll(keepingCapacity: true) }
                let task = Task { try await lookup() }
                slots[digest] = .pending(task)
                return .pending(task)
            }
        }
        guard case .pending(let task) = found else {
            if case .verified(let owner, _) = found { return owner }
            return nil
        }
        do {
            let owner = try await task.value
            settle(digest, task: task, owner: owner)
            return owner
        } catch {
            settle(digest, task: task, owner: nil)
            throw error
        }
    }

    /// Replaces the pending lookup `task` with its result (a verified owner is kept, anything else dropped).
    private func settle(_ digest: SHA256.Digest, task: Task<APIKeyOwner?, any Error>, owner: APIKeyOwner?) {
        let expires = ContinuousClock.now + ttl
        slots.withLock { slots in
            guard case .pending(let pending) = slots[digest], pending == task else { return }
            slots[digest] = owner.map { .verified($0, expires: expires) }
        }
    }

    /// Forgets the key `id` (after it is revoked), and any lookup in flight, so its answer is not kept.
    package func forget(keyID id: String) {
        slots.withLock { slots in
            slots = slots.filter { _, slot in
                if case .verified(let owner, _) = slot { return owner.keyID != id }
                return false
            }
        }
    }
}
