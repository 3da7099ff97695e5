// random: uniform over the window's floor(window / size) size-aligned slots
// (slot k is [base + k*size, base + (k+1)*size)); one SplitMix64(seed) draw
// through below(slots) per access.
#include <cstdint>

#include "traffic/pattern/patterns.h"
#include "traffic/pattern/rng.h"

namespace iommusim::traffic::detail {

namespace {

class Random final : public AddressPattern {
public:
    Random(uint64_t base, uint64_t size, uint64_t slots, uint64_t seed)
        : base_(base), size_(size), slots_(slots), rng_(seed) {}
    uint64_t next() override { return base_ + rng_.below(slots_) * size_; }

private:
    uint64_t base_, size_, slots_;
    SplitMix64 rng_;
};

}  // namespace

std::unique_ptr<AddressPattern> make_random(const PatternParams& p) {
    return std::make_unique<Random>(p.base, p.size, slot_count(p), p.seed);
}

}  // namespace iommusim::traffic::detail
