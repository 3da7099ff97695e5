// sequential: sweeps [start, start + length) in steps of `stride`, then
// starts again at `start`.
//
// Exact rule: stride = stride ? stride : size; L = length ? length :
// window - start (start + L <= window, size <= L). A sweep makes
//     n = floor((L - size) / stride) + 1
// accesses (the most whose last one, at start + (n-1)*stride, still ends
// within start + L), so
//     addr_i = base + start + (i mod n) * stride
//            = base + start + (i * stride) mod (n * stride).
// With stride = size this is L rounded down to a multiple of size.
#include <cstdint>

#include "traffic/pattern/patterns.h"

namespace iommusim::traffic::detail {

namespace {

class Sequential final : public AddressPattern {
public:
    Sequential(uint64_t first, uint64_t stride, uint64_t n) : first_(first), stride_(stride), n_(n) {}
    uint64_t next() override {
        const uint64_t a = first_ + i_ * stride_;  // i_ * stride_ <= L - size: no overflow
        if (++i_ == n_) i_ = 0;
        return a;
    }

private:
    uint64_t first_, stride_, n_;
    uint64_t i_ = 0;
};

}  // namespace

std::unique_ptr<AddressPattern> make_sequential(const PatternParams& p) {
    require_start_fits(p);
    const uint64_t stride = p.stride ? p.stride : p.size;
    const uint64_t room = p.window - p.start;
    if (p.length > room)
        reject("length: start + length (" + std::to_string(p.start) + " + " + std::to_string(p.length) +
               ") exceeds the window (" + std::to_string(p.window) + " bytes)");
    const uint64_t len = p.length ? p.length : room;
    if (len < p.size)
        reject("length: " + std::to_string(len) + " bytes is shorter than one access (size " + std::to_string(p.size) +
               ")");
    const uint64_t n = (len - p.size) / stride + 1;
    return std::make_unique<Sequential>(p.base + p.start, stride, n);
}

}  // namespace iommusim::traffic::detail
