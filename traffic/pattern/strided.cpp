// strided: rows of `count` accesses `stride` bytes apart, each row starting
// `row_step` bytes after the previous one, wrapping modulo L:
//     addr_i = base + start + ((i mod count) * stride
//                              + (i div count) * row_step) mod L
// (computed without overflow). Exact rule for L: with row_step = row_step ?
// row_step : size and g = gcd(stride, row_step, size), every offset is a
// multiple of g below L, and L is the largest multiple of g whose last
// multiple-of-g offset still fits an access:
//     L = (floor((window - start - size) / g) + 1) * g     (<= window - start)
// so every access [addr, addr + size) ends inside the window. When stride and
// row_step are multiples of size (the usual case), L is window - start rounded
// down to a multiple of size and every address is size-aligned from base+start.
#include <cstdint>
#include <numeric>

#include "traffic/pattern/patterns.h"

namespace iommusim::traffic::detail {

namespace {

// (a + b) mod m for a, b < m, without overflow.
uint64_t add_mod(uint64_t a, uint64_t b, uint64_t m) { return a >= m - b ? a - (m - b) : a + b; }

class Strided final : public AddressPattern {
public:
    Strided(uint64_t first, uint64_t stride, uint64_t count, uint64_t row_step, uint64_t len)
        : first_(first), stride_(stride % len), row_step_(row_step % len), count_(count), len_(len) {}
    uint64_t next() override {
        const uint64_t a = first_ + add_mod(row_off_, col_off_, len_);
        col_off_ = add_mod(col_off_, stride_, len_);
        if (++col_ == count_) {
            col_ = 0;
            col_off_ = 0;
            row_off_ = add_mod(row_off_, row_step_, len_);
        }
        return a;
    }

private:
    uint64_t first_, stride_, row_step_, count_, len_;
    uint64_t col_ = 0, col_off_ = 0, row_off_ = 0;
};

}  // namespace

std::unique_ptr<AddressPattern> make_strided(const PatternParams& p) {
    if (p.stride == 0) reject("stride: must be > 0 for the strided pattern");
    if (p.count == 0) reject("count: must be >= 1");
    require_start_fits(p);
    const uint64_t row_step = p.row_step ? p.row_step : p.size;
    const uint64_t g = std::gcd(std::gcd(p.stride, row_step), uint64_t(p.size));
    const uint64_t len = ((p.window - p.start - p.size) / g + 1) * g;
    return std::make_unique<Strided>(p.base + p.start, p.stride, p.count, row_step, len);
}

}  // namespace iommusim::traffic::detail
