#include "traffic/pattern/permutation.h"

#include "traffic/pattern/rng.h"

namespace iommusim::traffic {

namespace {

// The SplitMix64 output function (a bijective 64-bit mixer).
uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

SlotPermutation::SlotPermutation(uint64_t n, uint64_t seed) : n_(n ? n : 1) {
    unsigned bits = 0;
    while (bits < 64 && (uint64_t(1) << bits) < n_) ++bits;  // 2^bits >= n
    if (bits < 2) bits = 2;
    half_bits_ = (bits + 1) / 2;  // 1..32
    half_mask_ = (uint64_t(1) << half_bits_) - 1;
    SplitMix64 g(seed ^ 0x6A09E667F3BCC909ull);
    for (auto& k : keys_) k = g.next();
}

uint64_t SlotPermutation::feistel(uint64_t x) const {
    uint64_t l = x >> half_bits_, r = x & half_mask_;
    for (uint64_t k : keys_) {
        const uint64_t t = l ^ (mix(r ^ k) & half_mask_);
        l = r;
        r = t;
    }
    return (l << half_bits_) | r;
}

uint64_t SlotPermutation::operator()(uint64_t x) const {
    x %= n_;
    // Cycle walking: the Feistel network permutes [0, 2^(2h)) and x < n lies
    // on a cycle that comes back below n, so this terminates.
    do x = feistel(x);
    while (x >= n_);
    return x;
}

}  // namespace iommusim::traffic
