// zipf: rank r in [1, slots] from ZipfSampler(slots, alpha) driven by
// SplitMix64(seed); the access goes to slot perm(r - 1), perm =
// SlotPermutation(slots, seed). O(1) memory whatever the number of slots.
#include <cstdint>

#include "traffic/pattern/patterns.h"
#include "traffic/pattern/permutation.h"
#include "traffic/pattern/rng.h"
#include "traffic/pattern/zipf_sampler.h"

namespace iommusim::traffic::detail {

namespace {

class Zipf final : public AddressPattern {
public:
    Zipf(uint64_t base, uint64_t size, uint64_t slots, double alpha, uint64_t seed)
        : base_(base), size_(size), sampler_(slots, alpha), perm_(slots, seed), rng_(seed) {}
    uint64_t next() override { return base_ + perm_(sampler_.sample(rng_) - 1) * size_; }

private:
    uint64_t base_, size_;
    ZipfSampler sampler_;
    SlotPermutation perm_;
    SplitMix64 rng_;
};

}  // namespace

std::unique_ptr<AddressPattern> make_zipf(const PatternParams& p) {
    if (!(p.alpha > 0 && p.alpha <= 1e6)) reject("alpha: must be > 0 (and at most 1e6)");
    const uint64_t slots = slot_count(p);
    if (slots > (uint64_t(1) << 53))
        reject("window: the zipf pattern takes at most 2^53 slots (window / size)");
    return std::make_unique<Zipf>(p.base, p.size, slots, p.alpha, p.seed);
}

}  // namespace iommusim::traffic::detail
