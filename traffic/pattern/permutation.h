// A fixed, seeded bijection of [0, n): maps Zipf ranks to slots so that the
// popular slots are scattered over the window rather than packed at its
// start, and rank 1 is the same slot for the same seed.
//
// Construction: a 4-round balanced Feistel network on 2h bits, where 2h is
// the smallest even bit count >= max(2, ceil(log2 n)), with cycle walking
// (re-encrypt until the value is below n; the domain is < 4n, so fewer than
// 4 passes through the network on average). Round r maps
// (L, R) -> (R, L ^ F_r(R)) with F_r(R) = mix(R ^ key_r) & (2^h - 1),
// mix = the SplitMix64 output function, and key_0..key_3 the first four
// outputs of SplitMix64(seed ^ 0x6A09E667F3BCC909); x = (L << h) | R.
// O(1) memory for any n.
#pragma once

#include <cstdint>

namespace iommusim::traffic {

class SlotPermutation {
public:
    // n >= 1 (n = 0 is treated as 1).
    SlotPermutation(uint64_t n, uint64_t seed);

    // The image of x, for x < n (x is reduced mod n otherwise).
    uint64_t operator()(uint64_t x) const;

    uint64_t size() const { return n_; }

private:
    uint64_t feistel(uint64_t x) const;

    uint64_t n_;
    unsigned half_bits_;
    uint64_t half_mask_;
    uint64_t keys_[4];
};

}  // namespace iommusim::traffic
