// hotcold: the first hot = max(1, floor(hot_fraction * slots)) slots are hot,
// the other cold = slots - hot are cold (cold must not be empty). Per access,
// with SplitMix64(seed): if unit() < hot_probability the slot is
// below(hot), else hot + below(cold).
#include <cmath>
#include <cstdint>

#include "traffic/pattern/patterns.h"
#include "traffic/pattern/rng.h"

namespace iommusim::traffic::detail {

namespace {

class HotCold final : public AddressPattern {
public:
    HotCold(uint64_t base, uint64_t size, uint64_t hot, uint64_t cold, double p_hot, uint64_t seed)
        : base_(base), size_(size), hot_(hot), cold_(cold), p_hot_(p_hot), rng_(seed) {}
    uint64_t next() override {
        const uint64_t slot = rng_.unit() < p_hot_ ? rng_.below(hot_) : hot_ + rng_.below(cold_);
        return base_ + slot * size_;
    }

private:
    uint64_t base_, size_, hot_, cold_;
    double p_hot_;
    SplitMix64 rng_;
};

}  // namespace

std::unique_ptr<AddressPattern> make_hotcold(const PatternParams& p) {
    if (!(p.hot_fraction > 0 && p.hot_fraction < 1)) reject("hot_fraction: must be in (0, 1)");
    if (!(p.hot_probability >= 0 && p.hot_probability <= 1)) reject("hot_probability: must be in [0, 1]");
    const uint64_t slots = slot_count(p);
    const double h = std::floor(p.hot_fraction * double(slots));
    const uint64_t hot = h < 1 ? 1 : h >= double(slots) ? slots : uint64_t(h);
    if (hot >= slots)
        reject("hot_fraction: leaves no cold slot in a window of " + std::to_string(slots) + " slot" +
               (slots == 1 ? "" : "s") + " of " + std::to_string(p.size) + " bytes");
    return std::make_unique<HotCold>(p.base, p.size, hot, slots - hot, p.hot_probability, p.seed);
}

}  // namespace iommusim::traffic::detail
